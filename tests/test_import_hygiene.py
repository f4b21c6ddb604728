"""`import core` must work without the UI: no Textual, plotext, rich or tui behind it."""

from __future__ import annotations

import subprocess
import sys


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
