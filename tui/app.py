"""The Textual app: wiring between the driver (which subscribes to ``core``) and the panels.

Data flows one way: the driver advances the trainer and keeps the latest
events, ``_render`` copies the numbers onto the panels, and keys call driver
commands. The app computes nothing itself.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from core import OPTIMIZERS, Dataset, ExportError, export_run
from core.export import export_new_run
from core.history import COLUMNS
from core.printable import printable
from tui.driver import Driver, RunState
from tui.format import count, per_second, rate
from tui.keys import KEYS, bindings
from tui.pace import Pace
from tui.screens.help import HelpScreen
from tui.screens.rate_dialog import RateDialog
from tui.settings import Settings
from tui.widgets.banner import DivergenceBanner
from tui.widgets.explain_panel import ExplainPanel, Setup
from tui.widgets.fit_chart import FitChart
from tui.widgets.landscape_chart import LandscapeChart
from tui.widgets.loss_panel import LossPanel
from tui.widgets.parameter_panel import ParameterPanel
from tui.widgets.status_bar import StatusBar

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
flat out (tests/perf/measure_ui.py); at about 70 ns an iteration, a slice of ``run()``
still covers over 100,000 iterations."""
MIN_COLUMNS, MIN_ROWS = 80, 22
"""Below this size the layout cannot show its panels and keys; the app asks for more room,
pauses, and answers only q until it has it."""
AFTER_PHASE = {"backward": "forward", "update": "backward"}
"""Mid-iteration, the phase just done, by the phase that comes next."""
EXPLAINED_CELSIUS = 42.0
"""The sample the explanation starts with: the tutorial's own example, 42 °C."""


class TrainerApp(App[None]):
    """c2f-tui: one neuron learning Celsius to Fahrenheit, live."""

    TITLE = "c2f-tui"
    CSS_PATH = "app.tcss"
    # Textual sets these classes on the screen as the terminal is resized (see app.tcss):
    # below the minimum the app asks for room; at 120 columns the side panels grow;
    # below 34 rows the loss panel gives way to the explanation panel.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 - Textual's own (untyped-ClassVar) hook
        (0, "-too-narrow"),
        (MIN_COLUMNS, "-narrow"),
        (120, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012 - as above
        (0, "-too-low"),
        (MIN_ROWS, "-short"),
        (34, "-tall"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = bindings()  # type: ignore[assignment]

    def __init__(self, settings: Settings, dataset: Dataset | None = None) -> None:
        super().__init__()
        self.settings = settings
        trainer = settings.make_trainer(dataset)
        self.driver = Driver(
            trainer,
            target=settings.iterations,
            pace=Pace(fixed=settings.speed),
            running=not (settings.step_mode or settings.paused),
        )
        self._frame = 0
        self._last_tick = time.perf_counter()
        celsius = trainer.dataset.celsius
        self._samples_by_celsius = sorted(range(len(celsius)), key=lambda i: float(celsius[i]))
        """Sample indices from coldest to warmest: the order ``[`` and ``]`` walk."""
        nearest = min(self._samples_by_celsius, key=lambda i: abs(celsius[i] - EXPLAINED_CELSIUS))
        self._sample_position = self._samples_by_celsius.index(nearest)
        self._explaining = settings.step_mode

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        trainer = self.driver.trainer
        # Kept as attributes: the frame loop must reach them even while a modal
        # screen (help, learning-rate dialog) is on top.
        self._status = StatusBar()
        self._banner = DivergenceBanner(id="banner")
        self._chart = FitChart(
            trainer.dataset,
            (trainer.initial_weight, trainer.initial_bias),
            ascii_markers=self.settings.ascii,
            id="fit-chart",
        )
        self._chart.border_title = "fahrenheit = weight × celsius + bias"
        self._landscape = LandscapeChart(
            trainer.surface,
            (trainer.initial_weight, trainer.initial_bias),
            ascii_markers=self.settings.ascii,
            id="landscape",
        )
        marks = self._landscape.shading
        self._landscape.border_subtitle = (
            f"brighter is lower · {marks.legend_path} path {marks.now} now {marks.optimum} optimum"
        )
        self._landscape.display = False
        self._weight_panel = ParameterPanel("weight", id="weight-panel")
        self._bias_panel = ParameterPanel("bias", id="bias-panel")
        self._loss_panel = LossPanel(ascii_markers=self.settings.ascii)
        self._explain = ExplainPanel(id="explain")
        self._too_small = Static(
            f"c2f-tui needs a terminal of at least {MIN_COLUMNS}×{MIN_ROWS}.\n"
            "Please enlarge this one (q quits).",
            id="too-small",
        )
        yield self._status
        with Horizontal(id="main"):
            with Vertical(id="chart-column"):
                yield self._banner
                yield self._chart
                yield self._landscape
            with Vertical(id="sidebar") as self._sidebar:
                yield self._weight_panel
                yield self._bias_panel
                yield self._loss_panel
        yield self._explain
        yield self._too_small
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._timer = self.set_interval(1 / self.settings.fps, self._tick, pause=True)
        self._render(charts=True)

    @property
    def sample(self) -> int:
        """Index of the sample the explanation panel and the chart single out."""
        return self._samples_by_celsius[self._sample_position]

    # -- the frame loop ---------------------------------------------------------

    @property
    def too_small(self) -> bool:
        """True while the terminal is below the minimum size (see ``MIN_COLUMNS``)."""
        return self.screen.has_class("-too-narrow") or self.screen.has_class("-too-low")

    def _tick(self) -> None:
        if self.too_small:  # nobody can see it: do not train behind the notice
            self.driver.pause()
            self._render(charts=False)
            return
        now = time.perf_counter()
        seconds, self._last_tick = now - self._last_tick, now
        budget = min(TRAINING_SHARE / self.settings.fps, MAX_TRAINING_SLICE)
        self.driver.tick(seconds, budget, frame_interval=1 / self.settings.fps)
        self._frame += 1
        chart_every = max(2, math.ceil(self.settings.fps / CHART_FPS))
        self._render(charts=self._frame % chart_every == 0)

    def _render(self, *, charts: bool) -> None:
        """Copy the driver's numbers onto the screen, then run or stop the timer.

        Text panels are updated on every call (each repaints only if its text
        changed), the charts when ``charts`` and whenever training stops.
        """
        driver = self.driver
        trainer = driver.trainer
        settled = driver.state is not RunState.RUNNING
        goal = driver.fast_goal
        with self.batch_update():
            self._status.show(
                iteration=trainer.iteration,
                target=driver.target if goal is None else goal,
                state=driver.state,
                learning_rate=trainer.learning_rate,
                max_stable=trainer.max_stable_learning_rate,
                speed=driver.measured_rate,
                pace=driver.pace.describe(),
                seed=trainer.seed,
                diverged_at=trainer.diverged_at,
                fast_forwarding=goal is not None,
                past_target=driver.past_target,
                after_phase=AFTER_PHASE.get(trainer.next_phase),
            )
            self._show_panels()
            self._show_explanation()
            if charts or settled:
                self._show_charts()
        self._sync_timer()

    def _show_panels(self) -> None:
        trainer = self.driver.trainer
        inputs = "standardised" if trainer.standardize else "raw"
        kappa = trainer.training_surface.condition_number
        setup = f"{trainer.optimizer} · {inputs} celsius · κ {kappa:.4g}"
        if self._chart.border_subtitle != setup:
            self._chart.border_subtitle = setup
            # The landscape is always drawn over the original (weight, bias): its own κ.
            original_kappa = trainer.surface.condition_number
            self._landscape.border_title = f"loss landscape · κ {original_kappa:.4g}"
        surface = trainer.surface
        grad_weight, grad_bias = trainer.gradient
        to_go_weight, to_go_bias = trainer.distance
        share_weight, share_bias = trainer.progress
        self._weight_panel.show(
            trainer.weight, surface.optimum_weight, grad_weight, to_go_weight, share_weight
        )
        self._bias_panel.show(trainer.bias, surface.optimum_bias, grad_bias, to_go_bias, share_bias)
        self._loss_panel.show_value(trainer.loss, surface.minimum_loss, surface.var_fahrenheit)
        self._banner.show(
            trainer.diverged_at,
            diverged_rate=self.driver.diverged_rate,
            learning_rate=trainer.learning_rate,
            max_stable=trainer.max_stable_learning_rate,
        )

    def _show_explanation(self) -> None:
        driver = self.driver
        self._sidebar.set_class(self._explaining, "-explaining")
        self._explain.set_class(self._explaining, "-open")
        if self._explaining:
            self._explain.show(
                driver.last_event,
                forward=driver.latest_forward,
                dataset=driver.trainer.dataset,
                inputs=driver.trainer.training_data,
                sample=self.sample,
                next_phase=driver.trainer.next_phase,
                iteration=driver.trainer.iteration,
                setup=self._setup(),
            )

    def _setup(self) -> Setup:
        """The facts about the training set-up the explanation's formulas depend on."""
        trainer = self.driver.trainer
        surface = trainer.training_surface
        return Setup(
            standardized=trainer.standardize,
            shift=trainer.scaling.shift,
            scale=trainer.scaling.scale,
            lambda_max=surface.eigenvalues[1],
            condition_number=surface.condition_number,
            stable_product=trainer.max_stable_learning_rate * surface.eigenvalues[1],
            original=(trainer.weight, trainer.bias),
        )

    def _show_charts(self) -> None:
        trainer = self.driver.trainer
        rows = trainer.history.rows()  # one copy of the trajectory for both charts
        iteration, weight, bias, loss = (
            rows[:, COLUMNS.index(name)] for name in ("iteration", "weight", "bias", "loss")
        )
        if self._landscape.display:
            self._landscape.show(weight, bias)
        else:
            highlight = self.sample if self._explaining else None
            self._chart.show(trainer.weight, trainer.bias, highlight=highlight)
        self._loss_panel.show_history(iteration, loss, self.driver.target)

    def _sync_timer(self) -> None:
        """Tick only while running: a paused app draws nothing and costs no CPU."""
        running = self.driver.state is RunState.RUNNING
        if running and not self._timer_running:
            self._last_tick = time.perf_counter()
            self._timer.resume()
        elif not running and self._timer_running:
            self._timer.pause()
        self._timer_running = running
        if self.driver.state is not self._bindings_state:
            # Refreshing bindings repaints the Footer: only when the keys on offer change.
            self._bindings_state = self.driver.state
            self.refresh_bindings()

    _timer_running = False
    _bindings_state: RunState | None = None

    # -- keys -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.too_small and action not in ("quit", "help"):
            return False  # keys that change what nobody can see would act invisibly
        if action == "export" and self.settings.served:
            return False  # a served session never writes on the server's disk
        state = self.driver.state
        if action == "pause":
            return state is RunState.RUNNING
        if action == "resume":
            return state is not RunState.RUNNING
        return True

    def _tell(self, message: str, **options: Any) -> None:
        """One notification at a time: a new one replaces any still on screen, so a
        repeated key cannot stack toasts over the panels."""
        self.clear_notifications()
        self.notify(message, **options)

    def _refuse_if_diverged(self) -> bool:
        """Say what to do instead, if training has diverged; True if it has."""
        if self.driver.state is not RunState.DIVERGED:
            return False
        self._tell(
            "Training has diverged: lower the learning rate with - (the banner says how "
            "often), then press r to start again.",
            title="Nothing to run",
            severity="warning",
            timeout=4,
        )
        return True

    def action_pause(self) -> None:
        self.driver.pause()
        self._render(charts=True)

    def action_resume(self) -> None:
        if not self._refuse_if_diverged():
            self.driver.toggle()
            self._render(charts=True)

    def action_step_phase(self) -> None:
        if not self._refuse_if_diverged():
            self.driver.step_phase()
            self._render(charts=True)

    def action_step_iteration(self) -> None:
        if not self._refuse_if_diverged():
            self.driver.step_iteration()
            self._render(charts=True)

    def action_fast_forward(self) -> None:
        """Race to the target over the next frames (``Driver.fast_forward``); keys still work."""
        if not self._refuse_if_diverged():
            self.driver.fast_forward()
            self._render(charts=True)

    def action_double_rate(self) -> None:
        self._change_rate(self.driver.trainer.learning_rate * 2)

    def action_halve_rate(self) -> None:
        self._change_rate(self.driver.trainer.learning_rate / 2)

    def action_ask_rate(self) -> None:
        trainer = self.driver.trainer
        limit = trainer.max_stable_learning_rate
        dialog = RateDialog(trainer.learning_rate, limit)
        self.push_screen(dialog, self._rate_chosen)

    def _rate_chosen(self, value: float | None) -> None:
        if value is not None:
            self._change_rate(value)

    def _change_rate(self, value: float) -> None:
        try:
            self.driver.set_learning_rate(value)
        except ValueError as error:
            self._tell(str(error), title="Learning rate unchanged", severity="error")
            return
        self._warn_if_unstable()
        self._render(charts=False)

    def _warn_if_unstable(self) -> None:
        """A learning rate, optimizer or scaling change that sets up divergence says so."""
        trainer = self.driver.trainer
        limit = trainer.max_stable_learning_rate
        if trainer.learning_rate >= limit:
            self._tell(
                f"{rate(trainer.learning_rate)} is above the stable limit {rate(limit)}: "
                "expect divergence.",
                title="Learning rate",
                severity="warning",
            )

    def action_reset(self) -> None:
        self.driver.reset()
        self._render(charts=True)

    def action_export(self) -> None:
        trainer = self.driver.trainer
        try:
            if self.settings.export is not None:
                written = export_run(self.settings.export, trainer)
            else:  # a new c2f-run-*.csv, claimed so that no other export is ever replaced
                written = export_new_run(trainer)
        except ExportError as error:
            self._tell(str(error), title="Export failed", severity="error")
            return
        self._tell(
            f"{count(len(trainer.history))} rows, iterations 0 to {count(trainer.iteration)}, "
            f"written to {printable(os.path.abspath(written))}",
            title="Exported",
        )

    def action_faster(self) -> None:
        self.driver.pace.faster()
        self._announce_pace()
        self._render(charts=False)

    def action_slower(self) -> None:
        self.driver.pace.slower()
        self._announce_pace()
        self._render(charts=False)

    def action_toggle_explain(self) -> None:
        self._explaining = not self._explaining
        self._render(charts=True)

    def action_previous_sample(self) -> None:
        self._move_sample(-1)

    def action_next_sample(self) -> None:
        self._move_sample(+1)

    def _move_sample(self, step: int) -> None:
        last = len(self._samples_by_celsius) - 1
        self._sample_position = min(max(self._sample_position + step, 0), last)
        if not self._explaining:
            self._explaining = True
        self._render(charts=True)

    def action_toggle_standardize(self) -> None:
        on = self.driver.toggle_standardize()
        trainer = self.driver.trainer
        message = f"Condition number {trainer.training_surface.condition_number:.4g}"
        if math.isfinite(trainer.max_stable_learning_rate):
            message += f"; stable below lr {rate(trainer.max_stable_learning_rate)}"
        if on and trainer.optimizer == "gd":
            message += ". With lr 0.5, one step lands on the optimum"
        self._tell(message + ".", title="Standardised celsius" if on else "Raw celsius")
        self._warn_if_unstable()
        self._render(charts=True)

    def action_next_optimizer(self) -> None:
        name = self.driver.next_optimizer()
        self._tell(OPTIMIZERS[name].summary, title=f"Optimizer: {OPTIMIZERS[name].title}")
        self._warn_if_unstable()
        self._render(charts=False)

    def action_toggle_landscape(self) -> None:
        showing = not self._landscape.display
        self._landscape.display = showing
        self._chart.display = not showing
        self._render(charts=True)

    def _announce_pace(self) -> None:
        pace = self.driver.pace
        speed = pace.rate(self.driver.trainer.iteration)
        self._tell(
            f"{pace.describe()}: about {per_second(speed)} iterations per second now.",
            title="Pace",
            timeout=3,
        )

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    # -- command palette ------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            # Served over SSH, Textual's screenshot would be saved on the server's disk;
            # in a browser (the web driver) it is a download, so it stays.
            if not (command.title == "Screenshot" and self.settings.served and not self.is_web):
                yield command
        for key in KEYS:
            if key.action == "quit" or self.check_action(key.action, ()) is False:
                continue
            yield SystemCommand(
                f"{key.label} ({key.display})", key.help, getattr(self, f"action_{key.action}")
            )


def make_app(settings: Settings | None = None, dataset: Dataset | None = None) -> TrainerApp:
    """The app for these settings (the tests build it the same way).

    ``dataset``, if given, is the one ``settings.make_dataset()`` already made,
    so a data file is read (and checked) once, before the screen is taken over.
    """
    return TrainerApp(settings if settings is not None else Settings(), dataset)
