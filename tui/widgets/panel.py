"""What every panel shares: it receives each frame's ``View`` and draws its own part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import var

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

    def watch_view(self, view: View | None) -> None:
        if view is None:
            return
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
