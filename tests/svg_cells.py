"""Copy a snapshot SVG with each text run's length in terminal cells, to look at it.

Rich's SVG export sets ``textLength`` to the number of characters (Textualize/rich#2742),
so a browser squeezes a Chinese run, two cells a character, to half its width and the
characters overlap. The terminal is not affected; this only makes the picture readable:

    python tests/svg_cells.py tests/__snapshots__/test_zh_snapshots/*.svg

writes ``NAME.cells.svg`` beside each (untracked: do not commit them).
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from rich.cells import cell_len

RUN = re.compile(r'textLength="([0-9.]+)"([^>]*)>([^<]*)</text>')


def in_cells(svg: str) -> str:
    """``svg`` with every text run's ``textLength`` scaled from characters to cells."""

    def fix(match: re.Match[str]) -> str:
        length, attributes, body = float(match.group(1)), match.group(2), match.group(3)
        text = html.unescape(body)
        if not text:
            return match.group(0)
        width = length / len(text) * cell_len(text)
        return f'textLength="{width:g}"{attributes}>{body}</text>'

    return RUN.sub(fix, svg)


def main(paths: list[str]) -> int:
    for name in paths:
        path = Path(name)
        target = path.with_name(path.stem + ".cells.svg")
        target.write_text(in_cells(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
