"""The code pane: the tutorial's program with line numbers, the last phase's lines highlighted.

``p`` opens it. It shows ``tui/lesson/program.<language>.py`` (``tui.lesson.listing``
reads and maps it) as text; in step mode the lines of the phase just performed are
marked ▶, with the value of each variable they bind beside them, as Python Tutor
does: an array's at the explained sample, a sum over all samples, an update's
parameter before → after. Under ``--gradient published`` the one line that
differs from the chain rule is marked ✗. Every number comes from the frame's
``View.code``; the pane redraws only when that, its size or the language changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Static

from core.types import Phase
from tui.format import count, number, rate
from tui.i18n import _, language
from tui.lesson.listing import Listing, load
from tui.model.view import CodeView, View
from tui.widgets.panel import ViewPanel, phase_name

PHASE_MARK, RULE_MARK = "▶", "✗"
"""A line of the phase just performed; the published code's line, when it runs."""
DIGITS = (7, 5, 4)
"""Significant figures tried, most first, until a line's value fits beside its code."""
GAP = 2
"""Cells between a line's code and its value."""
FILE_NAME = "program.py"


@dataclass(frozen=True)
class Drawn:
    """The pane's text: its header, and its body's rows (markup)."""

    header: str
    rows: tuple[str, ...]


class CodePane(ViewPanel, Vertical):
    """The program, a window of it that holds the highlighted phase (see the module
    docstring). Its height is the explanation's (``app.tcss``): at 80 columns it takes the
    explanation's place, from 120 it sits beside it."""

    DEFAULT_CSS = """
    CodePane {
        display: none;
        height: 8;
    }
    CodePane.-open {
        display: block;
    }
    CodePane > #code-header {
        height: 1;
        color: $text-muted;
    }
    CodePane > #code-body {
        height: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._drawn = Drawn("", ())

    def compose(self) -> ComposeResult:
        yield Static(id="code-header")
        yield Static(id="code-body")

    def on_resize(self) -> None:
        self._part = None
        if self.view is not None:
            self.show(self.view)

    def part(self, view: View) -> object:
        if view.code is None:
            return "closed"
        return view.code, language(), self.size

    def show(self, view: View) -> None:
        code = view.code
        self.set_class(code is not None, "-open")
        if code is None:
            return
        # ``size`` is the content area; the body has one cell of padding on each side.
        width = max(self.size.width - 2, 40) if self.size.width else 76
        rows = max(self.size.height - 1, 1) if self.size.height else 7
        drawn = draw(load(language()), code, width, rows)
        if drawn != self._drawn:
            if drawn.header != self._drawn.header:
                self.query_one("#code-header", Static).update(drawn.header, layout=False)
            if drawn.rows != self._drawn.rows:
                self.query_one("#code-body", Static).update("\n".join(drawn.rows), layout=False)
            self._drawn = drawn

    def render_text(self) -> str:
        """Header and body as plain text (what a user reads)."""
        return "\n".join(str(static.render()) for static in self.query(Static))


def draw(listing: Listing, code: CodeView, width: int, rows: int) -> Drawn:
    """The header and the ``rows`` rows of ``width`` cells the pane shows for ``code``."""
    notes = _notes(listing, code)[: max(rows - 3, 0)]
    window = _window(listing, code.phase, rows - len(notes))
    highlighted = _highlighted(listing, code)
    values = dict(code.values)
    shown_values = {} if code.standardized else values
    if code.optimizer != "gd" and code.phase == "update":
        shown_values = {}  # another rule's step is not the program's line
    valued = [
        cell_len(listing.lines[number_ - 1])
        for number_ in window
        if number_ in highlighted and listing.names.get(number_, ("",))[0] in shown_values
    ]
    column = max(valued, default=0) + GAP  # values line up after the longest valued line
    body = [
        _row(listing, number_, code, number_ in highlighted, shown_values, width, column)
        for number_ in window
    ]
    body += [f"[dim]{escape(note)}[/dim]" for note in notes]
    return Drawn(_header(listing, code, width + 2, window), tuple(body))


def _notes(listing: Listing, code: CodeView) -> list[str]:
    """Where this run is not the program as written, one line each."""
    notes = []
    if code.standardized:
        notes.append(_("Standardised celsius: the program trains on raw celsius (no values)."))
    if code.optimizer != "gd":
        notes.append(
            _(
                "This run updates with {optimizer}; the program's update is gradient descent."
            ).format(optimizer=code.optimizer)
        )
    if code.learning_rate != listing.learning_rate:
        notes.append(_("In this run LEARNING_RATE = {rate}.").format(rate=rate(code.learning_rate)))
    return notes


def _window(listing: Listing, phase: Phase | None, rows: int) -> range:
    """The lines on show: the phase's function whole if it fits, centred; before any
    phase, the top of the program."""
    total = len(listing.lines)
    rows = max(rows, 1)
    if phase is None or phase not in listing.blocks:
        return range(1, min(rows, total) + 1)
    first, last = listing.blocks[phase]
    if last - first + 1 > rows:
        first += 1  # the def line goes first: its values are the caller's
        last = min(last, first + rows - 1)
    start = first - (rows - (last - first + 1)) // 2
    start = min(max(start, 1), max(total - rows + 1, 1))
    return range(start, min(start + rows, total + 1))


def _highlighted(listing: Listing, code: CodeView) -> frozenset[int]:
    """The lines the phase just performed ran (the other gradient rule's branch left out)."""
    if code.phase is None or code.phase not in listing.blocks:
        return frozenset()
    first, last = listing.blocks[code.phase]
    lines = set(range(first, last + 1))
    for rule, (start, end) in listing.rules.items():
        if rule != code.gradient:
            lines -= set(range(start, end + 1))
    return frozenset(lines)


def _skipped(listing: Listing, code: CodeView, number_: int) -> bool:
    """The line belongs to the gradient rule not in force."""
    return any(
        rule != code.gradient and start <= number_ <= end
        for rule, (start, end) in listing.rules.items()
    )


def _row(
    listing: Listing,
    number_: int,
    code: CodeView,
    highlighted: bool,
    values: dict[str, tuple[float, ...]],
    width: int,
    column: int,
) -> str:
    """One line: its mark, its number, its code and, when the phase bound them, its values
    (from ``column`` if they fit there, else against the right edge)."""
    text = listing.lines[number_ - 1]
    published = code.gradient == "published" and number_ == listing.rule_lines.get("published")
    lead = f"[b $accent]{PHASE_MARK}[/]" if highlighted else " "
    mark = f"[b $text-error]{RULE_MARK}[/]" if published else " "
    gutter = f"{lead}[dim]{number_:>2}[/dim]{mark}"
    room = width - 4
    value = _value(listing, number_, code, values, highlighted, room - cell_len(text) - GAP)
    if value is None:  # no value, or none fits beside the whole line: the code is cut
        names = listing.names.get(number_, ())
        single = highlighted and len(names) == 1 and names[0] in values
        value = _format(names[0], values, code, 4) if single else None
        if value is not None:
            text = _cut(text, room - cell_len(value) - GAP)
    shown = escape(_cut(text, room))
    if highlighted:
        shown = f"[b]{shown}[/b]"
    elif _skipped(listing, code, number_):
        shown = f"[dim]{shown}[/dim]"
    if value is None:
        return gutter + shown
    if column + cell_len(value) <= room:
        padding = " " * max(column - cell_len(text), GAP)
    else:
        padding = " " * max(room - cell_len(text) - cell_len(value), GAP)
    return f"{gutter}{shown}{padding}[$accent]{escape(value)}[/]"


def _value(
    listing: Listing,
    number_: int,
    code: CodeView,
    values: dict[str, tuple[float, ...]],
    highlighted: bool,
    room: int,
) -> str | None:
    """The values of the variables the line binds, in as many digits as fit ``room``."""
    names = listing.names.get(number_, ())
    if not highlighted or not names or not all(name in values for name in names):
        return None
    for digits in DIGITS:
        parts = [_format(name, values, code, digits) for name in names]
        text = (
            parts[0]
            if len(parts) == 1
            else ", ".join(f"{name} {part}" for name, part in zip(names, parts, strict=True))
        )
        if cell_len(text) <= room:
            return text
    return None


def _format(name: str, values: dict[str, tuple[float, ...]], code: CodeView, digits: int) -> str:
    """One variable's value: at the sample for an array, before → after for an update."""
    numbers = values[name]
    if len(numbers) == 2:
        return f"{number(numbers[0], digits)} → {number(numbers[1], digits)}"
    if name in ("output", "grad_output"):
        return _("{value} at {celsius} °C").format(
            value=number(numbers[0], digits), celsius=f"{code.sample:g}"
        )
    return number(numbers[0], digits)


def _cut(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` cells, ending in … if cut."""
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, max(cells - 1, 0)).rstrip() + "…"


def _header(listing: Listing, code: CodeView, width: int, window: range) -> str:
    """``── program.py · backward · iteration 1 ──── lines 28–35 · p hides ──``: the phase's
    lines on show in ``window`` (without the ``def`` line where the function is longer than
    the pane: the header named a line scrolled off)."""
    if code.phase is None:
        title = FILE_NAME
        right = _("s runs forward · p hides")
    else:
        title = _("{file} · {phase} · iteration {iteration}").format(
            file=FILE_NAME, phase=phase_name(code.phase), iteration=count(code.iteration)
        )
        first, last = listing.blocks[code.phase]
        first, last = max(first, window.start), min(last, window.stop - 1)
        right = _("lines {first}–{last} · p hides").format(first=first, last=last)
    left = f"── [b $text]{escape(title)}[/] "
    right_part = f" {right} ──"
    used = cell_len(f"── {title} ") + cell_len(right_part)
    if used > width:
        right_part, used = "", cell_len(f"── {title} ")
    return left + "─" * max(width - used, 0) + right_part
