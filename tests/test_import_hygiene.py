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
