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

from rich.segment import Segment
from textual._border import get_box
from textual._segment_tools import line_pad
from textual.containers import Horizontal, Vertical
from textual.strip import Strip
from textual.style import Style

if TYPE_CHECKING:
    from textual.geometry import Region, Size
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


class PlainRows(_Widget):
    """Mixin (listed before the widget's Textual class, after ``KeptRows``): a widget with
    nothing between its content and its rows but its background, padding at its sides and
    perhaps a border all round (no outline, padding above or below, scrollbars, tint,
    hatch, opacity or links) has its changed rows made as Textual makes them in that case:
    its content's strip padded to its width in its background, between the border's two
    sides; without Textual's general way through every style a row could have
    (``StylesCache.render_line``: ~20 of a parameter panel's changed row's ~65 µs, and
    ~40 µs of each of a chart's ~13 rows its moving line changes, issue 20). The border's
    top and bottom rows (and their titles) are Textual's: when one is to be drawn again,
    the widget is rendered as Textual renders it. Textual's cache of rows and its dirty
    rows are kept as Textual keeps them; anything else is Textual's to render."""

    def render_lines(self, crop: Region) -> list[Strip]:
        rows = self._styles_cache
        width, height = size = self.region.size
        if width != rows._width or self.BLANK or not plain_styles(self, size):
            return super().render_lines(crop)
        cache, dirty = rows._cache, rows._dirty_lines
        styles = self.styles
        bordered = any(edge for edge, _color in styles.border)
        if bordered and any(
            y in dirty or y not in cache for y in (0, height - 1) if y in crop.line_range
        ):
            return super().render_lines(crop)  # the border's top or bottom: Textual's
        _top, pad_right, _bottom, pad_left = styles.padding
        base_background, background = self.background_colors
        inner_style, outer_style = rows.get_inner_outer(base_background, background)
        inner = inner_style.rich_style
        sides: tuple[Segment, Segment] | None = None
        if bordered:
            (_t, _tc), (right_edge, right_colour), (_b, _bc), (left_edge, left_colour) = (
                styles.border
            )
            left = get_box(
                left_edge, inner_style, outer_style, Style(foreground=base_background + left_colour)
            )[1][0]
            right = get_box(
                right_edge,
                inner_style,
                outer_style,
                Style(foreground=base_background + right_colour),
            )[1][2]
            sides = (left, right)
        content_width = width - pad_left - pad_right - (2 if bordered else 0)
        content_height = self.content_region.height
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            strip = cache.get(y)
            if strip is None or y in dirty:
                if y >= height:
                    strip = Strip.blank(width, inner)
                elif sides is None and (pad_left or pad_right):
                    line = self.render_line(y).adjust_cell_length(content_width, inner)
                    strip = Strip(line_pad(line, pad_left, pad_right, inner), width)
                elif sides is None:
                    strip = self.render_line(y).adjust_cell_length(width, inner)
                else:  # inside the border
                    content_y = y - 1
                    if content_y < content_height:
                        line = self.render_line(content_y).adjust_cell_length(content_width, inner)
                    else:
                        line = Strip.blank(content_width, inner)
                    padded = (
                        line_pad(line, pad_left, pad_right, inner)
                        if pad_left or pad_right
                        else line
                    )
                    strip = Strip([sides[0], *padded, sides[1]], width)
                cache[y] = strip
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        dirty.difference_update(crop.line_range)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips


def plain_styles(widget: Widget, size: Size) -> bool:
    """Nothing between the widget's content and its rows but its background, padding at its
    sides and perhaps a border all round (see ``PlainRows``): Textual's
    ``StylesCache.render_line`` then pads the content's line and puts the border's sides
    around it."""
    styles = widget.styles
    top, right, bottom, left = styles.padding
    edges = [bool(edge) for edge, _color in styles.border]
    around = 2 if all(edges) else 0
    return (
        not top
        and not bottom
        and (all(edges) or not any(edges))
        and widget.content_region.size == (size.width - left - right - around, size.height - around)
        and not any(edge for edge, _color in styles.outline)
        and not styles.tint.a
        and styles.text_opacity == 1.0
        and not (styles.has_rule("hatch") and styles.hatch != "none")
        and not widget.auto_links
        and widget.opacity == 1.0
    )


class KeptHorizontal(KeptRows, Horizontal):
    """A ``Horizontal`` whose rows are kept (``KeptRows``)."""


class KeptVertical(KeptRows, Vertical):
    """A ``Vertical`` whose rows are kept (``KeptRows``)."""
