"""argparse in the user's language: its help's own words, its refusals, its wrapping; and
the one reader of numbers on every command line (the trainer's and the server's options).

argparse takes its words ("usage:", "options", "show this help message and exit",
"unrecognized arguments") from gettext's default domain, which we neither ship nor
control; ``Parser`` gives them to it from our catalog instead, and wraps help texts by
terminal cells, where argparse counts characters (a Chinese character takes two).
"""

from __future__ import annotations

import argparse
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from core.numerals import DECIMAL, WHOLE
from core.printable import printable
from tui.cli.exits import EXIT_USAGE
from tui.i18n import N_, _

WIDE = "[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
"""Characters that take two terminal cells (CJK and full-width forms), as a regex class."""
NO_LINE_START = "）」》】，。、；：！？…"
"""Chinese punctuation that must not begin a line (it stays with the character before)."""
NO_LINE_END = "（「《【"
"""Chinese punctuation that must not end a line (it goes with the character after)."""

ARGPARSE_MESSAGES = (
    (r"unrecognized arguments: (?P<arguments>.*)", N_("unrecognized arguments: {arguments}")),
    (
        r"argument (?P<option>\S+): expected one argument",
        N_("argument {option}: expected one argument"),
    ),
    (
        r"argument (?P<option>\S+): expected (?P<count>\d+) arguments",
        N_("argument {option}: expected {count} arguments"),
    ),
    (
        r"argument (?P<option>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
        N_("argument {option}: invalid choice: {value} (choose from {choices})"),
    ),
    (
        r"argument (?P<option>\S+): ignored explicit argument (?P<value>.*)",
        N_("argument {option}: ignored explicit argument {value}"),
    ),
    (
        r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)",
        N_("ambiguous option: {option} could match {matches}"),
    ),
    (r"argument (?P<option>\S+): (?P<message>.*)", N_("argument {option}: {message}")),
)
"""argparse's own refusals (its words come from its own gettext domain, which we do not
ship), each as a pattern of its English text and our message id for it."""


def _argparse_message(message: str) -> str:
    """argparse's refusal ``message`` in the current language (as it is if it is not one of
    ``ARGPARSE_MESSAGES``: our own refusals are translated where they are made)."""
    for pattern, message_id in ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, message, re.DOTALL)
        if match:
            return _(message_id).format(**match.groupdict())
    return message


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells: lines break at spaces, and
    before or after a Chinese character (each takes two cells, where argparse's wrapping
    counts one); a word longer than a line stays whole."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for token in re.findall(rf"\s+|{WIDE}|[^\s{WIDE[1:-1]}]+", text):
        if line and cell_len(line + token.rstrip()) > width:
            carried = ""
            # "）" never starts a line and "（" never ends one: the piece before goes along.
            while (token[0] in NO_LINE_START and not carried) or line[-1:] in tuple(NO_LINE_END):
                last = re.search(rf"(?:{WIDE}|[^\s{WIDE[1:-1]}]+)$", line)
                if last is None or last.start() == 0:
                    break
                line, carried = line[: last.start()], last.group() + carried
            lines.append(line.rstrip())
            line = "" if token.isspace() else carried + token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _align_usage(text: str, prefix: str) -> str:
    """argparse indents the usage's continuation lines by the prefix's length in characters:
    add what its width in cells adds ("用法：" is three characters wide six cells)."""
    from rich.cells import cell_len

    extra = " " * (cell_len(prefix) - len(prefix))
    lines = text.split("\n")
    if not extra or not lines[0].startswith(prefix):
        return text
    for index in range(1, len(lines)):
        if not lines[index].startswith(" "):
            break
        lines[index] = extra + lines[index]
    return "\n".join(lines)


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with its own words in the current language and the texts
    wrapped by terminal cells (argparse counts characters). A description or epilog line
    that fits is kept as written (tables, line breaks), a longer one is wrapped."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_cells(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        from rich.cells import cell_len

        lines = []
        for line in text.splitlines():
            fits = cell_len(line) <= width - len(indent)
            lines.extend([line] if fits else wrap_cells(line, width - len(indent)))
        return "\n".join(indent + line for line in lines)


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line and exit status 2 (no usage dump), in the
    current language, as are its help's own words (usage, section titles, -h)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(add_help=False, formatter_class=_Formatter)
        super().__init__(*args, **kwargs)
        # argparse titles its two default sections in its own English; no public way in.
        self._optionals.title = _("options")
        self._positionals.title = _("positional arguments")
        self.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))

    def format_usage(self) -> str:
        return _align_usage(super().format_usage(), _("usage: "))

    def format_help(self) -> str:
        return _align_usage(super().format_help(), _("usage: "))

    def error(self, message: str) -> NoReturn:
        # The message may repeat what was typed (an unknown option): escape it.
        shown = printable(_argparse_message(message))
        self.exit(
            EXIT_USAGE, _("{prog}: error: {message}").format(prog=self.prog, message=shown) + "\n"
        )


# -- numbers -------------------------------------------------------------------------


def number_type(check: Callable[[float], bool], requirement: str) -> Callable[[str], float]:
    """An argparse type for finite decimal numbers for which ``check`` holds; ``requirement``
    is a message id saying which (the refusal repeats it, and what was typed)."""

    def convert(text: str) -> float:
        _ascii_only(text, requirement)
        if not DECIMAL.fullmatch(text):  # 1_0, inf and spaces are not read as Python would
            raise _refusal(requirement, text)
        value = float(text)
        if not math.isfinite(value) or not check(value):
            raise _refusal(requirement, text)
        return value

    return convert


def whole_type(low: int, high: int, requirement: str) -> Callable[[str], int]:
    """A checker of whole numbers from ``low`` to ``high``, digits only (``core.numerals``);
    ``requirement`` is a message id (``{high}`` in it is replaced)."""

    def convert(text: str) -> int:
        _ascii_only(text, requirement, high)
        if not WHOLE.fullmatch(text) or len(text) > 40:  # (int() refuses 4,300 digits)
            raise _refusal(requirement, text, high=high)
        value = int(text)
        if not low <= value <= high:
            raise _refusal(requirement, text, high=high)
        return value

    return convert


def _refusal(
    requirement: str, text: str, why: str = "", high: int = 0
) -> argparse.ArgumentTypeError:
    """``requirement`` (a message id) in the current language, and what was typed instead."""
    message = _("{requirement}, got '{text}'").format(
        requirement=_(requirement).format(high=high), text=printable(text)
    )
    return argparse.ArgumentTypeError(message + why)


def _ascii_only(text: str, requirement: str, high: int = 0) -> None:
    """Refuse a number written with anything but ASCII, naming the first such character.

    Python's ``float`` and ``int`` read Arabic-Indic, full-width and
    mathematical digits (``١٢`` is 12); other numeric tools do not, and a
    value that looks like one thing and means another has no place here.
    """
    for character in text:
        if not character.isascii():
            name = unicodedata.name(character, "")
            named = f"U+{ord(character):04X}" + (f" {name}" if name else "")
            why = _(" ({character} is not ASCII; type numbers in ASCII)").format(character=named)
            raise _refusal(requirement, text, why, high)
