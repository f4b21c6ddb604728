"""The command line of ``c2f-tui``: every option, its check, and the ``Settings`` it makes.

Every invalid value is refused while parsing, with one line on stderr naming
the option and the reason, and exit status 2 (``SystemExit``, from argparse).
Options that contradict each other are refused the same way, among them the
options that shape only the screen given with ``--headless``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core import GRADIENT_RULES, OPTIMIZERS, __version__
from core.data_file import MAX_BYTES, MAX_ROWS
from core.printable import printable
from tui import core_words, i18n
from tui.cli.exits import EXIT_STATUSES, PROG
from tui.cli.parser import Parser, number_type, whole_type
from tui.i18n import LANGUAGES, N_, _
from tui.settings import DEFAULT_FPS, DEFAULT_OPTIMIZER, Settings

MAX_FPS = 60
SCREEN_ONLY = ("--step", "--paused", "--speed", "--ascii", "--fps", "--lesson", "--pace", "--theme")
"""Options that shape only the screen: refused with --headless rather than ignored."""

NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-inf(inity)?$", re.IGNORECASE)
"""What a negative number on the command line looks like, exponents included."""


class _Parser(Parser):
    """``Parser``, reading negative numbers with exponents as numbers.

    argparse reads ``-1e-3`` as an unknown option (its own pattern for negative
    numbers knows no exponent), so ``--bias -1e-3`` would fail with "expected
    one argument"; a learner typing a negative number deserves to have it read
    as one, and judged by the option's own check.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = NEGATIVE_NUMBER


def _language(text: str) -> str:
    if text not in LANGUAGES:
        raise argparse.ArgumentTypeError(
            _("must be one of {languages}, got '{text}'").format(
                languages=", ".join(LANGUAGES), text=printable(text)
            )
        )
    return text


def _compare(text: str) -> object:
    from tui.model.race import CompareError, parse_compare  # (only with --compare)

    try:
        return parse_compare(text)
    except CompareError as error:
        raise argparse.ArgumentTypeError(printable(str(error))) from None


def _chapter(text: str) -> int:
    """``--lesson N``: a chapter from 1 to the lesson's last (``tui.lesson``, imported only
    when --lesson is given: its chapters' records cost ~3 ms of every start-up)."""
    from tui.lesson.stages import STAGES

    return whole_type(1, len(STAGES), N_("must be a chapter from 1 to {high}"))(text)


def _theme(text: str) -> str:
    from tui.themes import theme_names  # Textual's themes: only when --theme is given

    names = theme_names()
    if text not in names:
        shown = ", ".join(names)
        raise argparse.ArgumentTypeError(
            _("unknown theme '{name}'; the themes are: {names}").format(
                name=printable(text), names=shown
            )
        )
    return text


def build_parser(*, abbreviations: bool = True) -> argparse.ArgumentParser:
    """The command line, with every option's meaning and default; with ``abbreviations``,
    an unambiguous prefix of an option (``--iter``) is read as the option."""
    parser = _Parser(
        prog=PROG,
        allow_abbrev=abbreviations,
        description=_(
            "Watch one neuron (fahrenheit = weight × celsius + bias) learn by gradient\n"
            "descent, live, with the mathematics on screen. Keys: space pause/run,\n"
            "s step a phase, n step an iteration, +/- learning rate, ? help, q quit."
        ),
        epilog=_(EXIT_STATUSES),
    )
    parser.add_argument(
        "--lr",
        "--learning-rate",
        dest="learning_rate",
        metavar="X",
        type=number_type(lambda v: v > 0, N_("must be a finite number > 0")),
        help=_("learning rate (default: the optimizer's own: {rates})").format(
            rates=core_words.default_rates()
        ),
    )
    parser.add_argument(
        "--iterations",
        metavar="N",
        type=whole_type(1, 10**12, N_("must be a whole number from 1 to 10^12")),
        default=10_000,
        help=_("iteration target: training stops there and shows done (default: 10000)"),
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=whole_type(0, 2**63 - 1, N_("must be a whole number >= 0")),
        default=0,
        help=_("seed of the initial weight and bias; 0 is the tutorial's run (default: 0)"),
    )
    parser.add_argument(
        "--weight",
        metavar="W",
        type=number_type(lambda v: abs(v) <= 1e12, N_("must be a finite number within ±1e12")),
        help=_("initial weight, instead of the seeded draw"),
    )
    parser.add_argument(
        "--bias",
        metavar="B",
        type=number_type(lambda v: abs(v) <= 1e12, N_("must be a finite number within ±1e12")),
        help=_("initial bias, instead of the seeded draw"),
    )
    parser.add_argument(
        "--speed",
        metavar="ITERATIONS_PER_SECOND",
        type=number_type(lambda v: 0 < v <= 1e9, N_("must be a number > 0 and at most 1e9")),
        help=_(
            "a fixed training pace (default: a pace that grows with the iteration, "
            "about 15 s for 10,000 iterations)"
        ),
    )
    parser.add_argument(
        "--fps",
        metavar="N",
        type=whole_type(1, MAX_FPS, N_("must be a whole number from 1 to {high}")),
        help=_("most frames drawn per second while training (default: {fps})").format(
            fps=DEFAULT_FPS
        ),
    )
    # -- data in, headless runs, results out ---------------------------------
    parser.add_argument(
        "--data",
        metavar="FILE",
        type=Path,
        help=_(
            "train on a CSV file of celsius,fahrenheit rows (header optional; blank and # "
            "lines skipped; at most {rows:,} rows and {bytes:,} bytes)"
        ).format(rows=MAX_ROWS, bytes=MAX_BYTES),
    )
    parser.add_argument(
        "--celsius-range",
        nargs=2,
        metavar=("LO", "HI"),
        type=number_type(lambda v: abs(v) <= 1e12, N_("must be a finite number within ±1e12")),
        help=_(
            "synthetic data: celsius evenly spaced in [LO, HI) (default: -50 50, the tutorial's)"
        ),
    )
    parser.add_argument(
        "--samples",
        metavar="N",
        type=whole_type(2, MAX_ROWS, N_("must be a whole number from 2 to {high:,}")),
        help=_("synthetic data: how many samples (default: 100)"),
    )
    parser.add_argument(
        "--noise",
        metavar="SIGMA",
        type=number_type(lambda v: 0 <= v <= 1e12, N_("must be a finite number from 0 to 1e12")),
        help=_(
            "synthetic data: Gaussian noise of this standard deviation (°F) added to "
            "fahrenheit, seeded by --seed (default: 0)"
        ),
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help=_(
            "train without the screen and print a summary (exit statuses below); "
            "Ctrl+C, SIGTERM or SIGHUP stop it between iterations and still write --export"
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=_("with --headless: print the summary as one JSON object"),
    )
    parser.add_argument(
        "--export",
        metavar="PATH",
        type=Path,
        help=_(
            "write the trajectory to PATH, as JSON if it ends in .json, else CSV "
            "(headless: at the end; on screen: when x is pressed; without --export, x writes "
            "a new c2f-run-YYYYmmdd-HHMMSS.csv in the current folder). Links are followed: "
            "a regular file is replaced atomically, keeping its permissions; a character "
            "device (/dev/null, a terminal) is written directly; a directory, named pipe "
            "or socket is refused"
        ),
    )
    parser.add_argument(
        "--optimizer",
        choices=tuple(OPTIMIZERS),
        default=DEFAULT_OPTIMIZER,
        help=_("the update rule: {choices} (default: {default}, the tutorial's)").format(
            choices=core_words.choices(), default=DEFAULT_OPTIMIZER
        ),
    )
    parser.add_argument(
        "--gradient",
        choices=tuple(GRADIENT_RULES),
        default="chain",
        help=_(
            "the backward pass: chain (the chain rule, the true derivative) or published (the "
            "tutorial's published code: grad_weight = Σ grad_output × output) (default: chain)"
        ),
    )
    parser.add_argument(
        "--compare",
        metavar="KEY=VALUE[,KEY=VALUE…]",
        type=_compare,
        help=_(
            "race a second trainer from the same start, differing in the settings given "
            "(keys lr, optimizer, standardize, gradient; its lr, if not given, is its "
            "optimizer's default), e.g. --compare optimizer=adam or --compare gradient=published"
        ),
    )
    parser.add_argument(
        "--standardize",
        action="store_true",
        help=_(
            "train on standardised celsius (zero mean, unit variance): a round loss "
            "bowl, where --lr 0.5 reaches the optimum in one iteration"
        ),
    )
    parser.add_argument(
        "--lesson",
        metavar="N",
        nargs="?",
        const=1,
        type=_chapter,
        help=_(
            "the tutorial chapter by chapter, on the live trainer; N opens at chapter N "
            "(default: 1). pagedown/pageup (or . and ,) turn the chapters"
        ),
    )
    parser.add_argument(
        "--pace",
        choices=("auto", "lecture"),
        help=_(
            "auto: a pace that grows with the iteration; lecture: the first 20 iterations at "
            "about 2 per second, then the same (default: lecture with --lesson, else auto)"
        ),
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        type=_theme,
        help=_(
            "colour theme: any of Textual's (textual-dark, textual-light, nord, gruvbox, …) "
            "or high-contrast, for projectors"
        ),
    )
    parser.add_argument(
        "--paused", action="store_true", help=_("start paused; space starts training")
    )
    parser.add_argument(
        "--step",
        action="store_true",
        help=_(
            "step-by-step mode: start paused with the mathematics panel open; "
            "s runs one phase at a time"
        ),
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        help=_("draw the charts with plain ASCII markers, for fonts without braille"),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help=_("if c2f-tui crashes, print the full traceback instead of saving it to a file"),
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        type=_language,
        help=_(
            "language of the screen and the messages: {choices} (default: from LANGUAGE, "
            "LC_ALL, LC_MESSAGES or LANG)"
        ).format(
            choices=core_words.listing(
                _("{name} ({title})").format(name=language.code, title=_(language.name))
                for language in i18n.TABLE
            )
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help=_("show program's version number and exit"),
    )
    return parser


def parse_settings(
    argv: Sequence[str] | None = None, *, served: bool = False, abbreviations: bool = True
) -> Settings:
    """Settings from the command line; exits with status 2 on any invalid value.

    ``served`` is for a learner's session started by ``c2f-tui serve`` (its entry point,
    ``tui.serve.session``, says so): never an option, so that no one can type it to skip
    a check. A served session is never headless. ``c2f-tui serve`` reads its trainer options
    without ``abbreviations``, as it reads its own: on its command line a prefix could mean
    an option of either (``--no`` is ``--no-auth`` to the server, ``--noise`` to the
    trainer), so only whole names count.
    """
    parser = build_parser(abbreviations=abbreviations)
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    if args.lang is not None and args.lang != i18n.language():
        i18n.set_language(args.lang)  # tui.cli.main chose it before parsing; a direct call did not
    if served and args.headless:
        parser.error(
            _("argument --headless: not with serve (every learner gets the trainer on screen)")
        )
    _check_combinations(parser, args)
    synthetic = Settings()
    return Settings(
        learning_rate=args.learning_rate,
        iterations=args.iterations,
        seed=args.seed,
        weight=args.weight,
        bias=args.bias,
        speed=args.speed,
        fps=args.fps if args.fps is not None else synthetic.fps,
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
        gradient=args.gradient,
        compare=args.compare,
        lesson=args.lesson,
        lecture=None if args.pace is None else args.pace == "lecture",
        theme=args.theme,
        served=served,
        debug=args.debug,
    )


def _check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse options that contradict each other, one line each (``parser.error`` exits 2)."""
    if args.json and not args.headless:
        parser.error(_("argument --json: only with --headless (the screen cannot print JSON)"))
    if args.headless:
        given = {
            "--step": args.step,
            "--paused": args.paused,
            "--speed": args.speed is not None,
            "--ascii": args.ascii,
            "--fps": args.fps is not None,
            "--lesson": args.lesson is not None,
            "--pace": args.pace is not None,
            "--theme": args.theme is not None,
        }
        for option in SCREEN_ONLY:
            if given[option]:
                parser.error(
                    _(
                        "argument {option}: not allowed with argument --headless "
                        "(it changes only the screen, and a headless run has none)"
                    ).format(option=option)
                )
    if args.pace is not None and args.speed is not None:
        parser.error(
            _(
                "argument --pace: not allowed with argument --speed "
                "(--speed sets a fixed pace of its own)"
            )
        )
    if args.data is not None:
        for given, option in ((args.celsius_range, "--celsius-range"), (args.samples, "--samples")):
            if given is not None:
                parser.error(
                    _(
                        "argument --data: not allowed with argument {option} "
                        "(that one shapes synthetic data)"
                    ).format(option=option)
                )
        if args.noise is not None:
            parser.error(
                _(
                    "argument --noise: not allowed with argument --data "
                    "(noise is added to synthetic data only)"
                )
            )
    if args.celsius_range is not None:
        low, high = args.celsius_range
        if not low < high:
            parser.error(
                _("argument --celsius-range: LO must be less than HI, got {low} and {high}").format(
                    low=f"{low:g}", high=f"{high:g}"
                )
            )
