"""What every panel shares: it receives each frame's ``View`` and draws its own part."""

from __future__ import annotations

from textual.reactive import var

from tui.view import View


class ViewPanel:
    """Mixin for a widget that draws from the frame's ``View``.

    The app binds ``view`` with ``data_bind``, so one assignment per frame reaches
    every panel; a panel implements ``show`` and keeps no numbers of its own
    beyond what it last drew (to skip repainting what has not changed).
    """

    view: var[View | None] = var(None, init=False)
    """The frame to draw (None until the first)."""

    def watch_view(self, view: View | None) -> None:
        if view is not None:
            self.show(view)

    def show(self, view: View) -> None:
        """Draw this panel's part of ``view``."""
        raise NotImplementedError
