"""Textual's Footer, remade only when its keys change, and then only as much as they did.

Textual's Footer recomposes each time the screen's bindings may have changed: at every
push and pop of a screen and every change of focus, although the keys it shows are
usually the same. A recompose removes its ten or so keys and mounts and styles new
ones; it was most of the cost of opening and closing a dialog (issue 20: ~336 ms of
CPU per rate-dialog cycle). This Footer works out what it would show and compares it
with what it shows: the same, it does nothing; the same keys with one's label or
state changed, it updates that key in place; other keys, it recomposes.

A recompose also lets go of the keys it replaced: each key is bound to the Footer's
``compact`` with ``data_bind``, a watcher kept on the Footer, and Textual drops the
watchers of removed widgets only when the watched value changes, which ``compact``
never does here (Textualize/textual#6666; issue 14 item 10: 63 → 196 MiB over 10,000
mashed keys).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from tui.widgets.kept_rows import KeptRows


class Shown(NamedTuple):
    """One item of the Footer as ``Footer.compose`` would make it: a key or a group's label."""

    kind: str
    """``key``, ``grouped`` (a key in a group, without a label), ``label`` or ``palette``."""
    key: str
    action: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str


class TrainerFooter(KeptRows, Footer):
    """A Footer that remakes only the keys that changed (see the module docstring)."""

    _shown: tuple[Shown, ...] | None = None
    """What the Footer's children show, in the order they were composed (None: not yet)."""

    def wanted(self) -> tuple[Shown, ...]:
        """What ``Footer.compose`` would make now, in its order (its logic, without widgets)."""
        if not self._bindings_ready:
            return ()
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        items: list[Shown] = []
        display = self.app.get_key_display
        for group, members in groupby(by_action.values(), lambda entries: entries[0][0].group):
            multi = list(members)
            if group is not None and len(multi) > 1:
                for entries in multi:
                    binding, enabled, tooltip = entries[0]
                    items.append(
                        Shown(
                            "grouped",
                            binding.key,
                            binding.action,
                            display(binding),
                            "",
                            enabled,
                            tooltip or binding.description,
                        )
                    )
                items.append(Shown("label", "", "", "", group.description, True, ""))
            else:
                for entries in multi:
                    binding, enabled, tooltip = entries[0]
                    items.append(
                        Shown(
                            "key",
                            binding.key,
                            binding.action,
                            display(binding),
                            binding.description,
                            enabled,
                            tooltip,
                        )
                    )
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                items.append(
                    Shown(
                        "palette",
                        binding.key,
                        binding.action,
                        display(binding),
                        binding.description,
                        enabled,
                        binding.tooltip or binding.description,
                    )
                )
        return tuple(items)

    def compose(self) -> ComposeResult:
        """The keys, from the first composition on.

        Textual's Footer composes empty and makes its keys only once the screen has been
        shown (``bindings_changed``, after the first refresh): at start-up the screen was
        laid out and painted without them, then again twice for the keys mounted late
        (issue 20). The trainer's screen knows its keys when it composes (the app has
        set ``footer_shows`` by then), so they are mounted, styled and laid out with
        the rest of the screen; the recompose that follows the first refresh finds
        them in place and does nothing.
        """
        self.set_reactive(Footer._bindings_ready, True)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The class its ``compact`` gives it once mounted (``_watch_compact``),
                # given now: added after its mount, it restyled each key (~0.4 ms each).
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
        self._shown = self.wanted()

    async def recompose(self) -> None:
        wanted = self.wanted()
        shown = self._shown
        if shown is not None and wanted == shown:
            return  # the same keys: nothing to remake, restyle or repaint
        if shown is not None and _same_keys(wanted, shown):
            self._update_in_place(wanted, shown)
            self._shown = wanted
            return
        await super().recompose()
        self._shown = wanted
        # Textual runs the watchers of a value that is "mutated", dropping those of
        # removed keys on the way (the live keys are set to the same compact again).
        self.mutate_reactive(Footer.compact)

    def _update_in_place(self, wanted: tuple[Shown, ...], shown: tuple[Shown, ...]) -> None:
        """Give each key whose label, tooltip or state changed its new one (the rest stay)."""
        widgets = list(self.query("FooterKey, FooterLabel"))
        for widget, now, before in zip(widgets, wanted, shown, strict=True):
            if now == before:
                continue
            if isinstance(widget, FooterLabel):
                widget.update(now.description)
            elif isinstance(widget, FooterKey):
                widget.description = now.description
                widget.tooltip = now.tooltip or None
                widget._disabled = not now.enabled
                widget.set_class(not now.enabled, "-disabled")
                widget.refresh(layout=now.description != before.description)


def _same_keys(wanted: tuple[Shown, ...], shown: tuple[Shown, ...]) -> bool:
    """True if both list the same keys in the same places (labels and states may differ)."""
    return len(wanted) == len(shown) and all(
        (a.kind, a.key, a.action, a.key_display) == (b.kind, b.key, b.action, b.key_display)
        for a, b in zip(wanted, shown, strict=True)
    )
