"""argparse in the user's language: its help's own words, its refusals, its wrapping.

argparse takes its words ("usage:", "options", "show this help message and exit",
"unrecognized arguments") from gettext's default domain, which we neither ship nor
control; ``Parser`` gives them to it from our catalog instead, and wraps help texts by
terminal cells, where argparse counts characters (a Chinese character takes two).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from core.printable import printable
from tui.i18n import N_, _
from tui.lifecycle import EXIT_USAGE

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
    """``text`` in lines of at most ``width`` terminal cells: words break at spaces, Chinese
    between any two characters (each takes two cells, where argparse's wrapping counts one)."""
    from rich.cells import cell_len

    words = re.findall(r"[^\s\u2e80-\uffef]+|[\u2e80-\uffef][^\s\u2e80-\uffef]*", text)
    lines: list[str] = []
    line = ""
    for word in words:
        joined = (
            line + word if not line or _is_wide(word[0]) or _is_wide(line[-1]) else f"{line} {word}"
        )
        if line and cell_len(joined) > width:
            lines.append(line)
            line = word
        else:
            line = joined
    if line:
        lines.append(line)
    return lines


def _is_wide(character: str) -> bool:
    return "\u2e80" <= character <= "\uffef"


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

    def error(self, message: str) -> NoReturn:
        # The message may repeat what was typed (an unknown option): escape it.
        shown = printable(_argparse_message(message))
        self.exit(
            EXIT_USAGE, _("{prog}: error: {message}").format(prog=self.prog, message=shown) + "\n"
        )
