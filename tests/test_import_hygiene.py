"""`import core` must work without the UI: no Textual, plotext, rich or tui behind it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pty_harness import PtyApp


def test_importing_core_loads_no_ui_package() -> None:
    probe = (
        "import sys, core; "
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'textual', 'textual_plotext', 'plotext', 'rich', 'tui'}); "
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def _numpy_threads(environment: dict[str, str]) -> tuple[str, int]:
    """What a headless run of one iteration leaves OPENBLAS_NUM_THREADS at, and the threads the
    process has then (numpy imported, as every run imports it)."""
    probe = (
        "import os; from tui.cli.main import main; main(['--headless', '--iterations', '1']); "
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), len(os.listdir('/proc/self/task')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=environment
    )
    setting, threads = result.stdout.splitlines()[-1].split()
    return setting, int(threads)


def test_numpy_computes_on_one_thread_unless_the_user_says_otherwise() -> None:
    """OpenBLAS's pool of a thread per core doubled numpy's import (issue 20 goal 4)."""
    import os

    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    assert _numpy_threads(environment) == ("1", 1)
    assert _numpy_threads(environment | {"OPENBLAS_NUM_THREADS": "2"})[0] == "2"


def test_the_collector_does_not_run_while_the_modules_load() -> None:
    """Python's cyclic collector walked the young objects of Textual's, numpy's and our
    modules dozens of times while they loaded, finding next to nothing: ~50 ms of a
    ~330 ms import (issue 20 goal 4; ``tui.cli.collector``). Counted while ``tui.cli.start``
    and what it imports (numpy, ``core``) load; the collector runs again afterwards."""
    probe = (
        "import gc, sys\n"
        "during = []\n"
        "def loading():\n"
        "    module = sys.modules.get('tui.cli.start')\n"
        "    return module is not None and not hasattr(module, 'start')\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and during.append(loading()))\n"
        "from tui.cli.main import main\n"
        "main(['--headless', '--iterations', '1'])\n"
        "print(during.count(True), gc.isenabled(), gc.get_freeze_count() > 10_000)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "0 True True"


FIRST_PAINTS = (
    "import gc, json, sys\n"
    "from textual.app import App\n"
    "collecting = []\n"
    "display = App._display\n"
    "def painting(app, screen, renderable):\n"
    "    collecting.append(gc.isenabled())\n"
    "    return display(app, screen, renderable)\n"
    "App._display = painting\n"
    "from tui.cli.main import main\n"
    "status = main(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as file:\n"
    "    json.dump([status, collecting, gc.isenabled(), gc.get_freeze_count()], file)\n"
)


@pytest.mark.pty
def test_the_collector_waits_for_the_first_frame_then_runs_again(tmp_path: Path) -> None:
    """Between the app's start and its first frame the collector ran ~40 times (~4 ms of
    CPU) over the new widgets and styles, all alive, finding ~100 objects (issue 20 goal
    4): paused until that frame is on the terminal, then resumed, what exists frozen."""
    record = tmp_path / "paints.json"
    with PtyApp([sys.executable, "-c", FIRST_PAINTS, str(record), "--paused"]) as app:
        assert app.wait_for("PAUSED"), app.screen()
        assert app.wait_until_quiet(0.3)
        app.press("space")  # training: frames after the first
        assert app.wait_for("RUNNING"), app.screen()
        app.press("q")
        assert app.wait(15) == 0
    status, collecting, enabled, frozen = json.loads(record.read_text())
    assert status == 0
    assert collecting[0] is False  # the first frame drawn with the collector paused
    assert collecting[-1] is True  # and it ran again while the trainer trained
    assert enabled is True and frozen > 10_000


TRAINING_PAINTS = (
    "import gc, json, sys\n"
    "from textual.app import App\n"
    "paints = []\n"
    "young = []\n"
    "display = App._display\n"
    "def painting(app, screen, renderable):\n"
    "    paints.append(gc.isenabled())\n"
    "    return display(app, screen, renderable)\n"
    "App._display = painting\n"
    "def collecting(phase, info):\n"
    "    if phase == 'start' and info['generation'] == 0:\n"
    "        young.append(len(paints))\n"
    "gc.callbacks.append(collecting)\n"
    "from tui.cli.main import main\n"
    "status = main(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as file:\n"
    "    json.dump([status, paints.count(True), len(young)], file)\n"
)


@pytest.mark.pty
def test_the_collector_does_not_walk_every_frames_rows(tmp_path: Path) -> None:
    """A training frame leaves ~1,000 objects alive for a frame or two (the rows the screen
    keeps); with Python's default threshold the collector ran once or twice a frame to walk
    them, and every tenth run was a larger one, the slowest frames' share (issue 20 goal 1).
    Once the first frame is drawn it waits for ``YOUNG_COLLECTION`` allocations: by then
    most of those rows are freed, and it runs a few times a minute, not every frame."""
    record = tmp_path / "paints.json"
    command = [sys.executable, "-c", TRAINING_PAINTS, str(record), "--fps", "10"]
    with PtyApp(command) as app:
        assert app.wait_for("RUNNING"), app.screen()
        app.wait_until_quiet(4.0, timeout=4.0)  # four seconds of training: ~40 frames
        app.press("q")
        assert app.wait(15) == 0
    status, paints, young = json.loads(record.read_text())
    assert status == 0
    assert paints >= 20, paints  # it trained and drew
    assert young <= paints // 8, (young, paints)
