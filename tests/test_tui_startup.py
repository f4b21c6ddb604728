"""The first frame needs only what it shows: the rest loads when first asked for."""

from __future__ import annotations

import subprocess
import sys

ON_FIRST_USE = (
    "tui.screens.help",
    "tui.screens.rate_dialog",
    "tui.widgets.landscape_chart",
)
"""Modules behind keys (?, l, v, x), not behind the first frame."""


def test_importing_the_app_leaves_help_dialogs_and_the_landscape_for_later() -> None:
    probe = (
        "import sys\n"
        "import tui.app\n"
        f"print(','.join(name for name in {ON_FIRST_USE!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
