"""The ``c2f-tui`` command: parse and validate options, then start the app.

Every invalid value is refused before the screen is taken over, with one line
on stderr naming the option and the reason, and exit status 2.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from core import __version__
from tui.settings import DEFAULT_FPS, Settings

PROG = "c2f-tui"
MAX_FPS = 60


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line and exit status 2 (no usage dump)."""

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
    return parser


def _attach_negative_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Turn ``--bias -3e-2`` into ``--bias=-3e-2``.

    argparse takes a value such as ``-3e-2`` for an option and then complains
    that ``--bias`` expected an argument; a learner typing a negative number
    deserves to have it read as one (and judged by the option's own check).
    """
    takes_value = {
        option
        for action in parser._actions
        if action.nargs is None and action.option_strings
        for option in action.option_strings
    }
    joined: list[str] = []
    position = 0
    while position < len(argv):
        token = argv[position]
        if token in takes_value and position + 1 < len(argv):
            value = argv[position + 1]
            if value.startswith("-") and _looks_numeric(value):
                joined.append(f"{token}={value}")
                position += 2
                continue
        joined.append(token)
        position += 1
    return joined


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_settings(argv: Sequence[str] | None = None) -> Settings:
    """Settings from the command line; exits with status 2 on any invalid value."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(_attach_negative_values(parser, arguments))
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
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``c2f-tui`` and ``python -m tui``."""
    settings = parse_settings(argv)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(f"{PROG}: error: the trainer needs a terminal (stdin and stdout)", file=sys.stderr)
        return 2
    # Textual reads TEXTUAL_FPS once, when first imported: cap its redraws at ours.
    os.environ.setdefault("TEXTUAL_FPS", str(settings.fps))
    from tui.app import make_app

    make_app(settings).run()
    return 0
