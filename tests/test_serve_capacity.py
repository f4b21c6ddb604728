"""The capacity benchmark's own logic (``tests/perf/serve_capacity.py``), without a server:
what it reads off a screen as each key's effect, its arguments, and its summary.
The measurement itself is never run in the suite (no timing assertions)."""

from __future__ import annotations

import argparse
import math

import pytest

from tests.perf import serve_capacity as capacity

TRAINING_SCREEN = "\n".join(
    (
        " ▶ RUNNING  iter 152/10,000  lr 1e-4 (stable < 1.2e-3)  71 it/s  seed 0",
        "╭─ °F = w × °C + b · gd · raw · κ 833.8 ───────╮╭─ loss (mean squared error) ──╮",
        "╰──── ⠒⠒ truth  ·· untrained  ▄▄ now  ● 41 °C ─╯╰────── iterations: log scale ─╯",
    )
)
LESSON_SCREEN = "\n".join(
    (
        " ‖ PAUSED  iter 0/10,000  lr 1e-4 (stable < 1.2e-3)  seed 0",
        "│   │ ⠒⠊⠉  │ Sample to explain, in °C (-50 to 49)                   │ward      │",
        "│    -50   │ ▊  -12                                               ▎ │───────────",
        "── Lesson 2/10 · A neuron with a random start ───── pgup , back · pgdn . next ──",
    )
)


def test_each_keys_effect_is_read_off_the_screen_it_changes() -> None:
    assert capacity.run_state(TRAINING_SCREEN) == "RUNNING"
    assert capacity.learning_rate(TRAINING_SCREEN) == "1e-4"
    assert capacity.marked_sample(TRAINING_SCREEN) == "41"
    in_a_browser = TRAINING_SCREEN.replace("● 41 °C", "◆ 41 °C")  # serve web's mark
    assert capacity.marked_sample(in_a_browser) == "41"
    assert capacity.marked_sample(TRAINING_SCREEN.replace("● 41 °C", "")) == ""
    assert capacity.log_scale(TRAINING_SCREEN) and not capacity.log_scale(LESSON_SCREEN)
    assert capacity.loss_chart_open(TRAINING_SCREEN) and not capacity.loss_chart_open(LESSON_SCREEN)
    assert not capacity.rate_dialog(TRAINING_SCREEN)
    assert capacity.run_state(LESSON_SCREEN) == "PAUSED"
    assert capacity.sample_dialog(LESSON_SCREEN)
    assert capacity.dialog_input(LESSON_SCREEN) == "-12"
    assert capacity.chapter(LESSON_SCREEN) == "2" and capacity.chapter(TRAINING_SCREEN) == ""
    # A key's effect is a change of its reading; the same screen shows none.
    paused = TRAINING_SCREEN.replace("▶ RUNNING", "‖ PAUSED")
    assert capacity.changed(capacity.run_state, "RUNNING")(paused)
    assert not capacity.changed(capacity.run_state, "RUNNING")(TRAINING_SCREEN)


def test_every_round_starts_where_its_keys_make_sense() -> None:
    """A training learner starts with the trainer running, no dialog and no explanation open:
    before a ``+``, ``t``, ``-``, the pausing space, or the rate dialog's ``l``."""
    keys = [capacity.TRAINING[start].key for start in capacity.TRAINING_STARTS]
    assert keys == ["+", "t", "-", "space", "l"]
    assert [press.key for press in capacity.TRAINING].count("l") == 1
    assert len(capacity.TRAINING) * capacity.PRESS_EVERY == pytest.approx(22)  # l every ~20 s
    lesson = [press.key for press in capacity.LESSON]
    assert lesson.count("pgdn") == lesson.count("pgup") == 3  # chapters 1 to 4 and back


def test_the_arguments_and_their_defaults() -> None:
    assert capacity.parse_arguments([]).sizes == [1, 10, 20, 40, 60]
    assert capacity.parse_arguments(["--mode", "lesson"]).sizes == [20]
    args = capacity.parse_arguments(["--sizes", "1,5", "--window", "10", "--", "--fps", "2"])
    assert (args.sizes, args.window, args.trainer) == ([1, 5], 10.0, ["--fps", "2"])
    for wrong in ("", "0", "a,2", "1,,2"):
        with pytest.raises(argparse.ArgumentTypeError):
            capacity.parse_sizes(wrong)


def test_the_summary_row_and_the_aims() -> None:
    assert capacity.quantile(list(range(1, 21)), 0.95) == 19
    assert capacity.quantile(list(range(1, 21)), 0.5) == 10
    assert capacity.quantile([3.0, 1.0], 1.0) == 3.0
    assert math.isnan(capacity.quantile([], 0.5))
    run = capacity.Run(
        40,
        started=40,
        start_seconds=12.0,
        seconds=30.0,
        server_cpu=1.5,
        sessions_cpu=10.5,
        pss_mb=2000.0,
        uss_mb=[40.0, 44.0],
        latencies={"+": [0.1] * 19, "l": [0.4]},
        unseen=0,
        load=3.14,
    )
    assert run.cpu_per_learner() == pytest.approx(1.0)  # 12 s over 30 s, 40 learners
    row = "| 40 | 100 / 100 / 400 ms | 0 of 20 | 0 | 1.0 % (40 %) | 50 MB (42 MB) | 12 s | 3.1 |"
    assert run.row() == row
    assert all(run.aims().values())
    run.unseen, run.dropped = 1, 1
    assert not any(aim for name, aim in run.aims().items() if "MB" not in name)
