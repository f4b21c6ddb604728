"""Line breaks for Chinese, which Textual (through Rich) would break only at spaces.

Chinese is written without spaces, so to Rich a run of it is one long word: a run
that fits on a line is moved whole to the next line, leaving the line before it
half empty, and a run that does not is cut wherever the width runs out, even just
before a full stop. (Rich "isn't aware of the rules regarding wrapping Chinese,
and will wrap on spaces only": Textualize/rich#2494.)

``break_lines`` breaks such text itself, measuring in terminal cells: at spaces,
and between any two characters of which one is wide (a Chinese character or a
full-width punctuation mark), except before a mark that closes (，。）…) and after
one that opens (（「…): the line-start and line-end rules of Chinese typesetting
(避头尾) that a reader notices. Text without a wide character is returned as it
was, for Textual's own wrapping, which is right for it.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from textual.content import Content

NO_LINE_START = frozenset("，。、；：！？）」』》〉】〕”’…％%)]},.;:!?/°²")
"""Marks that close or continue what comes before: never the first on a line."""
NO_LINE_END = frozenset("（「『《〈【〔“‘([{∂")
"""Marks that open what comes after (and ∂, which belongs to its variable): never last."""


def break_lines(content: Content, width: int) -> Content:
    """``content`` with a newline wherever a line of at most ``width`` cells should end.

    Existing newlines are kept; the spaces at a break are dropped. Text with no wide
    character (or a width too narrow for one) comes back unchanged.
    """
    if width < 2 or not any(_wide(character) for character in content.plain):
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        parts = line.divide(break_offsets(line.plain, width))
        lines.extend(part.rstrip() for part in parts)
    return Content("\n").join(lines)


def break_offsets(text: str, width: int) -> list[int]:
    """Where one line of ``text`` breaks to fit ``width`` cells: the index each new line
    starts at. Where no opportunity leaves a line that fits (a word wider than the line),
    the line is cut where the width runs out."""
    breaks: list[int] = []
    start = 0
    cells = 0
    last_opportunity = -1
    for index, character in enumerate(text):
        if index > start and may_break(text[index - 1], character):
            last_opportunity = index
        size = get_character_cell_size(character)
        if cells + size > width and index > start and not character.isspace():
            moved = cell_len(text[last_opportunity:index]) if last_opportunity > start else width
            start, cells = (last_opportunity, moved) if moved + size <= width else (index, 0)
            breaks.append(start)
            last_opportunity = -1
        cells += size
    return breaks


def may_break(before: str, after: str) -> bool:
    """Whether a line may end between the characters ``before`` and ``after``."""
    if after.isspace() or after in NO_LINE_START:
        return False
    if before.isspace():
        return True
    if before in NO_LINE_END:
        return False
    return _wide(before) or _wide(after)


def _wide(character: str) -> bool:
    return get_character_cell_size(character) == 2
