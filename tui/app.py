"""The Textual app: keys bound to the session's owner, its answers shown, one view per frame.

Data flows one way. The ``Controller`` (``tui.model.controller``) owns the
session: the driver that subscribes to ``core``'s step generator, the race, the
lesson and the display choices. Each key calls one of its methods and the app
shows the ``Outcome`` it returns; each frame the app's timer calls ``tick`` and
hands the ``View`` that ``frame`` builds to the main screen, whose panels draw
from it. The app computes nothing itself: it binds keys, opens screens, and
shows.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer

from core import Dataset
from tui import keys
from tui.i18n import _
from tui.key_order import QUIT_KEYS, KeysInOrder, settled
from tui.model.controller import Controller, Outcome
from tui.model.driver import RunState
from tui.model.view import Charts
from tui.notices import OVER_TEXT_TIMEOUT, TimedNotices
from tui.screens.main import MIN_COLUMNS, MIN_ROWS, MainScreen
from tui.settings import Settings

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


def charts_due(frame: int, fps: int) -> Charts:
    """The charts the frame loop's ``frame``-th frame redraws: each on every
    ``chart_every``-th frame, the loss chart half that many after the fit chart, so that no
    frame builds both (one that did cost about twice a frame of text alone)."""
    chart_every = max(2, math.ceil(fps / CHART_FPS))
    phase = frame % chart_every
    if phase == 0:
        return Charts.FIT
    return Charts.LOSS if phase == chart_every // 2 else Charts.NONE


class TrainerApp(TimedNotices):
    """c2f-tui: one neuron learning Celsius to Fahrenheit, live."""

    TITLE = "c2f-tui"
    CSS_PATH = "app.tcss"
    # Textual sets these classes on the screen as the terminal is resized (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_COLUMNS, "-narrow"), (120, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-too-low"), (MIN_ROWS, "-short"), (34, "-tall")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings()  # type: ignore[assignment]

    def __init__(
        self,
        settings: Settings,
        dataset: Dataset | None = None,
        *,
        after_first_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._after_first_frame = after_first_frame
        """Called once the first frame is on the terminal (``tui.cli.start`` resumes the
        garbage collector there: work that frame need not wait for)."""
        self.controller = Controller(settings, dataset)
        """The session's state and every command on it."""
        trainer = self.controller.driver.trainer
        self.main_screen = MainScreen(
            trainer.dataset,
            (trainer.initial_weight, trainer.initial_bias),
            ascii_markers=settings.ascii,
            id="_default",
        )
        self._frames = 0
        self._last_tick = time.perf_counter()
        self._timer: Timer | None = None
        self._ticking = False
        self.keys_in_order = KeysInOrder(
            settled=lambda: settled(self._message_queue.empty(), self.screen_stack),
            post=self.post_message,
            running=lambda: self.is_running,
        )
        """Keys from the terminal, one at a time (``tui.key_order``)."""

    def get_default_screen(self) -> Screen[Any]:
        return self.main_screen

    def on_mount(self) -> None:
        from tui.themes import HIGH_CONTRAST_THEME

        self.register_theme(HIGH_CONTRAST_THEME)
        if self.settings.theme is not None:
            self.theme = self.settings.theme
        self._timer = self.set_interval(1 / self.settings.fps, self._tick, pause=True)
        self.screen_change_signal.subscribe(self, self._follow_screens, immediate=True)
        self.show(self.controller.start())
        if self._after_first_frame is not None:
            # Run when the screen is next idle: laid out and painted (Screen._invoke_later).
            self.call_after_refresh(self._after_first_frame)

    # -- what holds training ----------------------------------------------------

    @property
    def too_small(self) -> bool:
        """True while the terminal is below the minimum size (see ``MIN_COLUMNS``)."""
        return self.size.width < MIN_COLUMNS or self.size.height < MIN_ROWS

    @property
    def covered(self) -> bool:
        """True while another screen (help, a dialog, the palette) is over the trainer's."""
        stack = self.screen_stack
        return bool(stack) and stack[-1] is not self.main_screen

    def on_main_screen_resized(self, message: MainScreen.Resized) -> None:
        self._follow_screens()

    def _follow_screens(self, _screen: object = None) -> None:
        """Hold training exactly while the trainer's screen is covered or the window too small.

        Called at each push or pop of a screen (Textual's ``screen_change_signal``, as the
        stack changes, not by a message queued behind keys) and after each resize: the hold
        is read from what is on screen each time, never counted up and down.
        """
        if not self.is_running or not self.screen_stack:
            return  # starting up or shutting down: no screen to follow
        self.controller.hold_while(self.covered or self.too_small)
        self.refresh_view()

    # -- the frame loop ---------------------------------------------------------

    def _tick(self) -> None:
        now = time.perf_counter()
        seconds, self._last_tick = now - self._last_tick, now
        budget = min(TRAINING_SHARE / self.settings.fps, MAX_TRAINING_SLICE)
        self.controller.tick(seconds, budget, frame_interval=1 / self.settings.fps)
        self._frames += 1
        self.refresh_view(charts=charts_due(self._frames, self.settings.fps))

    def refresh_view(self, *, charts: Charts | bool = False) -> None:
        """Build this frame's view and hand it to the screen; then run or stop the timer.
        ``charts``: which charts this frame redraws (True: both)."""
        controller = self.controller
        self.main_screen.view = controller.frame(charts=charts)
        ticking = controller.running or controller.racer_behind
        if self._timer is not None and ticking != self._ticking:  # paused costs no CPU
            self._ticking = ticking
            self._last_tick = time.perf_counter()
            if ticking:
                self._timer.reset()  # the first frame one interval from now, not at once
                self._timer.resume()
            else:
                self._timer.pause()
        shows = self.footer_actions()
        on = frozenset(("fold_lesson",) if controller.display.lesson_folded else ())
        screen = self.main_screen
        if shows != screen.footer_shows or on != screen.footer_on:
            screen.offer_keys(shows, on)  # its Footer, even under a dialog

    def show(self, outcome: Outcome | None) -> None:
        """Redraw, then tell the learner what a command did (if anything): whether its
        notice would cover the lesson or the code is the new frame's to say."""
        self.refresh_view()
        if outcome is not None:
            timeout = outcome.timeout
            if outcome.echoed and self._notices_cover_text():
                timeout = min(timeout, OVER_TEXT_TIMEOUT)
            self.notify(
                outcome.message, title=outcome.title, severity=outcome.severity, timeout=timeout
            )

    def _notices_cover_text(self) -> bool:
        """Whether the notices (bottom right) lie over the lesson's or the code's words: on a
        short screen, where those panes sit right above the Footer."""
        screen, view = self.main_screen, self.main_screen.view
        if view is None or not screen.has_class("-short"):
            return False
        lesson_open = view.lesson is not None and not view.display.lesson_folded
        return lesson_open or view.display.code

    # -- keys -------------------------------------------------------------------

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

    def footer_actions(self) -> frozenset[str]:
        """The actions the Footer offers now."""
        if self.too_small:
            return frozenset(("help", "quit"))
        driver = self.controller.driver
        context = keys.context(
            driver.state,
            at_target=driver.at_target,
            explaining=self.controller.display.explaining,
            hands=self.controller.hands is not None,
        )
        return keys.footer_actions(
            context, lesson=self.controller.lesson is not None, width=self.size.width
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.too_small and action not in ("quit", "help"):
            return False  # keys that change what nobody can see would act invisibly
        if action == "export" and self.settings.served:
            return False  # a served session never writes on the server's disk
        if action in keys.HANDS_ACTIONS:
            # Priority keys: only in hands mode, and never under a dialog or help (whose
            # arrows scroll and whose escape closes it).
            return self.controller.hands is not None and self._trainer_keys_act()
        if action == "fold_lesson":
            return self.controller.lesson is not None
        if action in ("next_chapter", "previous_chapter"):
            # Priority keys: never while a dialog (where . and , are typed) covers the screen.
            return self.controller.lesson is not None and self._trainer_keys_act()
        driver = self.controller.driver
        return keys.availability(action, driver.state, at_target=driver.at_target)

    def _trainer_keys_act(self) -> bool:
        """Whether the trainer's own priority keys (hands mode's, the chapters') act now:
        only with the trainer's screen on top (Textual looks for priority keys through every
        screen). Its Footer asks as if on top, under a dialog too (``MainScreen.listing_keys``):
        there the Footer is part of the tinted trainer, whose keys (space, s, +, …) do nothing
        through a dialog, and these keys stay in it like the others. Taken out as a dialog
        opened and put back as it closed, they cost two recomposes of the Footer and a layout
        of the trainer per dialog (issue 20 goal 2)."""
        return self.screen is self.main_screen or self.main_screen.listing_keys

    def _run(self, command: Callable[[], Outcome | None]) -> None:
        self.show(command())

    def action_pause(self) -> None:
        self._run(self.controller.pause)

    def action_resume(self) -> None:
        self._run(self.controller.resume)

    def action_continue_run(self) -> None:
        self._run(self.controller.resume)

    def action_step_phase(self) -> None:
        self._run(self.controller.step_phase)

    def action_step_iteration(self) -> None:
        self._run(self.controller.step_iteration)

    def action_fast_forward(self) -> None:
        self._run(self.controller.fast_forward)

    def action_step_back(self) -> None:
        self._run(self.controller.step_back)

    def action_double_rate(self) -> None:
        self._run(self.controller.double_rate)

    def action_halve_rate(self) -> None:
        self._run(self.controller.halve_rate)

    def action_reset(self) -> None:
        self._run(self.controller.reset)

    def action_export(self) -> None:
        self._run(self.controller.export)

    def action_faster(self) -> None:
        self._run(self.controller.faster)

    def action_slower(self) -> None:
        self._run(self.controller.slower)

    def action_toggle_explain(self) -> None:
        self._run(self.controller.toggle_explain)

    def action_toggle_code(self) -> None:
        self._run(self.controller.toggle_code)

    def action_previous_sample(self) -> None:
        self._run(self.controller.previous_sample)

    def action_next_sample(self) -> None:
        self._run(self.controller.next_sample)

    def action_toggle_standardize(self) -> None:
        self._run(self.controller.toggle_standardize)

    def action_use_fastest_rate(self) -> None:
        self._run(self.controller.use_fastest_rate)

    def action_next_optimizer(self) -> None:
        self._run(self.controller.next_optimizer)

    def action_toggle_landscape(self) -> None:
        self._run(self.controller.toggle_landscape)

    def action_toggle_log_iterations(self) -> None:
        self._run(self.controller.toggle_log_iterations)

    def action_next_race(self) -> None:
        self._run(self.controller.next_race)

    def action_fold_lesson(self) -> None:
        self._run(self.controller.fold_lesson)

    def action_next_chapter(self) -> None:
        self._run(self.controller.next_chapter)

    def action_previous_chapter(self) -> None:
        self._run(self.controller.previous_chapter)

    def action_toggle_lesson(self) -> None:
        self._run(self.controller.toggle_lesson)

    def action_toggle_hands(self) -> None:
        self._run(self.controller.toggle_hands)

    def action_leave_hands(self) -> None:
        self._run(self.controller.leave_hands)

    def action_weight_up(self) -> None:
        self._run(self.controller.weight_up)

    def action_weight_down(self) -> None:
        self._run(self.controller.weight_down)

    def action_bias_up(self) -> None:
        self._run(self.controller.bias_up)

    def action_bias_down(self) -> None:
        self._run(self.controller.bias_down)

    def action_coarser_step(self) -> None:
        self._run(self.controller.coarser_step)

    def action_finer_step(self) -> None:
        self._run(self.controller.finer_step)

    # -- keys that open a screen ------------------------------------------------

    def action_ask_rate(self) -> None:
        """``l``: type a learning rate; it applies as ``+`` and ``-`` do, or changes nothing."""
        from tui.screens.ask import kept_dialog
        from tui.screens.rate_dialog import RateDialog

        trainer = self.controller.driver.trainer
        dialog = RateDialog(trainer.learning_rate, trainer.max_stable_learning_rate)
        self.push_screen(
            kept_dialog(self, dialog), lambda value: self.show(self.controller.set_rate(value))
        )

    def action_ask_sample(self) -> None:
        """``#``: type a temperature; the explanation opens on the nearest sample."""
        from tui.screens.ask import kept_dialog
        from tui.screens.sample_dialog import SampleDialog

        celsius = self.controller.driver.trainer.dataset.celsius
        shown = float(celsius[self.controller.display.sample])
        dialog = SampleDialog(shown, float(celsius.min()), float(celsius.max()))
        self.push_screen(
            kept_dialog(self, dialog),
            lambda answer: self.show(self.controller.explain_sample(answer)),
        )

    def action_go_to(self) -> None:
        """``g``: type an iteration; go there."""
        from tui.screens.ask import kept_dialog
        from tui.screens.seek_dialog import SeekDialog

        now, furthest, limited = self.controller.seek_range()
        dialog = SeekDialog(now, furthest, limited=limited)
        self.push_screen(
            kept_dialog(self, dialog), lambda iteration: self.show(self.controller.go_to(iteration))
        )

    def action_help(self) -> None:
        """``?``: help, kept between opens (``tui.screens.help.kept_help``)."""
        from tui.screens.help import kept_help

        self.push_screen(kept_help(self))

    def action_command_palette(self) -> None:
        """ctrl+p: the command palette, kept between opens (``tui.screens.palette``), with
        the commands on offer now (``get_system_commands``)."""
        from tui.screens.palette import Palette, PaletteCommand, kept_palette

        if self.use_command_palette and not isinstance(self.screen, Palette):
            commands = [
                PaletteCommand(command.title, command.help, command.callback, command.discover)
                for command in self.get_system_commands(self.screen)
            ]
            self.push_screen(kept_palette(self, "commands", commands, _("Search for commands…")))

    def search_themes(self) -> None:
        """The palette's Theme command: the theme picker, the same palette over the themes."""
        from tui.screens.palette import PaletteCommand, kept_palette

        themes = [
            PaletteCommand(name, "", functools.partial(setattr, self, "theme", name))
            for name in sorted(self.available_themes)
        ]
        self.push_screen(kept_palette(self, "themes", themes, _("Search for themes…")))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, then every key that is on offer now, by name."""
        for command in super().get_system_commands(screen):
            # Served over SSH, Textual's screenshot would be saved on the server's disk;
            # in a browser (the web driver) it is a download, so it stays.
            if not (command.title == "Screenshot" and self.settings.served and not self.is_web):
                yield command._replace(title=_(command.title), help=_(command.help))
        lesson = _("Close the lesson") if self.controller.lesson is not None else _("Lesson")
        yield SystemCommand(
            lesson,
            _("The tutorial chapter by chapter, on the live trainer (--lesson)."),
            self.action_toggle_lesson,
        )
        for key in keys.KEYS:
            if key.action != "quit" and self.check_action(key.action, ()) is True:
                title = f"{_(key.label)} ({key.display})"
                yield SystemCommand(
                    title, keys.describe(key), getattr(self, f"action_{key.action}")
                )


def make_app(
    settings: Settings | None = None,
    dataset: Dataset | None = None,
    *,
    after_first_frame: Callable[[], None] | None = None,
) -> TrainerApp:
    """The app for these settings (the tests build it the same way).

    ``dataset``, if given, is the one ``settings.make_dataset()`` already made,
    so a data file is read (and checked) once, before the screen is taken over;
    ``after_first_frame`` is called once the first frame is drawn.
    """
    return TrainerApp(
        settings if settings is not None else Settings(),
        dataset,
        after_first_frame=after_first_frame,
    )


__all__ = ["RunState", "TrainerApp", "make_app"]
