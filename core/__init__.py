"""c2f-tui's engine: one neuron learning Celsius → Fahrenheit, headless, numpy only.

    >>> from core import Trainer
    >>> trainer = Trainer(seed=0)          # the tutorial's data, lr 1e-4
    >>> [event.phase for event, _ in zip(trainer.steps(), range(3))]
    ['forward', 'backward', 'update']
    >>> trainer.run(9_999)
    9999
    >>> round(trainer.weight, 4), round(trainer.bias, 2)
    (1.7975, 27.77)

Importing this package never imports Textual, plotext or the ``tui`` package.
"""

from core.data_file import DataFileError, read_csv
from core.dataset import Dataset
from core.events import BackwardEvent, Event, ForwardEvent, UpdateEvent
from core.export import ExportError, export_run
from core.gradcheck import GradientCheck, gradient_check
from core.history import Trajectory
from core.landscape import contour, loss_grid
from core.optimizers import OPTIMIZERS, Adam, GradientDescent, Momentum
from core.scaling import Scaling
from core.surface import LossSurface
from core.trainer import RUNAWAY_FACTOR, Trainer, check_learning_rate

__all__ = [
    "OPTIMIZERS",
    "RUNAWAY_FACTOR",
    "Adam",
    "BackwardEvent",
    "DataFileError",
    "Dataset",
    "Event",
    "ExportError",
    "ForwardEvent",
    "GradientCheck",
    "GradientDescent",
    "LossSurface",
    "Momentum",
    "Scaling",
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

__version__ = "0.1.0"
