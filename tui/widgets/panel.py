"""What every panel shares: it receives each frame's ``View`` and draws its own part."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content, Span, _strip_control_codes
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from tui.i18n import N_, _
from tui.model.view import View
from tui.widgets.kept_rows import KeptRows, PlainRows
from tui.widgets.refresh_soon import RefreshSoon

if TYPE_CHECKING:
    from textual.geometry import Size
    from typing_extensions import Self  # Textual's own (typing.Self is Python 3.11's)

PHASES = {"forward": N_("forward"), "backward": N_("backward"), "update": N_("update")}
"""The phases' names as panels write them in sentences ("next: forward")."""


def phase_name(phase: str) -> str:
    """A phase's name in the current language."""
    return _(PHASES.get(phase, phase))


class ViewPanel:
    """Mixin for a widget that draws from the frame's ``View``.

    The screen hands each frame's ``view`` to its panels (``take_view``), so one
    assignment per frame reaches every panel; a panel implements ``show`` and keeps no
    numbers of its own beyond what it last drew (to skip repainting what has not changed).

    A panel that can say which values of the view it draws from (``part``) does
    nothing at all when they are the values it last drew: most frames of a paused
    trainer, every frame for a hidden pane, each push and pop of a dialog.
    """

    view: var[View | None] = var(None, init=False)
    """The frame to draw (None until the first)."""
    _border_text: dict[str, str] | None = None
    """The border texts last set, so an unchanged one is not set (and repainted) again."""

    _part: object = None
    """The slice of the view last drawn (None: none yet, or the panel could not tell)."""

    SIZED_BY_LAYOUT = False
    """True for a panel whose size the layout gives it whatever it shows (no ``auto``
    height): it is first drawn when it first has that size (``_size_updated``), not before
    with a guess that the first layout did not need (issue 20: at start-up the charts and
    the parameter panels were each drawn twice before the first paint)."""

    def take_view(self, view: View | None) -> None:
        """This frame's view, handed over by the screen (``MainScreen``): what Textual's
        ``data_bind`` gave each panel, without a reactive assignment a panel (its
        validators, watchers, computes and the bound setter: ~35 µs a panel a frame, five
        panels, issue 20). ``watch_view`` runs as Textual's watcher would, in the panel's
        context; assigning ``view`` still draws, as before."""
        self.set_reactive(ViewPanel.view, view)  # type: ignore[attr-defined,type-var]
        with self._context():  # type: ignore[attr-defined]
            self.watch_view(view)

    def watch_view(self, view: View | None) -> None:
        if view is None:
            return
        if self.SIZED_BY_LAYOUT and not self._size:  # type: ignore[attr-defined]
            return  # drawn when the layout gives it its size
        part = self.part(view)
        if part is not None and part == self._part:
            return  # what it draws from is what it drew: nothing to redo
        self._part = part
        self.show(view)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual gives the panel its size in a layout, then paints, then sends it a Resize.
        The first view is drawn before the first layout, when the panel has no size (so
        with a guess: five lines, the narrowest titles), and the Resize redrew it: every
        panel's lines and the chart's titles were laid out and painted a second time at
        start-up (issue 20). The first size redraws it here instead, before that paint."""
        unsized = not self._size  # type: ignore[attr-defined]  # (its ``size`` is the new one)
        resized: bool = super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout
        )
        view: View | None = self.view  # type: ignore[call-overload]  # (a mixin of Widgets)
        if unsized and size and view is not None:
            self._part = self.part(view)
            self.show(view)
        return resized

    def part(self, view: View) -> object:
        """This panel's slice of ``view``: every value ``show`` draws from, comparable with
        ``==`` (plain values, not the view's records, which compare by identity); None when
        the panel cannot tell, and then it draws. A resize redraws by itself (``on_resize``)."""
        return None

    def show(self, view: View) -> None:
        """Draw this panel's part of ``view``."""
        raise NotImplementedError

    def set_border_text(self, *, title: str | None = None, subtitle: str | None = None) -> None:
        """Set the border's title and subtitle, repainting only if one changed.

        Textual repaints the whole widget on every assignment, even of the same
        text; for a chart that is a full redraw (kilobytes over SSH) per frame.
        """
        if self._border_text is None:
            self._border_text = {}
        shown = self._border_text
        for name, text in (("border_title", title), ("border_subtitle", subtitle)):
            if text is not None and shown.get(name) != text:
                shown[name] = text
                setattr(self, name, text)


def fields_of(record: object) -> tuple[object, ...]:
    """A view's record (a dataclass of plain values) as the tuple of its fields' values, to
    compare in a ``part``. ``dataclasses.astuple`` gives the same tuple but deep-copies each
    value on the way (~20 µs a record; two a parameter panel, every frame)."""
    return tuple(vars(record).values())


STYLED = re.compile(r"\[([^\[\]/\\][^\[\]\\]*)\]([^\[\]\\$\n]+)\[/(?:\1)?\]")
"""A run of plain text in one style: ``[b]1.234567[/b]``, ``[b $warning]‖ PAUSED[/]``."""
NOT_PLAIN = re.compile(r"[\[\]\\$\n]")
"""What text between runs must not hold to be taken as it is (markup, escapes, variables)."""


@lru_cache(maxsize=256)
def tag_style(tag: str) -> Style | str | None:
    """The style markup's ``[tag]`` gives the text it opens (None if it is not one style)."""
    spans = Content.from_markup(f"[{tag}]x[/]").spans
    return spans[0].style if len(spans) == 1 and spans[0][:2] == (0, 1) else None


@lru_cache(maxsize=64)
def parsed(markup: str) -> Content:
    """``Content.from_markup(markup)``, the same text and spans, without parsing each time:
    a panel's lines are plain text and runs in one style (``STYLED``) whose tags are few and
    recur every frame (~35 µs a tag parsed; the status line took ~240 µs). Each tag is
    parsed once; anything else (nesting, escapes, variables) is parsed as a whole. The line
    is made at once, its text and its runs' spans (two ``Content`` a run joined into the
    line took twice as long: ~10 changed lines a frame, issue 20). Kept: a panel that
    measures a line to choose what fits shows the Content it measured, and a line shown
    again (paused, under a dialog) is not made again."""
    texts: list[str] = []
    spans: list[Span] = []
    at = offset = 0
    for run in STYLED.finditer(markup):
        between = markup[at : run.start()]
        style = tag_style(run.group(1))
        if NOT_PLAIN.search(between) or style is None:
            return Content.from_markup(markup)
        # Each piece as a Content of its own would hold it (control codes stripped).
        between, text = _strip_control_codes(between), _strip_control_codes(run.group(2))
        offset += len(between)
        if style and text:  # as ``Content.join`` keeps a run's span
            spans.append(Span(offset, offset + len(text), style))
        texts += (between, text)
        offset += len(text)
        at = run.end()
    rest = markup[at:]
    if NOT_PLAIN.search(rest):
        return Content.from_markup(markup)
    texts.append(_strip_control_codes(rest))
    return Content("".join(texts), spans, strip_control_codes=False)


@lru_cache(maxsize=2048)
def piece_style(base: Style, style: Style, x: int, y: int = 0) -> RichStyle:
    """The style Textual gives a piece of a line that starts at (``x``, ``y``)
    (``_FormattedLine.to_strip``: the piece's style on the widget's, and its place, which
    selecting text reads): most pieces start where they did the frame before, in the same
    style."""
    return (base + style).rich_style_with_offset(x, y)


def styled_pieces(widget: Widget, line: Content, y: int, style: Style) -> Strip:
    """Row ``y``'s strip as Textual cuts a line of text that fits, left aligned: its pieces
    (``Content.render``), each styled on the widget's style with its place."""
    segments = []
    x = 0
    for text, text_style in line.render(style, end="", parse_style=widget._get_style):
        segments.append(Segment(text, piece_style(style, text_style, x, y)))
        x += len(text)
    return Strip(segments, line.cell_length)


def plain_layout(widget: Widget) -> bool:
    """Nothing but styles between a widget's text and its strips: left aligned, no line
    padding, no selection, no links (else Textual cuts them)."""
    styles = widget.styles
    return (
        not widget.auto_links
        and widget.text_selection is None
        and styles.get_rule("text_align", "left") in ("left", "start")
        and not styles.get_rule("line_pad", 0)
        and styles.content_align == ("left", "top")
    )


def fits(line: Content, width: int) -> bool:
    """A line Textual would neither wrap nor expand (no tab, no newline)."""
    plain = line.plain
    return line.cell_length <= width and "\n" not in plain and "\t" not in plain


def at_row(strip: Strip, y: int) -> Strip:
    """A strip cut from a line on its own, as if cut on row ``y`` of a text: Textual marks
    each cell's style with its place in the text (``offset``), which selecting text with
    the mouse reads."""
    if not y:
        return strip
    segments = []
    for text, style, control in strip:
        offset = None if style is None else style.meta.get("offset")
        if style is not None and offset is not None:
            style = style + RichStyle.from_meta({"offset": (offset[0], y)})
        segments.append(Segment(text, style, control))
    return Strip(segments, strip.cell_length)


if TYPE_CHECKING:
    _LineWidget = Widget
else:  # a mixin: not a DOM class, so CSS written for the widget's Textual class still applies
    _LineWidget = object


class OwnStrip(_LineWidget):
    """Mixin for a widget showing a line of text (a ``Static``, listed before it): the
    line's strip is made from its pieces, not cut by Textual.

    For a ``Content`` of one line that fits its width, left aligned, Textual wraps and
    formats it (``Content._wrap_and_format``), then styles each piece of it
    (``Content.render``) with its place: the strip is the styled pieces. A line whose
    numbers change every frame was cut through all of that (~40 µs of a line's ~100 µs,
    issue 20); here the pieces are styled as Textual styles them (``piece_style``) and
    the strip kept while the text, the width and the style stay. Anything else (a wrapped
    or aligned line, a selection, links) is Textual's to cut."""

    _own_strip: tuple[Content, int, Style, Strip] | None = None
    """The strip last made, and the text, width and style it was made for."""

    def render_line(self, y: int) -> Strip:
        strip = self._line_strip()
        if strip is None:
            return super().render_line(y)
        # Textual's rows below a line's are blank in the widget's style (``render_line``).
        return strip if y == 0 else Strip.blank(self.size.width, self.visual_style.rich_style)

    def _line_strip(self) -> Strip | None:
        """The strip of the line shown, or None where Textual must cut it."""
        content = self._render()
        width = self.size.width
        if (
            not isinstance(content, Content)
            or not content.plain
            or not fits(content, width)
            or not plain_layout(self)
        ):
            return None
        style = self.visual_style
        made = self._own_strip
        if made is not None and made[0] is content and made[1:3] == (width, style):
            return made[3]
        strip = styled_pieces(self, content, 0, style)
        self._own_strip = (content, width, style, strip)
        return strip


class TextLine(RefreshSoon, KeptRows, PlainRows, OwnStrip, Static):
    """A line of a panel's text. It holds no links, so Textual need not look for them each
    time it renders the line (``Widget.auto_links``: ~10 % of a line's render); its strip
    is made from its pieces (``OwnStrip``)."""

    def __init__(self, content: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(content, id=id)
        self.set_reactive(Widget.auto_links, False)


class PanelText(RefreshSoon, KeptRows, PlainRows, Static):
    """A panel's lines in one widget, each row drawn as a line of its own would be (a
    ``TextLine``: cropped to its row, never pushing the next one down).

    A line per widget cost each changed line a widget's render, its own refresh and the
    messages that carry it (~60 µs, issue 20). Here ``show_lines`` sets the lines as one
    text, and a row is made from its line's styled pieces (``styled_pieces``) when the
    line is new, kept while it is the same line (``parsed`` keeps a line shown again).
    While text is selected with the mouse the text is Textual's to cut."""

    DEFAULT_CSS = """
    PanelText {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.set_reactive(Widget.auto_links, False)  # no links: see ``TextLine``
        self._lines: tuple[Content, ...] = ()
        self._text: Content | None = None
        """The text the lines were joined into (what Textual renders and selects from)."""
        self._rows: dict[int, tuple[Content, int, Style, Strip]] = {}
        """Each row's strip, and the line, width and style it was made for."""
        self._repainting: list[Region] | None = None
        """While ``show_lines`` updates the text: the rows to repaint."""

    @property
    def lines(self) -> tuple[Content, ...]:
        """The lines shown, top first."""
        return self._lines

    def show_lines(self, lines: Sequence[Content]) -> None:
        """Show ``lines``, one a row (no relayout: the panel's rows do not depend on them)."""
        shown = tuple(lines)
        if len(shown) == len(self._lines) and all(
            new is old for new, old in zip(shown, self._lines, strict=True)
        ):
            return
        width = self.size.width
        before, self._lines = self._lines, shown
        if width and len(before) == len(shown):  # repaint the rows that changed, not all
            self._repainting = [
                Region(0, y, width, 1)
                for y, (new, old) in enumerate(zip(shown, before, strict=True))
                if new is not old
            ]
        self._text = Content("\n").join(shown)
        try:
            self.update(self._text, layout=False)
        finally:
            self._repainting = None

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Textual's ``refresh``; while ``show_lines`` updates the text, the whole widget
        asked for is the rows whose line changed (bytes over SSH)."""
        if self._repainting is not None and not regions and repaint and not layout:
            regions = tuple(self._repainting)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def render_line(self, y: int) -> Strip:
        strip = self._row(y)
        return super().render_line(y) if strip is None else strip

    def _row(self, y: int) -> Strip | None:
        """Row ``y`` as a line of its own shows it, or None where Textual must cut the text."""
        if self._text is None or self._render() is not self._text or not plain_layout(self):
            return None
        width = self.size.width
        style = self.visual_style
        if y >= len(self._lines):
            return Strip.blank(width, style.rich_style)
        line = self._lines[y]
        kept = self._rows.get(y)
        if kept is not None and kept[0] is line and kept[1:3] == (width, style):
            return kept[3]
        if fits(line, width):
            strip = styled_pieces(self, line, y, style)
        else:  # what a line of its own shows of it: its first row
            strip = at_row(Visual.to_strips(self, line, width, 1, style)[0], y)
        self._rows[y] = (line, width, style, strip)
        return strip
