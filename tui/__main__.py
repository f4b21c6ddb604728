"""``python -m tui`` runs the same command as ``c2f-tui``."""

import sys

try:
    from tui.cli.main import main
except KeyboardInterrupt:  # Ctrl+C in the first milliseconds: nothing has started
    sys.exit(130)

sys.exit(main())
