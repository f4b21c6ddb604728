"""Keys that ask for a value in a dialog and act on the answer: ``l`` (a learning rate)
and ``#`` (the sample to explain).

Apart from ``tui.app`` so that each of the app's key actions stays one line of
wiring: building a dialog from the trainer's numbers and handling its answer is
the command's business, as ``tui.commands`` and ``tui.seek_commands`` are for the
other keys (``g``'s dialog lives with seeking, in ``tui.seek_commands``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui import commands

if TYPE_CHECKING:
    from tui.app import TrainerApp


def ask_rate(app: TrainerApp) -> None:
    """``l``: type a learning rate; it applies as ``+`` and ``-`` do, or changes nothing."""
    from tui.screens.rate_dialog import RateDialog

    trainer = app.driver.trainer
    dialog = RateDialog(trainer.learning_rate, trainer.max_stable_learning_rate)
    app.push_screen(dialog, lambda value: commands.change_rate(app, value))


def ask_sample(app: TrainerApp) -> None:
    """``#``: type a temperature; the explanation opens on the nearest sample."""
    from tui.screens.sample_dialog import SampleDialog

    celsius = app.driver.trainer.dataset.celsius
    dialog = SampleDialog(
        float(celsius[app.display_choice.sample]), float(celsius.min()), float(celsius.max())
    )
    app.push_screen(dialog, lambda answer: _explain_sample(app, answer))


def _explain_sample(app: TrainerApp, celsius: float | None) -> None:
    if celsius is not None:
        choice = app.display_choice.nearest(app.driver.trainer.dataset, celsius)
        app.choose(replace(choice, explaining=True))
