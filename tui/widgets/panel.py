"""What every panel shares: it receives each frame's ``View`` and draws its own part."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from textual.content import Content, Span
from textual.reactive import var
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Static

from tui.i18n import N_, _
from tui.model.view import View

if TYPE_CHECKING:
    from textual.geometry import Size

PHASES = {"forward": N_("forward"), "backward": N_("backward"), "update": N_("update")}
"""The phases' names as panels write them in sentences ("next: forward")."""


def phase_name(phase: str) -> str:
    """A phase's name in the current language."""
    return _(PHASES.get(phase, phase))


class ViewPanel:
    """Mixin for a widget that draws from the frame's ``View``.

    The app binds ``view`` with ``data_bind``, so one assignment per frame reaches
    every panel; a panel implements ``show`` and keeps no numbers of its own
    beyond what it last drew (to skip repainting what has not changed).

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
    parsed once; anything else (nesting, escapes, variables) is parsed as a whole. Kept: a
    panel that measures a line to choose what fits shows the Content it measured, and a line
    shown again (paused, under a dialog) is not made again."""
    parts = []
    at = 0
    for run in STYLED.finditer(markup):
        between = markup[at : run.start()]
        style = tag_style(run.group(1))
        if NOT_PLAIN.search(between) or style is None:
            return Content.from_markup(markup)
        text = run.group(2)
        parts += [Content(between), Content(text, [Span(0, len(text), style)])]
        at = run.end()
    rest = markup[at:]
    if NOT_PLAIN.search(rest):
        return Content.from_markup(markup)
    return Content("").join([*parts, Content(rest)])


class TextLine(Static):
    """A line of a panel's text. It holds no links, so Textual need not look for them each
    time it renders the line (``Widget.auto_links``: ~10 % of a line's render)."""

    def __init__(self, content: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(content, id=id)
        self.set_reactive(Widget.auto_links, False)
