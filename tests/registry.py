"""The registries' lists as tests iterate them: a test about every optimizer (or every one
with a closed form) takes its names from ``core.OPTIMIZERS``, never from a list by hand."""

from __future__ import annotations

from core import OPTIMIZERS, LinearOptimizer

OPTIMIZER_NAMES = tuple(OPTIMIZERS)
"""Every registered optimizer, in ``o``'s order."""
LINEAR_OPTIMIZERS = tuple(
    name for name, rule in OPTIMIZERS.items() if issubclass(rule, LinearOptimizer)
)
"""The optimizers with a closed form (with the chain rule): ``run(n)`` exact, predictions known."""


def o_presses(start: str, goal: str) -> list[str]:
    """The ``o`` keys that take the app from optimizer ``start`` to ``goal``, in o's order."""
    return ["o"] * ((OPTIMIZER_NAMES.index(goal) - OPTIMIZER_NAMES.index(start)) % len(OPTIMIZERS))
