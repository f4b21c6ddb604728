"""Everything the command line decides, as one immutable record the app is built from."""

from __future__ import annotations

from dataclasses import dataclass

from core import Dataset, Trainer

DEFAULT_FPS = 5
"""Frames per second while training: readable numbers, and at 80×24 well under the
32 KiB/s an SSH link over a mobile connection can carry (see README, "Over SSH")."""


@dataclass(frozen=True)
class Settings:
    """The options of one run of c2f-tui (see ``tui.cli`` for their meaning)."""

    learning_rate: float = 1e-4
    """Step size of gradient descent (the tutorial's 1e-4)."""
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

    def make_dataset(self) -> Dataset:
        """The samples to train on."""
        return Dataset.tutorial()

    def make_trainer(self) -> Trainer:
        """A fresh trainer with these settings."""
        return Trainer(
            self.make_dataset(),
            learning_rate=self.learning_rate,
            weight=self.weight,
            bias=self.bias,
            seed=self.seed,
        )
