"""User-supplied text made safe to echo in a one-line message.

A file name, a command-line value or a cell of a data file may hold an escape
(``ESC [ 2 J`` clears a terminal), a line break (which would split a one-line
error in two), or an invisible character that reorders what follows (U+202E).
Every message that repeats something the user typed or supplied passes it
through ``printable``, so what reaches the terminal is exactly what is written
in the message and nothing the input smuggled in.
"""

from __future__ import annotations


def printable(text: str) -> str:
    r"""``text`` with every character ``str.isprintable`` refuses written as an escape.

    Printable text is returned as it is (no quotes added); control, format and
    separator characters become ``\t``, ``\n``, ``\r``, ``\xNN``, ``\uNNNN`` or
    ``\UNNNNNNNN``, as Python writes them:

    >>> printable("run.csv")
    'run.csv'
    >>> printable("run\x1b[2J\n.csv")
    'run\\x1b[2J\\n.csv'
    >>> printable("a\u202eb")
    'a\\u202eb'
    """
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else _escaped(character) for character in text
    )


def _escaped(character: str) -> str:
    """One non-printable character as Python's own escape for it, without quotes."""
    return repr(character)[1:-1]
