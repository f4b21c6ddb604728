"""Textual's Footer, remade only when its keys change, and then only as much as they did.

Textual's Footer recomposes each time the screen's bindings may have changed: at every
push and pop of a screen and every change of focus, although the keys it shows are
usually the same. A recompose removes its ten or so keys and mounts and styles new
ones; it was most of the cost of opening and closing a dialog (issue 20: ~336 ms of
CPU per rate-dialog cycle). This Footer works out what it would show and compares it
with what it shows: the same, it does nothing; the same keys with one's label or
state changed, it updates that key in place.

Other keys (space pausing, s stepping, [ opening the explanation: each context of
``tui.keys`` offers its own) are shown by the widgets it already has for them, and only
a key it has never shown is made: a key no longer on offer is hidden, not removed, and
shown again when it is (a class of learners pressing space, [ and e, issue 20 goal 3: the
recompose was ~20–30 ms of each of those keys, and of the rate dialog's open and close,
whose hold pauses training). The hidden keys are few (the union of the contexts a
session visits, ~15 widgets) and kept for the session.

A recompose (before the first composition only, now) also lets go of the keys it
replaced: each key is bound to the Footer's ``compact`` with ``data_bind``, a watcher
kept on the Footer, and Textual drops the watchers of removed widgets only when the
watched value changes, which ``compact`` never does here (Textualize/textual#6666; issue
14 item 10: 63 → 196 MiB over 10,000 mashed keys).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby, pairwise
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

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
    compact: bool = False
    """For a grouped key: whether its group is compact (``Binding.Group.compact``)."""


Item = tuple[object, ...]
"""Which child of the Footer shows an item or a group: its kind and its keys, whatever its
labels and states (``_children``)."""


def _children(shown: tuple[Shown, ...]) -> list[tuple[Item, tuple[Shown, ...]]]:
    """The Footer's children as ``Footer.compose`` makes them from ``shown``, in order: each
    one's ``Item`` and what it shows (a key; a group's keys; a group's label)."""
    children: list[tuple[Item, tuple[Shown, ...]]] = []
    members: list[Shown] = []
    for item in shown:
        if item.kind == "grouped":
            members.append(item)
        elif item.kind == "label":
            keys = tuple((key.key, key.action, key.key_display) for key in members)
            group: Item = ("group", members[0].compact if members else False, keys)
            children += [(group, tuple(members)), (("label", group), (item,))]
            members = []
        else:
            children.append(((item.kind, item.key, item.action, item.key_display), (item,)))
    return children


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
                            group.compact,
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

    _kept: dict[Item, Widget] | None = None
    """Every child made so far, shown or hidden, by what it shows (None: not yet listed)."""
    _showing: dict[Widget, tuple[Shown, ...]] | None = None
    """What each of those children shows (or showed last, if hidden)."""

    async def recompose(self) -> None:
        wanted = self.wanted()
        shown = self._shown
        if shown is not None and wanted == shown:
            return  # the same keys: nothing to remake, restyle or repaint
        if shown is None:
            self._kept = self._showing = None
            await super().recompose()
            # Textual runs the watchers of a value that is "mutated", dropping those of
            # removed keys on the way (the live keys are set to the same compact again).
            self.mutate_reactive(Footer.compact)
        else:
            self._show(wanted, shown)
        self._shown = wanted

    def show_now(self) -> None:
        """Show the keys on offer now, not after the next refresh as Textual's Footer does
        (``bindings_changed``): the screen has just changed what it offers, and a change
        made now is laid out and painted with the rest of the frame (after the refresh, it
        was a layout and a paint of its own: [ opening the explanation cost three). The
        recompose Textual asks for after the refresh then finds the keys shown."""
        shown = self._shown
        if shown is None or not self.is_attached:
            return
        wanted = self.wanted()
        if wanted != shown:
            self._show(wanted, shown)
            self._shown = wanted

    def _show(self, wanted: tuple[Shown, ...], shown: tuple[Shown, ...]) -> None:
        """Show ``wanted`` with the children made so far (updated in place where a label or
        a state changed), making only those never made, and hide the rest."""
        if self._kept is None or self._showing is None:
            composed = list(zip(_children(shown), self.children, strict=True))
            self._kept = {item: child for (item, _), child in composed}
            self._showing = {child: now for (_, now), child in composed}
        kept, showing = self._kept, self._showing
        order: list[Widget] = []
        made: list[Widget] = []
        for item, now in _children(wanted):
            child = kept.get(item)
            if child is None:
                child = kept[item] = self._make(item, now)
                made.append(child)
            else:
                self._update(child, now, showing[child])
                if not child.display:
                    child.display = True
            showing[child] = now
            order.append(child)
        on_show = set(order)
        for child in kept.values():
            if child not in on_show and child.display:
                child.display = False
        if made:
            self.mount_all(made)  # (in the DOM at once: placed below, mounted in a moment)
        children = self.children
        for before, child in pairwise(order):  # each after the one before it, as composed
            if children.index(child) < children.index(before):
                self.move_child(child, after=before)

    def _make(self, item: Item, shown: tuple[Shown, ...]) -> Widget:
        """A new child for ``item``, as ``Footer.compose`` makes it."""
        if item[0] == "group":
            keys = [self._key(key, "-grouped") for key in shown]
            return KeyGroup(*keys, classes="-compact" if item[1] else "")
        if item[0] == "label":
            return FooterLabel(shown[0].description)
        return self._key(shown[0], "-command-palette" if item[0] == "palette" else "")

    def _key(self, shown: Shown, classes: str) -> FooterKey:
        key = FooterKey(
            shown.key,
            shown.key_display,
            shown.description,
            shown.action,
            disabled=not shown.enabled,
            tooltip=shown.tooltip,
            classes=classes,
        )
        # What ``data_bind(compact=Footer.compact)`` and the key's watcher would give it.
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact", update=False)
        return key

    def _update(self, child: Widget, now: tuple[Shown, ...], before: tuple[Shown, ...]) -> None:
        """Give ``child`` (a key, a group or a label) the labels and states of ``now``."""
        if now == before:
            return
        if isinstance(child, FooterLabel):
            child.update(now[0].description)
            return
        keys = list(child.query_children(FooterKey)) if isinstance(child, KeyGroup) else [child]
        for key, new, old in zip(keys, now, before, strict=True):
            if new != old and isinstance(key, FooterKey):
                _update_key(key, new, old)


def _update_key(key: FooterKey, now: Shown, before: Shown) -> None:
    """A key's new label, tooltip and state, in place."""
    key.description = now.description
    key.tooltip = now.tooltip or None
    key._disabled = not now.enabled
    key.set_class(not now.enabled, "-disabled")
    key.refresh(layout=now.description != before.description)
