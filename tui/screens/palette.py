"""ctrl+p's command palette and the theme picker: our own, kept between opens.

Textual's ``CommandPalette`` is made afresh at each open, and its list is emptied and
filled again by a worker once the screen is shown: eight widgets composed, the list laid
out four times as its options and then its scrollbar arrive, 31 two-line options wrapped
at two widths, ~65–88 ms of CPU an open and close where every other dialog costs ~25
(issue 20 goal 2, docs/speed.md, "Dialogs, third to sixth pass"). It cannot be kept
between opens through its public interface.

``Palette`` is built from Textual's public widgets (an ``Input`` over an ``OptionList``)
and looks as Textual's does (its CSS values, copied; tests/test_tui_dialog_cost.py
compares the two cell for cell). Its commands are data (``PaletteCommand``: a title, a
help line, what to call), given as it is shown; it matches them as Textual's
``SystemCommandsProvider`` does (``textual.fuzzy.Matcher``, best first, an empty search
listing every command by title). ``kept_palette`` keeps it installed between opens:
shown again with the same commands, it is neither composed nor are its options cut into
lines again; closed, its search is emptied and its highlight goes back to the first.

Keys come faster than screens close: two enters in one burst select twice, and a key
typed as the palette closes changes its search. A closed palette (not the top screen),
or one reopened since the message was sent, does nothing with either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from rich.align import Align
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import MarkupError
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.i18n import _
from tui.screens.kept_background import KeptBackground

if TYPE_CHECKING:
    from textual.app import App, ComposeResult
    from textual.message import Message

PALETTE_CLASS = "--textual-command-palette"
"""The class Textual's own palette has (``CommandPalette.is_open`` looks for it)."""


class PaletteCommand(NamedTuple):
    """One line of the palette: what it says, and what choosing it does."""

    title: str
    help: str
    """The line under the title ("" for none)."""
    run: Callable[[], object]
    discover: bool = True
    """Listed while nothing is typed (Textual's ``SystemCommand.discover``)."""


class PaletteList(OptionList, can_focus=False):
    """The palette's list (Textual's ``CommandList``: its CSS)."""

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """Its scrollbar styled as it first shows (during the layouts of the first open):
        Textual styles a scrollbar only with its widget, so it was styled first as the
        palette was shown again, and its new rules laid the palette out once more then."""
        if shown and not self._scrollbar_styled:
            self._scrollbar_styled = True
            self.vertical_scrollbar.update_node_styles(animate=False)

    _scrollbar_styled = False

    DEFAULT_CSS = """
    PaletteList:ansi {
        & > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    PaletteList {
        visibility: visible;
        border-top: blank;
        border-bottom: hkey black;
        border-left: none;
        border-right: none;
        height: auto;
        max-height: 70vh;
        background: transparent;
        padding: 0;
    }
    PaletteList > .option-list--option-highlighted {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    PaletteList:nocolor > .option-list--option-highlighted {
        text-style: reverse;
    }
    PaletteList > .option-list--option {
        padding: 0 2;
        color: $foreground;
        text-style: bold;
    }
    """


class PaletteIcon(Static, inherit_css=False):
    """The magnifying glass before the search field (Textual's ``SearchIcon``)."""

    DEFAULT_CSS = """
    PaletteIcon {
        color: #000;
        margin-left: 1;
        margin-top: 1;
        width: 2;
    }
    """


class PaletteInput(Input):
    """The search field (Textual's ``CommandInput``). home and end, with nothing typed
    to move through, go to the list's first and last command."""

    DEFAULT_CSS = """
    PaletteInput, PaletteInput:focus {
        border: blank;
        width: 1fr;
        padding-left: 0;
        background: transparent;
        background-tint: 0%;
    }
    """

    def action_home(self, select: bool = False) -> None:
        if self.value or select:
            super().action_home(select)
        else:
            self.screen.query_one(PaletteList).action_first()

    def action_end(self, select: bool = False) -> None:
        if self.value or select:
            super().action_end(select)
        else:
            self.screen.query_one(PaletteList).action_last()


class Palette(KeptBackground, ModalScreen[None], inherit_css=False):
    """A search field over a list of commands; choosing one closes the palette and runs it.

    Not Textual's ``ModalScreen`` CSS (``inherit_css=False``, as Textual's palette, a
    ``SystemModalScreen``): Textual's palette's, so that it looks the same."""

    AUTO_FOCUS = "PaletteInput"

    COMPONENT_CLASSES: ClassVar[set[str]] = ModalScreen.COMPONENT_CLASSES | {
        "command-palette--help-text",
        "command-palette--highlight",
    }

    DEFAULT_CSS = """
    Palette {
        color: $foreground;
        background: $background 60%;
        align-horizontal: center;
        &:ansi {
            background: transparent;
        }
    }
    Palette > .command-palette--help-text {
        color: transparent;
        text-style: dim not bold;
    }
    Palette > .command-palette--highlight {
        text-style: bold underline;
    }
    Palette:nocolor > .command-palette--highlight {
        text-style: underline;
    }
    Palette > Vertical {
        margin-top: 3;
        height: 100%;
        visibility: hidden;
        background: $surface;
        &:dark { background: $panel-darken-1; }
    }
    Palette #--input {
        height: auto;
        visibility: visible;
        border: hkey black 50%;
        border-bottom: none;
    }
    Palette #--results {
        overlay: screen;
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+end, shift+end", "move('last')", show=False),
        Binding("ctrl+home, shift+home", "move('first')", show=False),
        Binding("down", "move('cursor_down')", show=False),
        Binding("escape", "close", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
        Binding("up", "move('cursor_up')", show=False),
    ]

    def __init__(
        self,
        commands: Sequence[PaletteCommand],
        placeholder: str,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's own name)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=" ".join(filter(None, (classes, PALETTE_CLASS))))
        self._placeholder = placeholder
        self._commands: list[PaletteCommand] = []
        """Every command, in the order given (a search's ties keep it, as Textual's)."""
        self._every: list[PaletteCommand] = []
        """The commands an empty search lists: those to discover, by title."""
        self._take(commands)
        self._every_option: list[Option] | None = None
        """The options listing ``_every`` (None: to be made). Kept, they keep their lines:
        ``OptionList`` keeps an option's drawing on the option."""
        self._listed: list[PaletteCommand] = []
        """The commands the list shows, in its order."""
        self._shown_since = 0.0
        """When it was last shown: a message sent before was meant for an earlier open."""

    def _take(self, commands: Sequence[PaletteCommand]) -> None:
        self._commands = list(commands)
        self._every = sorted(
            (command for command in self._commands if command.discover),
            key=lambda command: command.title,
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield PaletteIcon("🔎")
                yield PaletteInput(placeholder=self._placeholder, select_on_focus=False)
            with Vertical(id="--results"):
                yield PaletteList()

    def on_mount(self) -> None:
        self._list("")

    # -- kept between opens ---------------------------------------------------------

    def offer(self, commands: Sequence[PaletteCommand], placeholder: str) -> None:
        """Kept from its last open (``kept_palette``), offer these commands now. The same
        titles and help lines as before (the same language, optimizers, state) keep the
        options, already cut into lines; only what they call is taken anew."""
        before = [_shown(command) for command in self._commands]
        self._take(commands)
        if self._placeholder != placeholder:
            self._placeholder = placeholder
            self.query_one(PaletteInput).placeholder = placeholder
        search = self.query_one(PaletteInput).value.strip()
        if search or [_shown(command) for command in self._commands] != before:
            self._every_option = None
            self._list(search)
        else:
            self._listed = self._every

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self._shown_since = event.time

    def on_screen_suspend(self) -> None:
        """Closed: opened again it shows every command with the first highlighted and
        nothing typed, as a new palette does. Its field gives up the focus (a focused field
        blinks its cursor, hidden, all the while) and takes it again as it is shown."""
        if self in self.app.screen_stack:
            return  # covered, not closed
        field = self.query_one(PaletteInput)
        if field.value:
            with self.prevent(Input.Changed):
                field.value = ""
            self._list("")
        commands = self.query_one(PaletteList)
        if commands.highlighted != 0 and commands.option_count:
            commands.highlighted = 0
        commands.scroll_home(animate=False, immediate=True)
        self.set_focus(None)

    # -- searching ----------------------------------------------------------------

    def _list(self, search: str) -> None:
        """List the commands that match ``search``, best first (every command, by title,
        for an empty search), the first highlighted; or say that none matches."""
        commands = self.query_one(PaletteList)
        if not search:
            if self._every_option is None:
                self._every_option = [
                    Option(self._prompt(_from_markup(command.title), command))
                    for command in self._every
                ]
            self._listed = self._every
            commands.set_options(self._every_option)
        else:
            matcher = Matcher(
                search,
                match_style=self.get_visual_style("command-palette--highlight", partial=True),
            )
            scored = [
                (score, index, command)
                for index, command in enumerate(self._commands)
                if (score := matcher.match(command.title)) > 0
            ]
            scored.sort(key=lambda hit: (-hit[0], hit[1]))
            self._listed = [command for _score, _index, command in scored]
            if self._listed:
                commands.set_options(
                    Option(self._prompt(_highlighted(matcher, command.title), command))
                    for command in self._listed
                )
            else:
                nothing = Align.center(Text(_("No matches found"), style="not bold"))
                commands.set_options([Option(nothing, disabled=True)])
        if self._listed:
            commands.highlighted = 0

    def _prompt(self, title: Content, command: PaletteCommand) -> Content:
        """The title, and under it the help line dimmed (Textual's palette's prompt)."""
        if not command.help:
            return title
        help_style = Style.from_styles(self.get_component_styles("command-palette--help-text"))
        return Content("\n").join((title, _from_markup(command.help).stylize_before(help_style)))

    @on(Input.Changed)
    def _search(self, event: Input.Changed) -> None:
        event.stop()
        if self._heard(event):
            self._list(self.query_one(PaletteInput).value.strip())

    # -- choosing -----------------------------------------------------------------

    def action_move(self, move: str) -> None:
        """up, down, pageup, pagedown, ctrl+home, ctrl+end: through the list."""
        if self._listed:
            getattr(self.query_one(PaletteList), f"action_{move}")()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one(PaletteList).highlighted
        if self._heard(event) and highlighted is not None and self._listed:
            self._run(self._listed[highlighted])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._heard(event) and event.option_index < len(self._listed):
            self._run(self._listed[event.option_index])

    @on(OptionList.OptionHighlighted)
    def _keep_highlight_in(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # the app has no use for it (Textual's palette stops it too)

    def _run(self, command: PaletteCommand) -> None:
        """Close, then run the command (over the screen under the palette)."""
        self.app.delay_update()  # as Textual's palette: no frame of the bare trainer between
        self.dismiss()
        self.app.call_later(command.run)

    def action_close(self) -> None:
        if self.is_active:
            self.dismiss()

    def on_click(self, event: events.Click) -> None:
        """A click beside the palette closes it (as Textual's)."""
        if self.is_active and self.get_widget_at(event.screen_x, event.screen_y)[0] is self:
            self.dismiss()

    def _heard(self, message: Message) -> bool:
        """Whether a message is for this open: sent while it is shown, and it is on top."""
        return self.is_active and message.time >= self._shown_since


def _from_markup(text: str) -> Content:
    """A title or help line as Textual's palette shows it (Textual markup), or as it is
    if it is not valid markup."""
    try:
        return Content.from_markup(text)
    except MarkupError:
        return Content(text)


def _highlighted(matcher: Matcher, title: str) -> Content:
    try:
        return matcher.highlight(title)
    except MarkupError:
        return Content(title)


def _shown(command: PaletteCommand) -> tuple[str, str, bool]:
    """What the palette shows of a command (what it calls aside)."""
    return command.title, command.help, command.discover


def kept_palette(
    app: App[Any], name: str, commands: Sequence[PaletteCommand], placeholder: str
) -> Palette:
    """The palette ``name`` ("commands", "themes") to show with these commands: the one
    the app kept from its last open, or a new one, kept for the next (Textual's
    ``install_screen``: it is not removed as it closes)."""
    installed = f"c2f-tui-palette-{name}"
    if app.is_screen_installed(installed):
        kept = app.get_screen(installed, Palette)
        if kept not in app.screen_stack:
            kept.offer(commands, placeholder)
            return kept
        return Palette(commands, placeholder)  # open already (under another screen)
    palette = Palette(commands, placeholder, id=f"--{name}-palette")
    app.install_screen(palette, installed)
    return palette
