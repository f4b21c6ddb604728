"""How a number may be written in a data file or on the command line: ASCII decimal only.

Python's ``float`` and ``int`` read more than numeric tools write: digits of
other scripts (``١٢`` is 12), ``_`` between digits (``1_0`` is 10, as in Python
source), and any whitespace around. A value that looks like one thing and
means another has no place in a measurement or an option, so each is first
matched against one of these patterns (``fullmatch``) and only then converted.

    >>> [bool(DECIMAL.fullmatch(text)) for text in ("-1.5e-3", ".5", "5.", "+7")]
    [True, True, True, True]
    >>> [bool(DECIMAL.fullmatch(text)) for text in ("1_0", "inf", "0x10", " 1", "1e", "١")]
    [False, False, False, False, False, False]
    >>> [bool(WHOLE.fullmatch(text)) for text in ("10000", "+3", "10_000", "1e3", "٣")]
    [True, True, False, False, False]
"""

from __future__ import annotations

import re

DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
"""A decimal number: an optional sign, ASCII digits with at most one point, an optional
exponent. No ``_``, no spaces, no ``inf`` or ``nan``, no other script's digits."""
WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
"""A whole number: an optional sign and ASCII digits only."""
