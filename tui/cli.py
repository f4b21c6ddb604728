"""The ``c2f-tui`` command: parse and validate options, read the data, then start the app
(or, with ``--headless``, ``tui.headless``, which never imports Textual).

Every invalid value, bad data file or unwritable export path is refused before
anything starts, with one line on stderr naming the option and the reason, and
exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from core import OPTIMIZERS, DataFileError, ExportError, __version__
from core.data_file import MAX_BYTES, MAX_ROWS
from core.export import check_writable
from tui.settings import DEFAULT_FPS, Settings

PROG = "c2f-tui"
MAX_FPS = 60


NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-inf(inity)?$", re.IGNORECASE)
"""What a negative number on the command line looks like, exponents included."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line and exit status 2 (no usage dump).

    argparse reads ``-1e-3`` as an unknown option (its own pattern for negative
    numbers knows no exponent), so ``--bias -1e-3`` would fail with "expected
    one argument"; a learner typing a negative number deserves to have it read
    as one, and judged by the option's own check.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = NEGATIVE_NUMBER

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _number(check: Callable[[float], bool], requirement: str) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{requirement}, got {text!r}") from None
        if not math.isfinite(value) or not check(value):
            raise argparse.ArgumentTypeError(f"{requirement}, got {text!r}")
        return value

    return convert


def _whole(low: int, high: int, requirement: str) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{requirement}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{requirement}, got {text!r}")
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    """The command line, with every option's meaning and default."""
    parser = _Parser(
        prog=PROG,
        description=(
            "Watch one neuron (fahrenheit = weight × celsius + bias) learn by gradient "
            "descent, live, with the mathematics on screen. Keys: space pause/run, "
            "s step a phase, n step an iteration, +/- learning rate, ? help, q quit."
        ),
    )
    parser.add_argument(
        "--lr",
        "--learning-rate",
        dest="learning_rate",
        metavar="X",
        type=_number(lambda v: v > 0, "must be a finite number > 0"),
        default=1e-4,
        help="learning rate of gradient descent (default: 1e-4, the tutorial's)",
    )
    parser.add_argument(
        "--iterations",
        metavar="N",
        type=_whole(1, 10**12, "must be a whole number from 1 to 10^12"),
        default=10_000,
        help="iteration target: training stops there and shows done (default: 10000)",
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=_whole(0, 2**63 - 1, "must be a whole number >= 0"),
        default=0,
        help="seed of the initial weight and bias; 0 is the tutorial's run (default: 0)",
    )
    parser.add_argument(
        "--weight",
        metavar="W",
        type=_number(lambda v: abs(v) <= 1e12, "must be a finite number within ±1e12"),
        help="initial weight, instead of the seeded draw",
    )
    parser.add_argument(
        "--bias",
        metavar="B",
        type=_number(lambda v: abs(v) <= 1e12, "must be a finite number within ±1e12"),
        help="initial bias, instead of the seeded draw",
    )
    parser.add_argument(
        "--speed",
        metavar="ITERATIONS_PER_SECOND",
        type=_number(lambda v: 0 < v <= 1e9, "must be a number > 0 and at most 1e9"),
        help="a fixed training pace (default: a pace that grows with the iteration, "
        "about 15 s for 10,000 iterations)",
    )
    parser.add_argument(
        "--fps",
        metavar="N",
        type=_whole(1, MAX_FPS, f"must be a whole number from 1 to {MAX_FPS}"),
        default=DEFAULT_FPS,
        help=f"most frames drawn per second while training (default: {DEFAULT_FPS})",
    )
    # -- data in, headless runs, results out ---------------------------------
    parser.add_argument(
        "--data",
        metavar="FILE",
        type=Path,
        help="train on a CSV file of celsius,fahrenheit rows (header optional; blank and # "
        f"lines skipped; at most {MAX_ROWS:,} rows and {MAX_BYTES:,} bytes)",
    )
    parser.add_argument(
        "--celsius-range",
        nargs=2,
        metavar=("LO", "HI"),
        type=_number(lambda v: abs(v) <= 1e12, "must be a finite number within ±1e12"),
        help="synthetic data: celsius evenly spaced in [LO, HI) (default: -50 50, the tutorial's)",
    )
    parser.add_argument(
        "--samples",
        metavar="N",
        type=_whole(2, MAX_ROWS, f"must be a whole number from 2 to {MAX_ROWS:,}"),
        help="synthetic data: how many samples (default: 100)",
    )
    parser.add_argument(
        "--noise",
        metavar="SIGMA",
        type=_number(lambda v: 0 <= v <= 1e12, "must be a finite number from 0 to 1e12"),
        help="synthetic data: Gaussian noise of this standard deviation (°F) added to "
        "fahrenheit, seeded by --seed (default: 0)",
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="train without the screen, print a summary; exit 0, 2 (bad input), "
        "3 (diverged) or 130 (Ctrl+C)",
    )
    parser.add_argument(
        "--json", action="store_true", help="with --headless: print the summary as one JSON object"
    )
    parser.add_argument(
        "--export",
        metavar="PATH",
        type=Path,
        help="write the trajectory to PATH, as JSON if it ends in .json, else CSV "
        "(headless: at the end; on screen: when x is pressed)",
    )
    parser.add_argument(
        "--optimizer",
        choices=tuple(OPTIMIZERS),
        default="gd",
        help="the update rule: gd (the tutorial's plain gradient descent), momentum "
        "(beta 0.9) or adam (0.9, 0.999, 1e-8; try --lr 0.1) (default: gd)",
    )
    parser.add_argument(
        "--standardize",
        action="store_true",
        help="train on standardised celsius (zero mean, unit variance): a round loss "
        "bowl, where --lr 0.5 reaches the optimum in one iteration",
    )
    parser.add_argument("--paused", action="store_true", help="start paused; space starts training")
    parser.add_argument(
        "--step",
        action="store_true",
        help="step-by-step mode: start paused with the mathematics panel open; "
        "s runs one phase at a time",
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        help="draw the charts with plain ASCII markers, for fonts without braille",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # Set by `c2f-tui serve` on every learner's session (see tui/serve): not for users.
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    return parser


def parse_settings(argv: Sequence[str] | None = None) -> Settings:
    """Settings from the command line; exits with status 2 on any invalid value."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    _check_combinations(parser, args)
    synthetic = Settings()
    return Settings(
        learning_rate=args.learning_rate,
        iterations=args.iterations,
        seed=args.seed,
        weight=args.weight,
        bias=args.bias,
        speed=args.speed,
        fps=args.fps,
        paused=args.paused,
        step_mode=args.step,
        ascii=args.ascii,
        data=args.data,
        celsius_range=tuple(args.celsius_range or synthetic.celsius_range),
        samples=args.samples if args.samples is not None else synthetic.samples,
        noise=args.noise if args.noise is not None else synthetic.noise,
        headless=args.headless,
        json_output=args.json,
        export=args.export,
        optimizer=args.optimizer,
        standardize=args.standardize,
        served=args.served,
    )


def _check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse options that contradict each other, one line each (``parser.error`` exits 2)."""
    if args.json and not args.headless:
        parser.error("argument --json: only with --headless (the screen cannot print JSON)")
    if args.data is not None:
        for given, option in ((args.celsius_range, "--celsius-range"), (args.samples, "--samples")):
            if given is not None:
                parser.error(
                    f"argument --data: not allowed with argument {option} "
                    "(that one shapes synthetic data)"
                )
        if args.noise is not None:
            parser.error(
                "argument --noise: not allowed with argument --data "
                "(noise is added to synthetic data only)"
            )
    if args.celsius_range is not None:
        low, high = args.celsius_range
        if not low < high:
            parser.error(
                f"argument --celsius-range: LO must be less than HI, got {low:g} and {high:g}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``c2f-tui`` and ``python -m tui``."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["serve"]:  # `c2f-tui serve ssh|web ...`: a server, not a trainer
        from tui.serve.command import main as serve

        return serve(arguments[1:])
    settings = parse_settings(arguments)
    try:
        return _start(settings)
    except KeyboardInterrupt:  # Ctrl+C while reading data, before any run began
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `c2f-tui --headless | head -1`: the reader left
        _silence_stdout()
        return 1
    except OSError as error:  # stdout itself failed, e.g. a full disk: `> /dev/full`
        _silence_stdout()
        reason = error.strerror or str(error)
        print(f"{PROG}: error: cannot write the results: {reason}", file=sys.stderr)
        return 1


def _start(settings: Settings) -> int:
    """Read the data, then run headless or start the app; bad input is one line and status 2."""
    try:
        dataset = settings.make_dataset()
    except DataFileError as error:
        print(f"{PROG}: error: --data: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # a synthetic range too narrow to teach a line
        print(f"{PROG}: error: argument --celsius-range: {error}", file=sys.stderr)
        return 2
    if settings.headless:
        from tui.headless import run_headless

        return run_headless(settings, dataset, stdout=sys.stdout, stderr=sys.stderr)
    if settings.export is not None:
        try:
            check_writable(settings.export)
        except ExportError as error:
            print(f"{PROG}: error: --export: {error}", file=sys.stderr)
            return 2
    # textual-serve runs a browser's session on pipes, drawn by Textual's web driver.
    on_web_driver = settings.served and "TEXTUAL_DRIVER" in os.environ
    if not on_web_driver and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            f"{PROG}: error: the trainer needs a terminal (stdin and stdout); "
            "--headless trains without one",
            file=sys.stderr,
        )
        return 2
    # TEXTUAL_FPS is left at Textual's 60: training redraws only on the app's own frames
    # (--fps), but a key's effect must not wait up to a whole frame to be seen.
    if os.environ.get("TERM") == "linux" and not settings.ascii:
        # The Linux console's fonts have no braille: draw the charts in ASCII there.
        settings = dataclasses.replace(settings, ascii=True)
    from tui.app import make_app

    make_app(settings, dataset).run()
    return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush cannot fail again on the closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
