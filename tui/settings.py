"""Everything the command line decides, as one immutable record the app is built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import Dataset, Trainer, read_csv
from core.dataset import TUTORIAL_HIGH, TUTORIAL_LOW

if TYPE_CHECKING:  # (tui.model.race loads when a race starts: tui.model.controller)
    from tui.model.race import RaceSpec

DEFAULT_FPS = 5
"""Frames per second while training: readable numbers, and at 80×24 well under the
32 KiB/s an SSH link over a mobile connection can carry (see README, "Over SSH")."""
DEFAULT_OPTIMIZER = "gd"
"""The tutorial's update rule, plain gradient descent (a key of ``core.OPTIMIZERS``)."""


@dataclass(frozen=True)
class Settings:
    """The options of one run of c2f-tui (see ``tui.cli.main.main`` for their meaning)."""

    learning_rate: float | None = None
    """Step size of the updates; None: the optimizer's own default
    (``core.OPTIMIZERS[optimizer].default_learning_rate``)."""
    iterations: int = 10_000
    """The iteration target at which training stops and shows done."""
    seed: int = 0
    """Seed of the initial weight and bias (0 reproduces the tutorial's run)."""
    weight: float | None = None
    """Initial weight instead of the seeded draw."""
    bias: float | None = None
    """Initial bias instead of the seeded draw."""
    speed: float | None = None
    """A fixed pace in iterations per second, or None for the accelerating curve."""
    fps: int = DEFAULT_FPS
    """The most frames per second drawn while training."""
    paused: bool = False
    """Start paused (space starts training)."""
    step_mode: bool = False
    """Start paused with the explanation panel open, for one phase per key press."""
    ascii: bool = False
    """Draw chart markers in plain ASCII instead of braille."""
    data: Path | None = None
    """A CSV file of celsius,fahrenheit measurements to train on, instead of a synthetic line."""
    celsius_range: tuple[float, float] = (TUTORIAL_LOW, TUTORIAL_HIGH)
    """The synthetic line's Celsius range [low, high), upper bound excluded as in ``range``."""
    samples: int = TUTORIAL_HIGH - TUTORIAL_LOW
    """How many evenly spaced samples the synthetic line has."""
    noise: float = 0.0
    """Standard deviation (°F) of the Gaussian noise added to the synthetic line, seeded by seed."""
    headless: bool = False
    """Train without the screen and print a summary."""
    json_output: bool = False
    """With headless: print the summary as one JSON object."""
    export: Path | None = None
    """Where the trajectory is written (headless: at the end; in the app: by the x key)."""
    optimizer: str = DEFAULT_OPTIMIZER
    """The update rule: a key of ``core.OPTIMIZERS``."""
    standardize: bool = False
    """Train on standardised celsius (zero mean, unit variance)."""
    gradient: str = "chain"
    """The backward pass: "chain" (the derivative) or "published" (the tutorial's code)."""
    compare: RaceSpec | None = None
    """A second trainer racing the first from the same start (``--compare``), or None."""
    lesson: int | None = None
    """Open the lesson at this chapter (1-based), or None for no lesson."""
    lecture: bool | None = None
    """The lecture pace (the first iterations slowly); None: on in lesson mode only."""
    theme: str | None = None
    """A Textual theme name (or ``tui.themes.HIGH_CONTRAST``), or None for the default."""
    served: bool = False
    """Run for a learner by ``c2f-tui serve``: nothing may be written on the serving
    machine's disk (no ``x`` export; the palette's screenshot only as a browser download)."""
    debug: bool = False
    """On a crash, print the full traceback instead of saving it to a file."""

    def make_dataset(self, *, on_wait: Callable[[], object] | None = None) -> Dataset:
        """The samples to train on: the data file, else the synthetic line (by default the
        tutorial's). Raises ``core.DataFileError`` or ``ValueError`` if they cannot be used.
        ``on_wait`` is called if the data file is a pipe nobody has written to yet."""
        if self.data is not None:
            return read_csv(self.data, on_wait=on_wait)
        low, high = self.celsius_range
        return Dataset.synthetic(low, high, self.samples, noise=self.noise, seed=self.seed)

    def make_trainer(self, dataset: Dataset | None = None) -> Trainer:
        """A fresh trainer with these settings, on ``dataset`` if already made."""
        return Trainer(
            dataset if dataset is not None else self.make_dataset(),
            learning_rate=self.learning_rate,
            weight=self.weight,
            bias=self.bias,
            seed=self.seed,
            optimizer=self.optimizer,
            standardize=self.standardize,
            gradient=self.gradient,
        )

    @property
    def rate_given(self) -> bool:
        """True if the learning rate was chosen (``--lr``), not the optimizer's default."""
        return self.learning_rate is not None

    @property
    def lecture_pace(self) -> bool:
        """Whether training starts at the lecture pace (``--pace``; else in lesson mode)."""
        return self.lecture if self.lecture is not None else self.lesson is not None
