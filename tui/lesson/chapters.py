"""The lesson's words: one Markdown file of chapters per language, read into ``Chapter``s.

The file (``en.md`` here, one per language beside it) is meant to be read and
fixed by a teacher, so its format is plain Markdown with a few conventions,
described at the top of ``en.md``: ``# Title {#id}`` starts a chapter, its
paragraphs follow (the lines of a drawing, between two lines of three backquotes, kept as
drawn), and ``## … {#try}``, ``## … {#done}`` and optionally
``## … {#hint}`` hold the steps to try (``- `` lines), what is said when they
are done, and what is said on a wrong track. ``{name}`` is a live number,
filled in by ``tui.lesson.placeholders``. Nothing here imports Textual.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tui.i18n import LANGUAGES

DEFAULT_LANGUAGE = LANGUAGES[0]
"""The language whose file every chapter exists in; others fall back to it."""
SECTIONS = ("try", "done", "hint")
"""The named parts of a chapter after its paragraphs; ``hint`` is optional."""

FENCE = "```"
"""A line that opens or closes a drawing: the lines between are shown as written."""

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*\{#([a-z0-9-]+)\}\s*$")


class LessonFileError(ValueError):
    """A chapters file that does not follow the format; the message names the line."""


@dataclass(frozen=True)
class Chapter:
    """One chapter's words, placeholders unfilled, ``**bold**`` still Markdown."""

    slug: str
    """Its id: what ties it to its set-up and checks (``tui.lesson.stages``)."""
    title: str
    paragraphs: tuple[str, ...]
    steps: tuple[str, ...]
    """What to try, one step each, in the order they are checked."""
    done: str
    """Said once every step is done."""
    hint: str | None = None
    """Said while the learner is on a wrong track (where the app can tell)."""

    def texts(self) -> tuple[str, ...]:
        """Every text of the chapter."""
        extra = () if self.hint is None else (self.hint,)
        return (self.title, *self.paragraphs, *self.steps, self.done, *extra)

    def placeholders(self) -> frozenset[str]:
        """The names of every ``{name}`` in the chapter."""
        return frozenset(
            name
            for text in self.texts()
            for _literal, name, _spec, _conversion in string.Formatter().parse(text)
            if name is not None
        )


def parse(text: str) -> tuple[Chapter, ...]:
    """The chapters of one file's text; ``LessonFileError`` if it breaks the format."""
    chapters: list[Chapter] = []
    slug = title = ""
    section = "body"
    parts: dict[str, list[str]] = {}
    start = 0

    def finish() -> None:
        if not slug:
            return
        where = f"chapter {title!r} (line {start})"
        if not parts.get("body"):
            raise LessonFileError(f"{where} has no paragraphs")
        steps = _items(parts.get("try", []))
        if not steps:
            raise LessonFileError(f"{where} has no '- ' steps under its {{#try}} heading")
        done = _paragraphs(parts.get("done", []))
        if not done:
            raise LessonFileError(f"{where} has no {{#done}} text")
        hint = _paragraphs(parts.get("hint", []))
        chapters.append(
            Chapter(
                slug,
                title,
                tuple(_paragraphs(parts["body"])),
                steps,
                "\n".join(done),
                "\n".join(hint) if hint else None,
            )
        )

    lines = _COMMENT.sub(lambda match: "\n" * match.group().count("\n"), text).splitlines()
    drawing = 0
    """The line that opened the drawing being read, or 0."""
    for number, line in enumerate(lines, start=1):
        if slug and (drawing or line.strip() == FENCE):
            if line.strip() == FENCE:  # a drawing's "# …" lines are code, not headings
                drawing = 0 if drawing else number
            parts.setdefault(section, []).append(line)
            continue
        heading = _HEADING.match(line)
        if heading is None and line.startswith("#"):
            raise LessonFileError(f"line {number}: a heading needs an id, e.g. '# Title {{#id}}'")
        if heading is not None and len(heading.group(1)) == 1:
            finish()
            slug, title, section, parts, start = (
                heading.group(3),
                heading.group(2),
                "body",
                {},
                number,
            )
            if any(chapter.slug == slug for chapter in chapters):
                raise LessonFileError(f"line {number}: a second chapter with id {slug!r}")
        elif heading is not None:
            section = heading.group(3)
            if section not in SECTIONS:
                raise LessonFileError(
                    f"line {number}: unknown section {{#{section}}}; use {{#try}}, "
                    "{#done} or {#hint}"
                )
            if not slug:
                raise LessonFileError(f"line {number}: a section before the first chapter")
        elif slug:
            parts.setdefault(section, []).append(line)
        elif line.strip():
            raise LessonFileError(f"line {number}: text before the first chapter")
    if drawing:
        raise LessonFileError(f"line {drawing}: a drawing opened with {FENCE} is never closed")
    finish()
    return tuple(chapters)


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines joined into paragraphs at blank lines; the lines between two ``FENCE`` lines
    (a graph drawn in text, a few lines of code) are one paragraph, kept line for line with
    their indentation, so that what is drawn in columns stays in its columns."""
    paragraphs: list[str] = []
    current: list[str] = []
    drawing: list[str] | None = None
    for line in [*lines, ""]:
        if drawing is not None:
            if line.strip() == FENCE:
                paragraphs.append("\n".join(drawing))
                drawing = None
            else:
                drawing.append(line.rstrip())
        elif line.strip() == FENCE:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            drawing = []
        elif line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if drawing is not None:
        raise LessonFileError(f"a drawing opened with {FENCE} is never closed")
    return paragraphs


def _items(lines: list[str]) -> tuple[str, ...]:
    """The ``- `` items of a list (a line not starting with ``- `` continues the item)."""
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(stripped[2:].strip())
        elif stripped and items:
            items[-1] += " " + stripped
    return tuple(items)


def languages() -> tuple[str, ...]:
    """The languages with a chapters file."""
    folder = resources.files(__package__)
    return tuple(
        sorted(entry.name[:-3] for entry in folder.iterdir() if entry.name.endswith(".md"))
    )


@cache
def load(language: str = DEFAULT_LANGUAGE) -> tuple[Chapter, ...]:
    """The chapters in ``language``, or in English if there is no file for it."""
    name = language if language in languages() else DEFAULT_LANGUAGE
    text = resources.files(__package__).joinpath(f"{name}.md").read_text(encoding="utf-8")
    return parse(text)
