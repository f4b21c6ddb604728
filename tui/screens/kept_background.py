"""Modal screens that draw the screen under them once, and lay themselves out once.

A modal screen's background is the screen under it, tinted: Textual renders the whole
trainer through Rich and tints every segment (``textual.renderables.BackgroundScreen``)
each time the modal is repainted, and a dialog was laid out and repainted three times
as it opened: when shown, again at its first ``Resize`` (the same size), and once more
after that ``Resize`` gave it its size classes (``-narrow``, ``-short`` …). Each of those
drew the trainer again, 5-9 ms at 80×24, although nothing under the dialog had changed:
the trainer is held while it is covered (issue 20 goal 2).

``KeptBackground`` keeps the tinted lines and draws them again only when the screen
under reports a change (Textual repaints a modal with the regions that changed under
it), or the size, the tint or the base style change; and it tints the lines of the screen
under itself, each style once, instead of through Rich (``tinted_lines``, checked against
Textual's own by tests/test_tui_dialog_cost.py). It starts with the size classes
Textual would give it, so that its first ``Resize`` changes none, and lays out again
only when that ``Resize`` brings a new size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._context import NoActiveAppError
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.visual import RenderOptions, RichVisual, Visual

from tui.screens.breakpoints import breakpoint_classes

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.geometry import Region, Size
    from textual.screen import ModalScreen
    from textual.style import Style
    from typing_extensions import Self

    _Modal = ModalScreen[Any]
else:
    _Modal = object


class KeptBackground(_Modal):
    """Mixed into a modal screen (before its Textual base): see the module docstring."""

    _kept: tuple[tuple[object, ...], list[Strip]] | None = None
    """The key the background was drawn for (the screen under, the tint, the size, the
    base style) and its lines; None: to be drawn."""

    def render(self) -> RenderableType | Visual:  # type: ignore[override]
        # (Screen narrows Widget.render's return type to Rich renderables; Textual takes a
        # Visual from any widget's render, a screen's included: Widget._render.)
        rendered = super().render()
        if isinstance(rendered, BackgroundScreen):
            return _KeptLines(self, rendered)
        return rendered

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """With regions, something under the dialog changed there (a modal screen is
        repainted with the regions that changed under it): draw the background again."""
        if regions:
            self._kept = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_size_classes()

    def _add_size_classes(self) -> None:
        """The classes Textual's first ``Resize`` would add (``Screen._on_resize``), now,
        before the first layout: added then, they restyled and laid out the dialog again.
        Not styled now: the screen is styled as it is shown."""
        try:
            app = self.app
        except NoActiveAppError:
            return  # made outside an app: its first Resize gives it its classes
        self.update_classes(breakpoint_classes(self, app.size), update=False)

    def _screen_resized(self, size: Size) -> None:
        """Lay out again only for a new size (the first ``Resize`` brings the size the
        screen was first laid out at)."""
        if size != self._size:
            super()._screen_resized(size)


class _KeptLines(Visual):
    """The tinted screen under a ``KeptBackground``, drawn once per key."""

    def __init__(self, owner: KeptBackground, background: BackgroundScreen) -> None:
        self._owner = owner
        self._background = background
        self._visual = RichVisual(owner, background)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        owner = self._owner
        key = (self._background.screen, self._background.color, width, height, style)
        if owner._kept is None or owner._kept[0] != key:
            lines = tinted_lines(self._background, style.rich_style, width, height)
            if lines is None:  # not the size of the screen under: as Textual draws it
                lines = self._visual.render_strips(width, height, style, options)
            owner._kept = (key, lines)
        return owner._kept[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._visual.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._visual.get_height(rules, width)


def tinted_lines(
    background: BackgroundScreen, base: RichStyle, width: int, height: int | None
) -> list[Strip] | None:
    """The screen under a modal screen, tinted, as Textual draws it (``BackgroundScreen``
    through Rich, then the modal's base style: ``Widget.post_render``), without the round
    trip through Rich, and each style tinted once (``_TINTS``); None if the screen under is
    not ``width`` × ``height``. tests/test_tui_dialog_cost.py checks it against Textual's.
    """
    compositor = background.screen._compositor  # (as BackgroundScreen reads it)
    if compositor.size != (width, height):
        return None
    tint = background.color
    tinted = _TINTS.get((tint, base))
    if tinted is None:
        if len(_TINTS) >= KEPT_TINTS:
            _TINTS.clear()
        tinted = _TINTS[(tint, base)] = {}
    lines = []
    for line in compositor.render_strips():
        segments = []
        for text, style, control in line:
            if control:  # untinted, and no longer a control (Textual's _Styled)
                segments.append(Segment(text, base + style if base else style))
                continue
            final = tinted.get(style)
            if final is None:
                final = tinted[style] = _tinted(style, tint, base)
            segments.append(Segment(text, final))
        lines.append(Strip(segments, line.cell_length))
    return lines


def _tinted(style: RichStyle | None, tint: Color, base: RichStyle) -> RichStyle:
    """One style as ``BackgroundScreen.process_segments`` tints it, under ``base``."""
    plain = RichStyle() if style is None else style.clear_meta_and_links()
    if tint.a:
        plain += RichStyle.from_color(
            None if plain.color is None else (Color.from_rich_color(plain.color) + tint).rich_color,
            None
            if plain.bgcolor is None
            else (Color.from_rich_color(plain.bgcolor) + tint).rich_color,
        )
    return base + plain if base else plain


_TINTS: dict[tuple[Color, RichStyle], dict[RichStyle | None, RichStyle]] = {}
"""Each style of the screen under as tinted, per tint and base style."""
KEPT_TINTS = 8
"""Tints and base styles kept (a theme each, mostly)."""
