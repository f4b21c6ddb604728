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

from core.arguments import check_learning_rate
from core.data_file import DataFileError, read_csv
from core.dataset import Dataset
from core.events import BackwardEvent, Event, ForwardEvent, UpdateEvent
from core.export import ExportError, export_run
from core.gradcheck import GradientCheck, gradient_check
from core.gradient_rules import GRADIENT_RULES, GradientRule
from core.history import LAST_ITERATION, Trajectory
from core.landscape import contour, loss_grid
from core.linear import Direction
from core.optimizers import OPTIMIZERS, Adam, GradientDescent, LinearOptimizer, Momentum
from core.position import RUNAWAY_FACTOR
from core.predictions import NoClosedFormError
from core.scaling import Scaling
from core.surface import LossSurface
from core.timeline import Segment
from core.trainer import Trainer

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
