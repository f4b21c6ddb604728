"""``python -m tui`` runs the same command as ``c2f-tui``."""

import sys

from tui.cli import main

sys.exit(main())
