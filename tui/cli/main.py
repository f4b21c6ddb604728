"""The ``c2f-tui`` command (also ``python -m tui``): its entry point, and nothing else.

Nothing but ``sys`` is imported at module level: numpy, ``core``, Textual and
even most of the standard library load inside ``main``, where Ctrl+C (or
SIGTERM) during start-up ends the command quietly with 128 + n instead of a
traceback from the middle of an import. What the command does is in
``tui.cli.options`` (the command line), ``tui.cli.start`` (data, export, headless or
screen) and ``tui.cli.exits`` (exit statuses, signals, crashes).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

INTERRUPTED = 130
"""128 + SIGINT: Ctrl+C before anything could start."""

ONE_NUMPY_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
"""numpy computes on one thread unless the user's environment says otherwise. Left alone,
OpenBLAS starts a pool of one thread per core when numpy is imported: on a 2-core machine
that doubled the import's CPU time (~75 → ~150 ms, a quarter of the first frame's cost),
and a session's arrays are a few hundred samples, too small for the pool to help. Read
when numpy is imported, so set before anything imports it (``tui.serve.process`` gives
each served session the same, whatever the server's setting)."""


def main(argv: Sequence[str] | None = None, *, served: bool = False) -> int:
    """Run ``c2f-tui`` with ``argv`` (default: the command line); return its exit status.

    ``served`` only from ``tui.serve.session``, the entry point of a learner's session:
    the command line has no way to say it.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        from tui.cli import exits
    except KeyboardInterrupt:  # in the first milliseconds: nothing has started
        return INTERRUPTED
    closed = exits.reopen_closed_streams()
    return exits.run_main(
        lambda: _start(arguments, served, closed), debug=exits.wants_debug(arguments)
    )


def _start(arguments: list[str], served: bool, closed: frozenset[int]) -> int:
    import os

    for variable, threads in ONE_NUMPY_THREAD.items():
        os.environ.setdefault(variable, threads)
    from tui import i18n

    # Before any text is built: --help, and refusals of options given before --lang.
    i18n.set_language(i18n.choose(arguments, os.environ))
    if arguments[:1] == ["serve"] and not served:  # `c2f-tui serve ssh|web`: a server
        from tui.serve.command import main as serve

        return serve(arguments[1:])
    from tui.cli.collector import uncollected

    with uncollected():
        from tui.cli.start import start
    return start(arguments, served=served, closed=closed)
