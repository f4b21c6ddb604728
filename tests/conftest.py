"""Shared helpers: building the app as the command line would, and reading what it shows."""

from __future__ import annotations

import os

# One BLAS thread per test process, set before numpy loads (here, and in every child the
# tests start). The suite runs a worker per core; OpenBLAS's own threads, spinning for a core
# another worker holds, made a 2-second test take 75 s on a loaded 2-core machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App

from tui.app import TrainerApp, make_app
from tui.settings import Settings


def paused_app(**options: Any) -> TrainerApp:
    """The app as ``c2f-tui --paused`` with these options would build it (seed 0 by default)."""
    return make_app(Settings(paused=True, **options))


def frames_by_hand(app: TrainerApp) -> None:
    """Stop the app's own frame timer: from now on only the test's ``app._tick()`` calls make
    frames. Textual's timers run in real time under ``run_test``, so on a loaded machine
    the app's timer would add frames between a key and the assertion about it."""
    assert app._timer is not None, "the app is mounted"
    app._timer.stop()


def shown(app: App[Any], selector: str) -> str:
    """The plain text a widget currently shows (all its lines, for a panel of lines)."""
    widget = app.screen.query_one(selector)
    render_text = getattr(widget, "render_text", None)
    return str(render_text() if render_text else widget.render())


def screen_text(app: App[Any]) -> str:
    """Every character on the screen, row by row, as a terminal would show it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale (LANGUAGE comes first in
    gettext's order, and the command line and served sessions read it), and ends there."""
    from tui import i18n

    monkeypatch.setenv("LANGUAGE", "en")
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze blinking cursors so snapshots are stable."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


def refused_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the command line on ``argv``, check it was refused as promised, return the line.

    Refused means: exit status 2, nothing on stdout, exactly one line on stderr,
    starting with ``c2f-tui: error:``.
    """
    from tui.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("c2f-tui: error: ")
    return lines[0]


def decade_ticks(chart_text: str) -> list[tuple[int, str]]:
    """A log-scaled chart's y labels as (row, label), asserting what a reader relies on: at
    least two, each a whole decade (``1e3``), evenly spaced with a blank row between."""
    lines = chart_text.splitlines()
    labelled = [(row, line.split("┤")[0].strip()) for row, line in enumerate(lines) if "┤" in line]
    assert len(labelled) >= 2, lines
    assert all(re.fullmatch(r"1e-?\d+", label) for _row, label in labelled), labelled
    gaps = {b[0] - a[0] for a, b in itertools.pairwise(labelled)}
    assert len(gaps) == 1 and min(gaps) >= 2, labelled
    return labelled
