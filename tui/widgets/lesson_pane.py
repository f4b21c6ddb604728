"""The lesson pane: the chapter on screen, its live numbers, and what to try next.

It takes the explanation's slot below the charts. Its words come from the
chapters file of the current language (``tui.lesson.chapters``), its numbers
from the frame (``tui.lesson.placeholders``) and its ticks from the lesson's
state in the frame (``tui.lesson.progress``): the pane only arranges them, breaking
Chinese lines itself (``tui.widgets.line_breaks``) where Textual would break only at spaces.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.i18n import _, language
from tui.lesson.chapters import Chapter, load
from tui.lesson.placeholders import values
from tui.lesson.state import LessonState
from tui.model.view import View
from tui.widgets.line_breaks import break_lines
from tui.widgets.panel import ViewPanel

_BOLD = re.compile(r"\*\*(.+?)\*\*")

STEP_ROWS = 4
"""The most rows the steps take (``#lesson-try``'s max-height); longer, they scroll."""
DONE_MARK, TODO_MARK, NEXT_MARK = "✓", "☐", "▸"
"""A step done, a step still to do, and the step to do now (all one cell wide in every
terminal: none is East-Asian ambiguous)."""


def markup(text: str) -> str:
    """Markdown's ``**bold**`` as Textual markup; every other character shown as written."""
    return _BOLD.sub(r"[b]\1[/b]", text.replace("[", "\\["))


def fill(text: str, numbers: dict[str, str]) -> str:
    """``text`` as markup with its placeholders replaced by ``numbers``."""
    return markup(text).format_map(numbers)


class LessonPane(ViewPanel, Vertical):
    """A chapter: a header with its number and the keys that turn chapters, its paragraphs
    (scrolled if the terminal is too small for them), and its steps, ticked live, or what
    it says once they are all done. It says how many rows its words ``need`` (the screen
    gives them within the room the charts leave); folded (``w``), one line: the step to do."""

    DEFAULT_CSS = """
    LessonPane {
        display: none;
        height: 10;
    }
    LessonPane.-open {
        display: block;
    }
    LessonPane > #lesson-header {
        height: 1;
        color: $text-muted;
    }
    LessonPane > #lesson-scroll {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    LessonPane #lesson-text {
        height: auto;
    }
    LessonPane.-folded > #lesson-scroll, LessonPane.-folded > #lesson-try {
        display: none;
    }
    LessonPane > #lesson-try {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._shown: tuple[str, str, str] = ("", "", "")
        self._widths: tuple[int, int, int] = (0, 0, 0)
        self._words = 0
        """The rows the words shown need unfolded (header, paragraphs, steps)."""
        self.need = 10
        """The rows the pane needs now (one, folded); the screen gives it them if it can."""

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-header")
        with VerticalScroll(id="lesson-scroll", can_focus=False):
            yield Static(id="lesson-text")
        yield Static(id="lesson-try")

    def on_mount(self) -> None:
        # The paragraphs' width depends on their scrollbar, which comes and goes with the
        # pane's height (unfolding shows the words in one row first): break them again then.
        scroll = self.query_one("#lesson-scroll", VerticalScroll)
        self.watch(scroll, "show_vertical_scrollbar", self._scrollbar_changed, init=False)

    def _scrollbar_changed(self, _shown: bool) -> None:
        self.call_after_refresh(self._show_again)

    def on_resize(self) -> None:
        # After this layout, not within it: lines broken for the new width (``break_lines``)
        # change the text's height, which only a layout that comes after it measures.
        self.call_after_refresh(self._show_again)

    def _show_again(self) -> None:
        if self.view is not None:
            self.show(self.view)

    def part(self, view: View) -> object:
        return "closed" if view.lesson is None else None  # hidden: nothing to draw

    def show(self, view: View) -> None:
        lesson = view.lesson
        self.set_class(lesson is not None, "-open")
        if lesson is None:
            return
        folded = view.display.lesson_folded
        self.set_class(folded, "-folded")
        chapter = chapter_of(lesson)
        numbers = values(view, lesson)
        width = self.size.width if self.size.width else 80
        header = (
            self.folded_line(lesson, chapter, numbers, width)
            if folded
            else self.header(lesson, chapter, width)
        )
        text = "\n".join(fill(paragraph, numbers) for paragraph in chapter.paragraphs)
        steps = self.steps(lesson, chapter, numbers)
        shown = (header, text, steps)
        widths = (width, *self.text_widths(width))
        if (shown, widths) != (self._shown, self._widths):
            changed = [
                new != old or new_width != old_width
                for new, old, new_width, old_width in zip(
                    shown, self._shown, widths, self._widths, strict=True
                )
            ]
            self._shown, self._widths = shown, widths
            ids = ("#lesson-header", "#lesson-text", "#lesson-try")
            for selector, words, cells, differs in zip(ids, shown, widths, changed, strict=True):
                if differs:
                    content = Content.from_markup(words)
                    self.query_one(selector, Static).update(
                        content if selector == "#lesson-header" else break_lines(content, cells)
                    )
            if changed[1]:
                self.query_one("#lesson-scroll", VerticalScroll).scroll_home(animate=False)
            self._words = 1 + _rows(text, width - 2) + min(_rows(steps, width - 2), STEP_ROWS)
        self.need = 1 if folded else self._words
        # A scrollbar only when the words do not fit: one shown while the pane was still
        # short (just unfolded) would narrow the lines, which would then need a row more.
        scroll = self.query_one("#lesson-scroll", VerticalScroll)
        overflow = "hidden" if self.size.height >= self._words else "auto"
        if scroll.styles.overflow_y != overflow:
            scroll.styles.overflow_y = overflow

    @staticmethod
    def folded_line(
        lesson: LessonState, chapter: Chapter, numbers: dict[str, str], width: int
    ) -> str:
        """The folded pane's one line: ``── 3/10 ▸ Press s to run the forward pass. ── w ──``,
        the step to do (or the chapter done) cut to the width, and the key that unfolds."""
        where = f"{lesson.chapter}/{lesson.chapters}"
        if lesson.done:
            mark, words = f"[b $success]{DONE_MARK}[/]", chapter.title
        else:
            mark, words = f"[b $accent]{NEXT_MARK}[/]", chapter.steps[lesson.steps.index(False)]
        right = " " + _("w unfold") + " ──"
        lead = f"── [b $text]{where}[/] {mark} "
        room = width - cell_len(right) - _cells(lead) - 1
        # Cut as plain text (a markup round trip would lose the escapes of "[" and "]").
        step = Content.from_markup(fill(words, numbers))
        if step.cell_length > room:
            step = step.truncate(max(room, 1), ellipsis=True)
        rule = "─" * max(room - step.cell_length, 0)
        return f"{lead}{markup(step.plain)} {rule}{right}"

    def text_widths(self, width: int) -> tuple[int, int]:
        """The cells a line of the paragraphs and of the steps may take: the pane's width less
        their padding (and the paragraphs' scrollbar, when they have one)."""
        scroll = self.query_one("#lesson-scroll", VerticalScroll)
        steps = self.query_one("#lesson-try", Static)
        return (
            scroll.scrollable_content_region.width or width - 2,
            steps.content_region.width or width - 2,
        )

    @staticmethod
    def header(lesson: LessonState, chapter: Chapter, width: int) -> str:
        """``── Lesson 3/10 · Forward: predict, then measure ──── pgup , back · pgdn . next ──``"""
        where = _("Lesson {chapter}/{chapters}").format(
            chapter=lesson.chapter, chapters=lesson.chapters
        )
        left = f"── [b $text]{where} · {markup(chapter.title)}[/] "
        if lesson.chapter == 1:
            choices = (_("pgdn or . next chapter"), _("pgdn . next"), "")
        elif lesson.chapter == lesson.chapters:
            choices = (_("pgup or , back"), _("pgup , back"), "")
        else:
            choices = (_("pgup , back · pgdn . next"), _("pgdn . next"), "")
        for keys in choices:
            right = f" {keys} ──" if keys else ""
            used = _cells(left) + _cells(right)
            if used <= width:
                return left + "─" * (width - used) + right
        return left

    @staticmethod
    def steps(lesson: LessonState, chapter: Chapter, numbers: dict[str, str]) -> str:
        """The steps with their ticks; once all are done, what the chapter says then."""
        if lesson.done:
            return f"[b $success]{DONE_MARK}[/] " + fill(chapter.done, numbers)
        label = _("Try this:")
        indent = " " * _cells(label)
        lines = []
        current = lesson.steps.index(False)
        for index, (text, done) in enumerate(zip(chapter.steps, lesson.steps, strict=True)):
            lead = f"[b]{label}[/b]" if index == 0 else indent
            if done:
                lines.append(f"{lead} [$success]{DONE_MARK}[/] [dim]{fill(text, numbers)}[/dim]")
            elif index == current:
                lines.append(f"{lead} [b $accent]{NEXT_MARK}[/] {fill(text, numbers)}")
            else:
                lines.append(f"{lead} [dim]{TODO_MARK} {fill(text, numbers)}[/dim]")
        if lesson.hint and chapter.hint is not None:
            lines.append(f"{indent} [b $warning]![/] {fill(chapter.hint, numbers)}")
        return "\n".join(lines)

    def render_text(self) -> str:
        """Header, paragraphs and steps as plain text (what a user reads)."""
        return "\n".join(str(static.render()) for static in self.query(Static))


def chapter_of(lesson: LessonState) -> Chapter:
    """The words of the lesson's chapter in the current language."""
    chapters = load(language())
    return next(
        (chapter for chapter in chapters if chapter.slug == lesson.slug),
        chapters[lesson.chapter - 1],
    )


def _rows(markup: str, width: int) -> int:
    """The rows ``markup`` takes at ``width`` cells, broken as the pane breaks it."""
    content = break_lines(Content.from_markup(markup), width)
    return max(1, len(content.wrap(max(width, 1))))


def _cells(text: str) -> int:
    return Content.from_markup(text).cell_length if "[" in text else cell_len(text)
