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
