"""Core's words for people, in the current language, listed from ``core.OPTIMIZERS``.

``core`` is headless and speaks English (its texts are an interface too, for scripts);
the optimizers describe themselves there (``title``, ``summary``), marked for the
catalog where they are written (core/optimizers.py's ``N_``). Every list of them the
screen or ``--help`` shows is made here from the registry, in its order, so a new
optimizer appears in each one unasked: ``o``'s cycle, which rules have a closed form,
the choices of ``--optimizer`` and each one's default rate.
"""

from __future__ import annotations

from collections.abc import Iterable

from core import OPTIMIZERS, LinearOptimizer
from tui.format import rate
from tui.i18n import _


def listing(items: Iterable[str]) -> str:
    """Items one after another, separated as the language writes a list."""
    return _(", ").join(items)


def titles(closed_form: bool | None = None) -> list[str]:
    """The optimizers' titles, translated, in ``o``'s order: all of them, or only those with
    (``closed_form=True``) or without a closed form (the ``LinearOptimizer``s, with the
    chain rule: ``run(n)`` in O(log n) and exact predictions)."""
    return [
        _(rule.title)
        for rule in OPTIMIZERS.values()
        if closed_form is None or issubclass(rule, LinearOptimizer) == closed_form
    ]


def fields() -> dict[str, str]:
    """The lists the help texts name by placeholder: ``{closed_form}``, ``{no_closed_form}``."""
    return {
        "closed_form": listing(titles(closed_form=True)),
        "no_closed_form": listing(titles(closed_form=False)),
    }


def choices() -> str:
    """``--optimizer``'s values, each with its title where that says more than the name:
    ``gd (gradient descent), momentum, adam``."""
    return listing(
        name
        if _(rule.title).casefold() == name.casefold()
        else _("{name} ({title})").format(name=name, title=_(rule.title))
        for name, rule in OPTIMIZERS.items()
    )


def default_rates() -> str:
    """Each optimizer's own learning rate, the optimizers sharing one named together:
    ``1e-4 for gd, momentum; 0.1 for adam``."""
    by_rate: dict[float, list[str]] = {}
    for name, rule in OPTIMIZERS.items():
        by_rate.setdefault(rule.default_learning_rate, []).append(name)
    return _("; ").join(
        _("{rate} for {names}").format(rate=rate(value), names=listing(names))
        for value, names in by_rate.items()
    )
