"""c2f-tui's engine: one neuron learning Celsius → Fahrenheit, headless, numpy only.

    >>> from core import Trainer
    >>> trainer = Trainer(seed=0)          # the tutorial's data, lr 1e-4
    >>> [event.phase for event, _ in zip(trainer.steps(), range(3))]
    ['forward', 'backward', 'update']
    >>> trainer.run(9_999)
    9999
    >>> round(trainer.weight, 4), round(trainer.bias, 2)
    (1.7975, 27.77)
    >>> trainer.iterations_to(bias_tolerance=0.01)   # |b − 32| < 0.01 for good from here
    40243
    >>> trainer.seek(0)
    0

Importing this package never imports Textual, plotext or the ``tui`` package.
See docs/api.md for a tour.
"""

from typing import TYPE_CHECKING

from core.arguments import check_learning_rate
from core.data_file import DataFileError, read_csv
from core.dataset import Dataset
from core.events import BackwardEvent, Event, ForwardEvent, UpdateEvent
from core.export import ExportError, export_run
from core.gradient_rules import GRADIENT_RULES, GradientRule
from core.history import LAST_ITERATION, Trajectory
from core.linear import Direction
from core.optimizers import OPTIMIZERS, Adam, GradientDescent, LinearOptimizer, Momentum
from core.position import RUNAWAY_FACTOR
from core.predictions import NoClosedFormError
from core.scaling import Scaling
from core.surface import LossSurface
from core.timeline import Segment
from core.trainer import Trainer

if TYPE_CHECKING:
    from core.gradcheck import GradientCheck, gradient_check
    from core.landscape import contour, loss_grid

ON_FIRST_USE = {
    "GradientCheck": "core.gradcheck",
    "gradient_check": "core.gradcheck",
    "contour": "core.landscape",
    "loss_grid": "core.landscape",
}
"""Names whose modules load when first asked for: the gradient check (the explanation's,
after a backward pass) and the loss landscape (``v``) are no part of a trainer's first
steps, and importing them with the rest cost ~2 ms of every start-up (issue 20)."""

if not TYPE_CHECKING:  # (mypy would take every name as defined, typos too)

    def __getattr__(name: str) -> object:
        """A name of ``ON_FIRST_USE``, its module imported now (PEP 562)."""
        if name not in ON_FIRST_USE:
            raise AttributeError(f"module 'core' has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(ON_FIRST_USE[name]), name)
        globals()[name] = value
        return value


__all__ = [
    "GRADIENT_RULES",
    "LAST_ITERATION",
    "OPTIMIZERS",
    "RUNAWAY_FACTOR",
    "Adam",
    "BackwardEvent",
    "DataFileError",
    "Dataset",
    "Direction",
    "Event",
    "ExportError",
    "ForwardEvent",
    "GradientCheck",
    "GradientDescent",
    "GradientRule",
    "LinearOptimizer",
    "LossSurface",
    "Momentum",
    "NoClosedFormError",
    "Scaling",
    "Segment",
    "Trainer",
    "Trajectory",
    "UpdateEvent",
    "check_learning_rate",
    "contour",
    "export_run",
    "gradient_check",
    "loss_grid",
    "read_csv",
]

__version__ = "0.2.0"
