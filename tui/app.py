"""The Textual app: wiring between the driver (which subscribes to ``core``) and the panels.

Data flows one way: the driver advances the trainer and keeps the latest events;
each frame the app builds one ``View`` (``tui.view``) and sets it on ``view``, which
every panel is bound to; keys call driver commands (``tui.commands`` for those that
also have something to say). The app computes nothing itself.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from core import Dataset
from tui import commands, dialogs, keys, layout, palette_commands, racing, seek_commands
from tui.driver import Driver, RunState
from tui.i18n import _
from tui.key_order import QUIT_KEYS, KeysInOrder
from tui.lesson import control as lesson_control
from tui.lesson.progress import Progress
from tui.notices import TimedNotices
from tui.pace import Pace
from tui.race import Race
from tui.screens.main import MainScreen
from tui.settings import Settings
from tui.view import Display, View, build_view
from tui.widgets.footer import TrainerFooter

CHART_FPS = 2
"""The charts redraw at most this often, and on at most every other frame (and only when
what they show has moved): a chart repaint costs kilobytes, a line of text ~150 bytes,
so over SSH the charts' rate, not the training rate, sets the byte rate, and ``--fps``
lowers both."""
TRAINING_SHARE = 0.3
"""Share of each frame spent advancing the trainer, so keys are always answered promptly."""
MAX_TRAINING_SLICE = 0.01
"""But never more than this many seconds per frame: a key waits at most one slice, and
10 ms keeps the delay from a key to its effect on screen under 50 ms while training
flat out (tests/perf/measure_ui.py)."""
MIN_COLUMNS, MIN_ROWS = 80, 22
"""Below this size the layout cannot show its panels and keys; the app asks for more room,
holds training, and answers only q and ? until it has it."""
EXPLAINED_CELSIUS = 42.0
"""The sample the explanation starts with: the tutorial's own example, 42 °C."""


class TrainerApp(TimedNotices):
    """c2f-tui: one neuron learning Celsius to Fahrenheit, live."""

    TITLE = "c2f-tui"
    CSS_PATH = "app.tcss"
    # Textual sets these classes on the screen as the terminal is resized (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_COLUMNS, "-narrow"), (120, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-too-low"), (MIN_ROWS, "-short"), (34, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings()  # type: ignore[assignment]

    view: var[View | None] = var(None)
    """The frame on screen; every panel is bound to it."""

    def __init__(self, settings: Settings, dataset: Dataset | None = None) -> None:
        super().__init__()
        self.settings = settings
        trainer = settings.make_trainer(dataset)
        self.driver = Driver(
            trainer,
            target=settings.iterations,
            pace=Pace(fixed=settings.speed, lecture=settings.lecture_pace),
            running=not (settings.step_mode or settings.paused),
            rate_by_hand=settings.rate_given,
        )
        self.display_choice = Display.of(
            trainer.dataset, celsius=EXPLAINED_CELSIUS, explaining=settings.step_mode
        )
        """What the user chose to look at: the sample, the explanation, the landscape."""
        self.race: Race | None = None
        """A second trainer racing the first (``c``, ``--compare``), kept level with it."""
        self.race_turn = -1
        """Which race of ``tui.racing.plan`` is on (-1: none)."""
        self.lesson: Progress | None = None
        """The lesson's chapter and the learner's progress in it, in lesson mode."""
        self._catching_up = False
        self._frames = 0
        self._last_tick = time.perf_counter()
        self._timer: Timer | None = None
        self._ticking = False
        self._footer_shows: frozenset[str] = frozenset()
        """The actions the Footer shows now: it is refreshed only when they change."""
        self._footer_small = False
        self.keys_in_order = KeysInOrder(self)
        """Keys from the terminal, one at a time (``tui.key_order``)."""

    # -- layout ---------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        self.main_screen = MainScreen(id="_default")
        return self.main_screen

    def compose(self) -> ComposeResult:
        yield from layout.panels(self)
        room = _("c2f-tui needs a terminal of at least {columns}×{rows}.")
        yield Static(
            room.format(columns=MIN_COLUMNS, rows=MIN_ROWS)
            + "\n"
            + _("Please enlarge this one (q quits)."),
            id="too-small",
        )
        yield TrainerFooter(compact=True)

    def on_mount(self) -> None:
        from tui.themes import HIGH_CONTRAST_THEME

        self.register_theme(HIGH_CONTRAST_THEME)
        if self.settings.theme is not None:
            self.theme = self.settings.theme
        self._timer = self.set_interval(1 / self.settings.fps, self._tick, pause=True)
        self.screen_change_signal.subscribe(self, self.follow_screens, immediate=True)
        if self.settings.lesson is not None:
            lesson_control.open_chapter(self, self.settings.lesson)
        elif self.settings.compare is not None:
            self.race_turn = 0
            racing.start(self, self.settings.compare)
        else:
            self.refresh_view(charts=True)

    @property
    def too_small(self) -> bool:
        """True while the terminal is below the minimum size (see ``MIN_COLUMNS``)."""
        return self.size.width < MIN_COLUMNS or self.size.height < MIN_ROWS

    @property
    def covered(self) -> bool:
        """True while another screen (help, a dialog, the palette) is over the trainer's."""
        stack = self.screen_stack
        return bool(stack) and stack[-1] is not self.main_screen

    def follow_screens(self, _screen: object = None) -> None:
        """Hold training exactly while the trainer's screen is covered or the window too small.

        Called as the screen stack changes (Textual's ``screen_change_signal``, at the
        push or pop itself) and as the window is resized: the hold is read from what is
        on screen each time, never counted up and down by events that may come late.
        """
        if not self.is_running or not self.screen_stack:
            return  # starting up or shutting down: no screen to follow
        if self.driver.hold_while(self.covered or self.too_small):
            self.refresh_view(charts=not self.driver.held)
        elif self.too_small != self._footer_small:
            self._footer_small = self.too_small  # the Footer offers only ? and q meanwhile
            self.main_screen.refresh_bindings()

    # -- the frame loop ---------------------------------------------------------

    def _tick(self) -> None:
        now = time.perf_counter()
        seconds, self._last_tick = now - self._last_tick, now
        budget = min(TRAINING_SHARE / self.settings.fps, MAX_TRAINING_SLICE)
        self.driver.tick(seconds, budget, frame_interval=1 / self.settings.fps)
        self._frames += 1
        chart_every = max(2, math.ceil(self.settings.fps / CHART_FPS))
        self.refresh_view(charts=self._frames % chart_every == 0)

    def refresh_view(self, *, charts: bool) -> None:
        """Build this frame's view and hand it to every panel; then run or stop the timer."""
        running = self.driver.state is RunState.RUNNING
        level = self.race.sync() if self.race is not None else True
        racer = self.race.driver if self.race is not None else None
        view = build_view(
            self.driver, self.display_choice, charts=charts or not running, race=racer
        )
        if self.lesson is not None:
            view = replace(view, lesson=self.lesson.observe(view))
        with self.batch_update():
            self.main_screen.set_class(view.explaining, "-explaining")
            self.main_screen.set_class(self.lesson is not None, "-lesson")
            self.view = view
        if not level and not running and not self._catching_up:
            # A racer without a closed form still catching up, and no frame to come: call again.
            self._catching_up = True
            self.set_timer(0.02, self._catch_up)
        assert self._timer is not None
        if running != self._ticking:  # tick only while running: paused costs no CPU
            self._ticking = running
            self._last_tick = time.perf_counter()
            if running:
                self._timer.reset()  # the first frame one interval from now, not at once
                self._timer.resume()
            else:
                self._timer.pause()
        shows = self.footer_actions()
        if shows != self._footer_shows:  # refreshing repaints the Footer: only on change
            self._footer_shows = shows
            self.main_screen.refresh_bindings()  # its Footer, even under a dialog

    def _catch_up(self) -> None:
        self._catching_up = False
        self.refresh_view(charts=True)

    def choose(self, display: Display) -> None:
        """Look at something else (sample, explanation, landscape) and redraw."""
        self.display_choice = display
        self.refresh_view(charts=True)

    # -- keys -----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event.key in QUIT_KEYS:
                # Before Textual's bindings: a focused field (a dialog's, the palette's
                # search) takes every printable key, q included, even from a priority one.
                await self.run_action("quit")
                return
            if not self.keys_in_order.admit(event):
                return  # it waits for the keys before it (tui.key_order); it comes back
        await super().on_event(event)

    def footer_context(self) -> keys.Context:
        driver = self.driver
        explaining = self.display_choice.explaining
        return keys.context(driver.state, at_target=driver.at_target, explaining=explaining)

    def footer_actions(self) -> frozenset[str]:
        if self.too_small:
            return frozenset(("help", "quit"))
        return keys.footer_actions(self.footer_context(), lesson=self.lesson is not None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.too_small and action not in ("quit", "help"):
            return False  # keys that change what nobody can see would act invisibly
        if action == "export" and self.settings.served:
            return False  # a served session never writes on the server's disk
        if action in ("next_chapter", "previous_chapter"):
            # Priority keys: never while a dialog (where . and , are typed) covers the screen.
            return self.lesson is not None and self.screen is self.main_screen
        return keys.availability(action, self.driver.state, at_target=self.driver.at_target)

    def action_pause(self) -> None:
        self.driver.pause()
        self.refresh_view(charts=True)

    def action_resume(self) -> None:
        commands.unless_diverged(self, self.driver.toggle)

    def action_continue_run(self) -> None:
        commands.unless_diverged(self, self.driver.toggle)

    def action_step_phase(self) -> None:
        commands.unless_diverged(self, self.driver.step_phase)

    def action_step_iteration(self) -> None:
        commands.unless_diverged(self, self.driver.step_iteration)

    def action_fast_forward(self) -> None:
        seek_commands.fast_forward(self)

    def action_step_back(self) -> None:
        seek_commands.back(self)

    def action_go_to(self) -> None:
        seek_commands.ask_iteration(self)

    def action_double_rate(self) -> None:
        commands.double_rate(self)

    def action_halve_rate(self) -> None:
        commands.change_rate(self, self.driver.trainer.learning_rate / 2)

    def action_ask_rate(self) -> None:
        dialogs.ask_rate(self)

    def action_reset(self) -> None:
        self.driver.reset()
        self.refresh_view(charts=True)

    def action_export(self) -> None:
        commands.export(self)

    def action_faster(self) -> None:
        commands.change_pace(self, faster=True)

    def action_slower(self) -> None:
        commands.change_pace(self, faster=False)

    def action_toggle_explain(self) -> None:
        choice = self.display_choice
        self.choose(replace(choice, explaining=not choice.explaining))

    def action_previous_sample(self) -> None:
        self.choose(self.display_choice.step_sample(-1))

    def action_next_sample(self) -> None:
        self.choose(self.display_choice.step_sample(+1))

    def action_toggle_standardize(self) -> None:
        commands.toggle_standardize(self)

    def action_next_optimizer(self) -> None:
        commands.next_optimizer(self)

    def action_toggle_landscape(self) -> None:
        commands.toggle_landscape(self)

    def action_ask_sample(self) -> None:
        dialogs.ask_sample(self)

    def action_next_race(self) -> None:
        racing.next_race(self)

    def action_toggle_log_iterations(self) -> None:
        choice = self.display_choice
        self.choose(replace(choice, log_iterations=not choice.log_iterations))

    def action_next_chapter(self) -> None:
        lesson_control.turn(self, +1)

    def action_previous_chapter(self) -> None:
        lesson_control.turn(self, -1)

    def action_toggle_lesson(self) -> None:
        lesson_control.toggle(self)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        palette_commands.open_palette(self)

    def search_themes(self) -> None:
        palette_commands.open_theme_picker(self)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        return palette_commands.system_commands(self, super().get_system_commands(screen))


def make_app(settings: Settings | None = None, dataset: Dataset | None = None) -> TrainerApp:
    """The app for these settings (the tests build it the same way).

    ``dataset``, if given, is the one ``settings.make_dataset()`` already made,
    so a data file is read (and checked) once, before the screen is taken over.
    """
    return TrainerApp(settings if settings is not None else Settings(), dataset)
