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
