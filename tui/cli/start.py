"""From the command line to a run: read the data, check the export path, then train
headless (``tui.cli.headless``, which never imports Textual) or on screen (``tui.app``).

A bad data file, an export path that cannot be written, or a closed standard
output for the headless summary is refused here, before anything starts, in one
line on stderr, with exit status 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys

from core import DataFileError, Dataset, ExportError
from core.export import check_writable
from core.printable import printable
from tui.cli.exits import EXIT_USAGE, PROG, SIGNAL_BASE, signals_as_request
from tui.cli.options import parse_settings
from tui.i18n import _
from tui.settings import Settings

STDOUT = 1
"""The descriptor of standard output."""


def start(
    arguments: list[str], *, served: bool = False, closed: frozenset[int] = frozenset()
) -> int:
    """Parse, read the data, check the export path, then train headless or on screen
    (``served``: a learner's session of ``c2f-tui serve``, see ``tui.serve.session``;
    ``closed``: the standard descriptors the command was started without)."""
    settings = parse_settings(arguments, served=served)
    if settings.headless and STDOUT in closed:
        # The summary (or --json) is what --headless is for: with stdout closed (>&-) it
        # would vanish and the run "succeed". >/dev/null says that on purpose.
        _error_line(
            _(
                "error: standard output is closed (>&-): --headless writes its summary "
                "there; send it to /dev/null to discard it"
            )
        )
        return EXIT_USAGE
    dataset = _read_data(settings)
    if dataset is None:
        return EXIT_USAGE
    with signals_as_request() as stop:  # the check makes and removes a file: never cut in two
        writable = _export_writable(settings)
    if stop.signal_number is not None:
        return SIGNAL_BASE + stop.signal_number
    if not writable:
        return EXIT_USAGE
    if settings.headless:
        from tui.cli.headless import run_headless

        return run_headless(settings, dataset, stdout=sys.stdout, stderr=sys.stderr)
    return _run_on_screen(settings, dataset)


def _read_data(settings: Settings) -> Dataset | None:
    """The dataset, or None after one line on stderr saying why it cannot be used."""

    def waiting() -> None:
        shown = printable(str(settings.data))
        _error_line(
            _("--data: waiting for a program to write to {file} (Ctrl+C to stop)").format(
                file=shown
            )
        )

    try:
        return settings.make_dataset(on_wait=waiting)
    except DataFileError as error:
        _error_line(_("error: --data: {reason}").format(reason=error))
    except ValueError as error:  # a synthetic range too narrow to teach a line
        _error_line(_("error: argument --celsius-range: {reason}").format(reason=error))
    return None


def _export_writable(settings: Settings) -> bool:
    """Whether ``--export`` (if given) can be written; if not, one line on stderr says why."""
    if settings.export is None:
        return True
    try:
        check_writable(settings.export)
    except ExportError as error:
        _error_line(_("error: --export: {reason}").format(reason=error))
        return False
    return True


def _run_on_screen(settings: Settings, dataset: Dataset) -> int:
    """Start the app on this terminal; its exit status (``tui.cli.terminal``)."""
    terminal = all(
        stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout, sys.__stderr__)
    )
    # textual-serve runs a browser's session on pipes, drawn by Textual's web driver.
    on_web_driver = settings.served and "TEXTUAL_DRIVER" in os.environ
    if not on_web_driver and not terminal:  # Textual reads stdin, draws on (the real) stderr
        _error_line(
            _(
                "error: the trainer needs a terminal (stdin, stdout and stderr); "
                "--headless trains without one"
            )
        )
        return EXIT_USAGE
    # TEXTUAL_FPS is left at Textual's 60: training redraws only on the app's own frames
    # (--fps), but a key's effect must not wait up to a whole frame to be seen.
    if os.environ.get("TERM") == "linux" and not settings.ascii:
        # The Linux console's fonts have no braille: draw the charts in ASCII there.
        settings = dataclasses.replace(settings, ascii=True)
    from tui.cli.collector import Pause

    # Textual, the widgets, the app and its first frame (tui.cli.collector): the app
    # resumes the collector once that frame is drawn; this, if it never was.
    collection = Pause()
    try:
        from tui.app import make_app
        from tui.cli.terminal import run_app

        app = make_app(settings, dataset, after_first_frame=collection.resume)
        return run_app(app, debug=settings.debug)
    finally:
        collection.resume()


def _error_line(text: str) -> None:
    """``c2f-tui: TEXT`` on stderr (a closed stderr drops it: see ``reopen_closed_streams``)."""
    with contextlib.suppress(OSError, ValueError):
        print(f"{PROG}: {text}", file=sys.stderr, flush=True)
