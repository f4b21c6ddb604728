"""Textual's Footer, without the memory its recomposes keep (Textualize/textual#6666).

Each time the keys on offer change, the Footer recomposes: it removes its keys and
makes new ones, each bound to the Footer's ``compact`` with ``data_bind``. A binding
is a watcher kept on the Footer, and Textual drops the watchers of removed widgets
only when the watched value changes, which ``compact`` never does here: every
recompose kept its ten or so keys alive, with their styles and rendered lines
(issue 14 item 10: 63 → 196 MiB over 10,000 mashed keys, and no less when idle).
"""

from __future__ import annotations

from textual.widgets import Footer


class TrainerFooter(Footer):
    """A Footer that lets go of the keys it replaced."""

    async def recompose(self) -> None:
        await super().recompose()
        # Textual runs the watchers of a value that is "mutated", dropping those of
        # removed keys on the way (the live keys are set to the same compact again).
        self.mutate_reactive(Footer.compact)
