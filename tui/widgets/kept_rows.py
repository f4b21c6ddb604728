"""A widget's rows handed to the compositor again as they were, when none of them changed.

Textual repaints a screen's changes as one box around them all, and renders every widget
the box touches (``Compositor._render_chops``): while training, the status line and the
panels' numbers change each frame, so the box is the width of the screen and most of its
height, and every container under the lines (the screen, the columns, the bordered panels,
the Footer) and every line that did not change were rendered again, each from Textual's
cache of its rows but through its styles, colours, size and filters (~20–60 µs a widget,
~20 widgets a frame; issue 20). ``KeptRows`` keeps what a widget last rendered and gives
it again while none of its rows is to be redrawn and nothing it was rendered with changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.widget import Widget

    _Widget = Widget
else:  # a mixin: not a DOM class, so CSS written for the widget's Textual class still applies
    _Widget = object


class KeptRows(_Widget):
    """Mixin (listed before the widget's Textual class): ``render_lines`` gives the strips it
    gave last time when the same rows are asked for, none of them is dirty (every change to
    what a widget shows, its text, its styles, a theme, marks its rows dirty: Textual's own
    cache of rows relies on it), and the size, the line filters and the hovered link are
    those it was rendered with. (The colours under it are not compared: a new background
    restyles the widget, which marks its rows dirty, as a new theme does; they cost a walk
    up the DOM, a third of what is saved.)"""

    _kept_rows: tuple[tuple[object, ...], list[Strip]] | None = None
    """The strips last rendered, and what they were rendered for."""

    def render_lines(self, crop: Region) -> list[Strip]:
        rows = self._styles_cache
        key = (
            crop,
            self.region.size,
            tuple(self.get_line_filters()),
            self.hover_style if self.auto_links else None,
        )
        kept = self._kept_rows
        if (
            kept is not None
            and kept[0] == key
            and not rows._dirty_lines
            and all(y in rows._cache for y in crop.line_range)
        ):
            return kept[1]
        strips = super().render_lines(crop)
        self._kept_rows = (key, strips)
        return strips


class KeptHorizontal(KeptRows, Horizontal):
    """A ``Horizontal`` whose rows are kept (``KeptRows``)."""


class KeptVertical(KeptRows, Vertical):
    """A ``Vertical`` whose rows are kept (``KeptRows``)."""
