"""The help screen: every key, and how to read what is on screen."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from tui import core_words
from tui.i18n import N_, _, language
from tui.keys import KEYS, describe
from tui.screens.kept_background import KeptBackground
from tui.widgets.line_breaks import break_lines

if TYPE_CHECKING:
    from textual.app import App
    from textual.css.styles import RulesMap
    from textual.geometry import Size
    from textual.style import Style

GUIDE = (
    (
        N_("What you are watching"),
        N_(
            "One neuron, fahrenheit = weight × celsius + bias, learns by gradient descent. Each "
            "iteration has three phases: forward (predict every sample, measure the mean squared "
            "error), backward (the chain rule gives the gradient of the loss for each parameter) "
            "and update (each parameter steps against its gradient, scaled by the learning rate)."
        ),
    ),
    (
        N_("The chart"),
        N_(
            "The truth, the untrained neuron and the neuron now, as in the tutorial's picture; "
            "the legend on its lower border shows each line's own mark (measured data shows as "
            "points). Its title names the optimizer, the inputs (raw or standardised) and κ, the "
            "condition number: how many times steeper the loss bowl is across the valley than "
            "along it."
        ),
    ),
    (
        N_("The panels"),
        N_(
            "For the weight and the bias: the value now, the least-squares target it heads for, "
            "the way still to go with a bar of the share already covered, the iterations to go "
            "until it stays within 0.001 (weight) or 0.01 °F (bias) of its target at the "
            'current settings (exact, from the closed form: {closed_form}; "unknown" '
            "without one: {no_closed_form}), and the gradient the last backward pass "
            "computed, with the iteration whose weight and bias it was computed at and the "
            "update that steps with it (at 419's w, b → update 420: the parameters 419 "
            "updates made, as in row 419 of an export). The loss panel "
            "shows the mean squared error now, the least it can reach on this data, and its "
            "history on a log scale. With the explanation open on a small terminal the panels "
            "fold up to make room."
        ),
    ),
    (
        N_("The status line"),
        N_(
            "State, iteration and target, the learning rate with the largest stable one "
            "(2/λ_max for plain gradient descent), iterations per second while running, the "
            "pace if you changed it, and the seed. Paused in the middle of an iteration, it "
            "says which phase it stopped after, and the iteration number is the one in "
            "progress, as in the explanation's title. The moment the learning rate makes the "
            "error grow it says UNSTABLE, before any iteration runs, and the strip below says "
            "by how much per iteration and at which iteration divergence will be declared "
            "(NO PROGRESS if a direction's factor is exactly 1). When a run ends at its "
            "target (or is paused past it), the status says whether it has converged: both "
            "parameters within their tolerances for good; done only means the iterations "
            "ran. The strip says how far each parameter still is and from which iteration "
            "it stays within its tolerance, at this rate."
        ),
    ),
    (
        N_("Going back"),
        N_(
            "b goes back one iteration (one phase with the explanation open) and g to any "
            "iteration you type, back or forward: the screen is the one training to it "
            "showed, and settings changed since are restored. Training on from there forgets "
            "the later changes, like undo. Past the target, f jumps straight to where both "
            "parameters stay within their tolerances (with a closed form: {closed_form})."
        ),
    ),
    (
        N_("The Footer"),
        N_(
            "The keys that make sense now: space says what it will do (Run, Pause or "
            "Continue). Every key works whether or not the Footer shows it; ctrl+p finds "
            "any of them by name. Help and every dialog pause training, and it runs on when "
            "they close if it was running."
        ),
    ),
    (
        N_("The lesson"),
        N_(
            "c2f-tui --lesson (or ctrl+p, Lesson) walks through the tutorial in ten chapters on "
            "this trainer: each sets the neuron up, explains, and ticks off what it asks you to "
            "try. pagedown and pageup (or . and ,) turn the chapters. c races a second trainer "
            "from the same start (its line is the x line); t puts the loss chart's iterations "
            "on a log scale; # types the sample to explain."
        ),
    ),
    (
        N_("Why the bias is slow"),
        N_(
            "Watch the weight arrive within a few hundred iterations while the bias crawls: on "
            "the tutorial's data the loss surface is a valley about 29 times longer than it is "
            "wide (its curvatures differ 834-fold: κ is the square of that ratio), and one "
            "learning rate must suit both directions. v shows that landscape; z "
            "(standardised inputs) makes the bowl round, but at lr 1e-4 that alone makes the "
            "weight slower: a then takes the rate that suits the round bowl, 0.5, where one "
            "step lands on the optimum; o tries the other optimizers."
        ),
    ),
)


COLUMN_GAP = 2
"""Cells between a key and what it does."""


def keys_table(width: int | None = None) -> Table:
    """Every key once, with what it does; wrapped lines stay in their column. With the
    ``width`` it is drawn in, Chinese is broken between words (``broken``)."""
    rows: list[tuple[str, str]] = []
    for key in KEYS:
        if key.display in (display for display, _text in rows):
            continue
        text = describe(key)
        if key.display == "space":
            text = _("Run or pause; when the target is reached, continue past it.")
        rows.append((key.display, text))
    rows.append(("ctrl+p", _("Every command, and the colour theme, by name.")))
    key_cells = max(cell_len(display) for display, _text in rows)
    text_cells = None if width is None else width - key_cells - COLUMN_GAP
    table = Table.grid(padding=(0, COLUMN_GAP, 0, 0))
    table.add_column(style="bold", no_wrap=True, width=key_cells)
    table.add_column(overflow="fold")  # no spaces to wrap at: fold, never "…"
    for display, text in rows:
        table.add_row(Text(display), broken(text, text_cells))
    return table


def guide(width: int | None = None) -> Table:
    """The paragraphs on how to read the screen, each under its heading."""
    table = Table.grid()
    table.add_column(overflow="fold")
    lists = core_words.fields()  # the optimizers a paragraph names, from core.OPTIMIZERS
    for heading, paragraph in GUIDE:
        table.add_row(Text(_(heading), style="bold"))
        table.add_row(broken(_(paragraph).format_map(lists), width))
        table.add_row("")
    return table


def broken(text: str, cells: int | None) -> Text:
    """``text`` with its lines broken for ``cells`` as Chinese is typeset
    (``tui.widgets.line_breaks``): Rich alone breaks a run of Chinese wherever the width
    runs out, even inside "Nesterov" or before a closing mark. English is left to Rich."""
    if cells is None or cells < 2:
        return Text(text)
    return Text(break_lines(Content(text), cells).plain)


class HelpScreen(KeptBackground, ModalScreen[None]):
    """Keys and a short guide; escape or ? closes it (q quits, from here too)."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 96;
        height: 90%;
        border: round $primary;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
        overflow-y: scroll;
    }
    HelpScreen Static {
        margin-bottom: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,fullwidth_question_mark",
            "dismiss",
            N_("Close"),
            key_display="esc",
        ),
    ]

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = _("c2f-tui help")
        scroll.border_subtitle = _("esc to close · arrows scroll")
        width = HelpScreen._widths.get((language(), self.app.size))
        with scroll:
            if width is None:  # the first time at this size: drawn again once laid out
                yield Static(keys_table(), id="help-keys")
                yield Static(guide(), id="help-text")
            else:  # the width the tables had last time at this size: laid out once
                self._broken_for = width
                keys, text = drawn_tables(language(), width, tuple(core_words.fields().items()))
                yield Static(keys, id="help-keys")
                yield Static(text, id="help-text")

    def on_resize(self) -> None:
        # After this layout, not within it: the lines are broken for the width it gave.
        self.call_after_refresh(self._break_lines)

    def _break_lines(self) -> None:
        """Draw both tables again with their lines broken for the width they have now."""
        keys, text = self.query_one("#help-keys", Static), self.query_one("#help-text", Static)
        width = keys.content_size.width
        if width:
            if len(HelpScreen._widths) >= KEPT_WIDTHS:  # a server sees many window sizes
                HelpScreen._widths.clear()
            HelpScreen._widths[(language(), self.app.size)] = width
        if width and width != self._broken_for:
            self._broken_for = width
            drawn_keys, drawn_text = drawn_tables(
                language(), width, tuple(core_words.fields().items())
            )
            keys.update(drawn_keys)
            text.update(drawn_text)
            # Drawn at another width, the text may now need a scrollbar (or no longer),
            # which narrows (widens) the tables without resizing the screen: look again
            # once laid out. It settles: narrower lines only make the text longer.
            self.call_after_refresh(self._break_lines)

    _broken_for = 0
    """The width the tables' lines were last broken for (0: not yet)."""

    _drawn_for: tuple[object, ...] = ()
    """What the help kept by the app (``kept_help``) was composed for: the language and
    what the guide names from the registries."""

    def on_screen_suspend(self) -> None:
        """Closed (kept for the next open, ``kept_help``): opened again it starts at the top,
        with nothing selected, as a new help did."""
        self.clear_selection()
        self.query_one(VerticalScroll).scroll_home(animate=False, immediate=True)

    _widths: ClassVar[dict[tuple[str, Size], int]] = {}
    """The width the tables were given at a terminal size, in a language (the scrollbar
    depends on how long the text is): the next help opened at that size is composed with
    its tables at their width, not drawn at another and laid out again."""


KEPT_HELP = "c2f-tui-help"
"""The name the app's kept help is installed under (``kept_help``)."""


def kept_help(app: App[Any]) -> HelpScreen:
    """The help screen to show: the one the app kept from the last open, or a new one, kept.

    Composing, mounting and styling help's widgets again cost ~10 ms of each open (issue 20
    goal 2); a help Textual keeps installed is only shown again. It is kept while its text
    is the same: in the language and with the optimizers named that it was composed with.
    What else may have changed while it was closed Textual brings up to date as it shows
    it again: the trainer under it is drawn afresh, a new theme restyles it, a new terminal
    size lays it out again and sends it the ``Resize`` that breaks its lines for the new
    width (tests/test_tui_kept_help.py compares it with a new help after each). Help already
    on the stack (help asked for from the palette over help) gets a new one.
    """
    drawn_for = (language(), tuple(core_words.fields().items()))
    if app.is_screen_installed(KEPT_HELP):
        kept = app.get_screen(KEPT_HELP, HelpScreen)
        if kept in app.screen_stack:
            return HelpScreen()
        if kept._drawn_for == drawn_for:
            return kept
        app.uninstall_screen(kept)
        kept.remove()
    help_screen = HelpScreen()
    help_screen._drawn_for = drawn_for
    app.install_screen(help_screen, KEPT_HELP)
    return help_screen


@lru_cache(maxsize=8)
def drawn_tables(
    language_code: str, width: int, named: tuple[tuple[str, str], ...]
) -> tuple[KeptLines, KeptLines]:
    """The keys table and the guide drawn for ``width`` cells in a language, kept: Rich lays
    a table out anew each time it is drawn, for every open of help (issue 20 goal 2).
    ``named`` is what the guide names from the registries (``core_words.fields()``): an
    optimizer added to ``core.OPTIMIZERS`` draws the tables afresh."""
    console = Console(width=width, file=io.StringIO(), legacy_windows=False)
    options = console.options.update(width=width, highlight=False)

    def drawn(table: Table) -> KeptLines:
        text = Text()
        for number, line in enumerate(console.render_lines(table, options, pad=False)):
            if number:
                text.append("\n")
            for segment in line:
                text.append(segment.text, segment.style)
        return KeptLines(Content.from_rich_text(text))

    return drawn(keys_table(width)), drawn(guide(width))


class KeptLines(Visual):
    """``Content`` whose lines, once cut for a width and a base style, are kept: help's
    tables are the same at every open, and cutting their 140 lines took ~7 ms."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._lines: dict[tuple[object, ...], list[Strip]] = {}
        self._heights: dict[tuple[object, ...], int] = {}

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None or options.post_style is not None:
            return self.content.render_strips(width, height, style, options)  # a mouse selection
        key = (width, height, style, *self._rules(options.rules))
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= KEPT:
                self._lines.clear()
            lines = self._lines[key] = self.content.render_strips(width, height, style, options)
        return list(lines)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        key = (width, *self._rules(rules))
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= KEPT:
                self._heights.clear()
            height = self._heights[key] = self.content.get_height(rules, width)
        return height

    @staticmethod
    def _rules(rules: RulesMap) -> tuple[object, ...]:
        """The rules ``Content`` reads to cut its lines."""
        return tuple(
            rules.get(name) for name in ("text_align", "text_overflow", "text_wrap", "line_pad")
        )


KEPT_WIDTHS = 64
"""Terminal sizes (and languages) whose help width is remembered."""
KEPT = 4
"""Cuts kept per table (a width and a style each: a theme changed, a terminal resized)."""
