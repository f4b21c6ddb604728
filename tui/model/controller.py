"""The one owner of a session's state: every command goes through it, and it says what happened.

The ``Controller`` holds the main driver, the race (whose driver follows it),
the lesson's progress and the learner's display choices. It has one method per
command (every key and palette action except the app's own: quit, help, the
palette, themes, screenshots); a method changes state and returns an
``Outcome``, what to tell the learner, or None. It never calls the app, and
nothing else assigns its attributes, so the rules between race, lesson and
display live here, in one place, and are testable without Textual.

Each frame, the app calls ``tick`` (training and racing within one budget) and
then ``frame``, which builds the ``View`` every panel draws from.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from core import OPTIMIZERS, Dataset
from tui.format import (
    count,
    factor,
    middle_of_path_left_out,
    number,
    per_second,
    rate,
    rates_apart,
)
from tui.i18n import _, ngettext
from tui.model.driver import MAX_SEEK, Driver, Mode, RunState
from tui.model.outlook import BIAS_TOLERANCE, WEIGHT_TOLERANCE, Outlook
from tui.model.pace import MAX_FACTOR, MIN_FACTOR, Pace
from tui.model.view import Charts, Display, View, build_view
from tui.settings import Settings

if TYPE_CHECKING:  # (each loads when a session first needs it)
    from tui.lesson.progress import Progress
    from tui.lesson.stages import Setup
    from tui.model.hands import Hands
    from tui.model.race import Race, RaceSpec

Severity = Literal["information", "warning", "error"]

LARGEST_DOUBLING = 1e3
"""``+`` doubles the learning rate up to this: above 1.9 every rate diverges here except
with Adam, and a cap keeps every number derived from the rate finite. ``l`` can still
type any finite rate."""
NOTICE_PATH = 72
"""The cells a path in a notice may take: two lines of a notice at 80 columns (Textual's
toasts are at most half the screen wide), so the file's name is never cut off."""
EXPLAINED_CELSIUS = 42.0
"""The sample the explanation starts with: the tutorial's own example, 42 °C."""


@dataclass(frozen=True)
class Outcome:
    """What a command has to tell the learner: one notice (it replaces any on screen)."""

    message: str
    title: str = ""
    severity: Severity = "information"
    timeout: float = 5.0
    """Seconds the notice stays."""
    echoed: bool = False
    """The screen says its gist too (the status line, the race row, the Footer): where the
    notice would cover the lesson or the code, it can go sooner (``tui.notices``)."""


class Controller:
    """A session's state and every command on it; see the module docstring."""

    def __init__(self, settings: Settings, dataset: Dataset | None = None) -> None:
        self.settings = settings
        """The session's options (the command line's, or a served session's)."""
        trainer = settings.make_trainer(dataset)
        self.driver = Driver(
            trainer,
            target=settings.iterations,
            pace=Pace(fixed=settings.speed, lecture=settings.lecture_pace),
            running=not (settings.step_mode or settings.paused),
            rate_by_hand=settings.rate_given,
        )
        """The main trainer's driver, which the keys and the pace move."""
        self.display = Display.of(
            trainer.dataset, celsius=EXPLAINED_CELSIUS, explaining=settings.step_mode
        )
        """What the learner chose to look at: the sample, the explanation, the landscape."""
        self.race: Race | None = None
        """A second trainer racing the first (``c``, ``--compare``), kept level with it."""
        self.race_turn = -1
        """Which race of ``race_plan`` is on (-1: none)."""
        self.lesson: Progress | None = None
        """The lesson's chapter and the learner's progress in it, in lesson mode."""
        self.hands: Hands | None = None
        """Hands mode (``h``): the learner moves the parameters; None when off."""
        self._charts_stale = True
        self._race_level = True

    # -- the session as it starts -----------------------------------------------

    def start(self) -> Outcome | None:
        """Open ``--lesson``'s chapter or start ``--compare``'s race, as the options say."""
        if self.settings.lesson is not None:
            self._open_chapter(self.settings.lesson)
        elif self.settings.compare is not None:
            self._start_race(self.settings.compare, turn=0)
        return None

    # -- frames -----------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Training advances on the timer."""
        return self.driver.state is RunState.RUNNING

    @property
    def racer_behind(self) -> bool:
        """A racer without a closed form was still catching up with the leader at the last
        frame: more frames are needed although nothing runs."""
        return self.race is not None and not self._race_level

    def tick(self, seconds: float, budget: float, *, frame_interval: float) -> None:
        """Advance the trainer by ``seconds`` of its pace and the racer with it, both within
        ``budget`` seconds: the racer goes first and the trainer no further (the race row
        never lags the trainer)."""
        started = time.perf_counter()
        partner = self.race.lead if self.race is not None else None
        self.driver.tick(seconds, budget, frame_interval=frame_interval, partner=partner)
        if self.race is not None:
            self.race.sync(max(budget - (time.perf_counter() - started), 0.0))

    def frame(self, *, charts: Charts | bool) -> View:
        """This frame's view. The charts are redrawn when the caller's frame rate says so
        (``Charts``: which; True: both), and both when a command changed what they show
        and on every frame while nothing runs."""
        if charts is True or self._charts_stale or not self.running:
            charts = Charts.BOTH
        elif charts is False:
            charts = Charts.NONE
        self._charts_stale = False
        self._race_level = self.race.sync() if self.race is not None else True
        view = build_view(
            self.driver,
            self.display,
            charts=charts,
            race=self.race.driver if self.race is not None else None,
            hands=self.hands,
        )
        if self.lesson is not None:
            view = replace(view, lesson=self.lesson.observe(view))
        return view

    def hold_while(self, held: bool) -> bool:
        """Hold training while the caller says so (a screen over the trainer's, a window too
        small: read from what is on screen each time, never counted); when the hold ends, it
        runs if it was. True if that paused or resumed it."""
        changed = self.driver.hold_while(held)
        if changed and not held:
            self._charts_stale = True
        return changed

    def seek_range(self) -> tuple[int, int, bool]:
        """For ``g``'s dialog: the iteration now, the furthest reachable, and whether that is
        a limit of replaying (not of the closed form)."""
        furthest = self.driver.furthest_seek()
        return self.driver.trainer.iteration, furthest, furthest < MAX_SEEK

    # -- running and stepping ---------------------------------------------------

    def pause(self) -> Outcome | None:
        self.driver.pause()
        self._redraw()
        return None

    def resume(self) -> Outcome | None:
        """space: run, or continue past the target; not while diverged. In hands mode it
        trains on from the hand-set parameters and leaves the mode (the arrows would fight
        the training for them)."""
        outcome = self._unless_diverged(self.driver.toggle)
        self._leave_hands_if_running()
        return outcome

    def step_phase(self) -> Outcome | None:
        outcome = self._unless_diverged(self.driver.step_phase)
        self._follow_hands()
        return outcome

    def step_iteration(self) -> Outcome | None:
        outcome = self._unless_diverged(self.driver.step_iteration)
        self._follow_hands()
        return outcome

    def reset(self) -> Outcome | None:
        self.driver.reset()
        if self.hands is not None:
            self.driver.show_gradient()
        self._follow_hands()
        self._redraw()
        return None

    def fast_forward(self) -> Outcome | None:
        """``f``: race to the target; past it, jump to where the tolerance is met, and say so."""
        driver = self.driver
        if driver.state is RunState.DIVERGED:
            return self._unless_diverged(driver.fast_forward)  # says what to do instead
        before = driver.trainer.iteration
        goal = driver.fast_forward()
        self._leave_hands_if_running()
        self._follow_hands()
        self._redraw()
        if goal is None or driver.fast_forwarding or goal == before:
            return None
        surface = driver.trainer.surface
        return Outcome(
            _(
                "Iteration {iteration}: from here on |w − {weight}| < {weight_tolerance} and "
                "|b − {bias}| < {bias_tolerance}, at this rate."
            ).format(
                iteration=count(goal),
                weight=number(surface.optimum_weight, 6),
                weight_tolerance=number(WEIGHT_TOLERANCE, 3),
                bias=number(surface.optimum_bias, 6),
                bias_tolerance=number(BIAS_TOLERANCE, 3),
            ),
            title=_("Jumped to the target tolerance"),
        )

    def _unless_diverged(self, command: Callable[[], object]) -> Outcome | None:
        """Run a training command, or say what to do instead if training has diverged."""
        if self.driver.state is RunState.DIVERGED:
            return Outcome(
                _(
                    "Training has diverged: lower the learning rate with - (the banner says "
                    "how often), then press r to start again."
                ),
                title=_("Nothing to run"),
                severity="warning",
                timeout=4,
            )
        command()
        self._redraw()
        return None

    def _redraw(self) -> None:
        """What a command changed is on the charts too: redraw them on the next frame."""
        self._charts_stale = True

    # -- moving through the timeline --------------------------------------------

    def step_back(self) -> Outcome | None:
        """``b``: one iteration back; one phase back while stepping with the explanation open."""
        before = self.driver.mode
        shown = self.driver.back(phase=self.display.explaining)
        self._follow_hands()
        self._redraw()
        if shown is None:
            return Outcome(_("This is the start: nothing to go back to."), _("Back"), timeout=3)
        return self._restored(before)

    def go_to(self, iteration: int | None) -> Outcome | None:
        """``g``'s answer: go to ``iteration`` (None: cancelled) and say what changed."""
        if iteration is None:
            return None
        driver = self.driver
        before = driver.mode
        reached = driver.seek(iteration)
        self._follow_hands()
        self._redraw()
        if reached < iteration and driver.state is RunState.DIVERGED:
            return Outcome(
                _("Training diverged at iteration {diverged} on the way to {iteration}.").format(
                    diverged=count(driver.trainer.diverged_at or reached),
                    iteration=count(iteration),
                ),
                title=_("Go to"),
                severity="warning",
            )
        return self._restored(before)

    def _restored(self, before: Mode) -> Outcome | None:
        """If moving changed the settings (the timeline had others there), which are in force."""
        driver = self.driver
        mode = driver.mode
        if mode == before:
            return None
        optimizer = OPTIMIZERS.get(mode.optimizer)
        inputs = _("standardised celsius") if mode.standardized else _("raw celsius")
        message = _(
            "At iteration {iteration} training used {optimizer}, lr {rate}, {inputs}: "
            "those settings are back in force."
        ).format(
            iteration=count(driver.trainer.iteration),
            optimizer=_(optimizer.title) if optimizer is not None else mode.optimizer,
            rate=rate(mode.learning_rate),
            inputs=inputs,
        )
        if driver.trainer.segments[-1] != driver.trainer.segment:
            message += " " + _(
                "The later changes stay on the timeline for g until you train on from here."
            )
        return Outcome(message, title=_("Settings restored"))

    # -- hands on the weights ---------------------------------------------------

    def toggle_hands(self) -> Outcome | None:
        """``h``: hands mode, in which the learner moves the parameters (training pauses),
        or out of it. Refused during a race."""
        if self.hands is not None:
            return self.leave_hands()
        if self.race is not None:
            return Outcome(
                _(
                    "Not during a race: both trainers must start alike. Press c until the "
                    "race is over, then h."
                ),
                title=_("Hands on the weights"),
                severity="warning",
            )
        from tui.model.hands import Hands  # (imported by a session that opens hands mode)

        self.driver.show_gradient()  # pauses; the gradient at the parameters now
        trainer = self.driver.trainer
        self.hands = Hands().visit(trainer.weight, trainer.bias)
        self._redraw()
        return Outcome(
            _(
                "Training paused. ← → move the weight, ↓ ↑ the bias, { } change the step; "
                "space trains on from here, escape leaves."
            ),
            title=_("Hands on the weights"),
            echoed=True,  # the status line's HANDS, the Footer's keys
        )

    def leave_hands(self) -> Outcome | None:
        """escape (or ``h`` again): out of hands mode; the parameters stay where they are."""
        self.hands = None
        self._redraw()
        return None

    def weight_up(self) -> Outcome | None:
        return self._move(weight=+1)

    def weight_down(self) -> Outcome | None:
        return self._move(weight=-1)

    def bias_up(self) -> Outcome | None:
        return self._move(bias=+1)

    def bias_down(self) -> Outcome | None:
        return self._move(bias=-1)

    def _move(self, *, weight: int = 0, bias: int = 0) -> Outcome | None:
        """Move the weight or the bias to its next notch of the step up or down
        (``tui.model.hands.nudge``); refuse (and say why) what core refuses."""
        hands = self.hands
        if hands is None:
            return None
        from tui.model.hands import nudge

        trainer = self.driver.trainer
        new_weight, new_bias = trainer.weight, trainer.bias
        if weight:
            new_weight = nudge(new_weight, hands.scale - 1, weight)
        if bias:
            new_bias = nudge(new_bias, hands.scale, bias)
        try:
            self.driver.set_parameters(new_weight, new_bias)
        except ValueError as error:
            return Outcome(str(error), title=_("Not moved"), severity="warning")
        self._follow_hands()
        self._redraw()
        return None

    def coarser_step(self) -> Outcome | None:
        """``{``: the hand's steps 10× larger."""
        return self._rescale(None if self.hands is None else self.hands.coarser())

    def finer_step(self) -> Outcome | None:
        """``}``: the hand's steps 10× smaller."""
        return self._rescale(None if self.hands is None else self.hands.finer())

    def _rescale(self, hands: Hands | None) -> Outcome | None:
        if self.hands is None:
            return None
        if hands is None:
            return Outcome(
                _("The step is already the largest or smallest there is."),
                title=_("Hands on the weights"),
                timeout=3,
            )
        self.hands = hands
        return None

    def _follow_hands(self) -> None:
        """In hands mode, the path goes on to wherever the parameters are now."""
        if self.hands is not None:
            trainer = self.driver.trainer
            self.hands = self.hands.visit(trainer.weight, trainer.bias)

    def _leave_hands_if_running(self) -> None:
        """Training took over (space, f): hands mode ends."""
        if self.running:
            self.hands = None

    # -- the learning rate, the optimizer, the scaling, the pace ----------------

    def double_rate(self) -> Outcome | None:
        """``+``: double the learning rate, up to ``LARGEST_DOUBLING``."""
        current = self.driver.trainer.learning_rate
        if current * 2 > LARGEST_DOUBLING:
            return Outcome(
                _("+ goes no higher than {largest}; type a larger rate with l.").format(
                    largest=rate(LARGEST_DOUBLING)
                ),
                title=_("Learning rate unchanged"),
                severity="warning",
            )
        return self.set_rate(current * 2)

    def halve_rate(self) -> Outcome | None:
        return self.set_rate(self.driver.trainer.learning_rate / 2)

    def set_rate(self, value: float | None) -> Outcome | None:
        """Apply a learning rate (None: ``l``'s dialog was cancelled); refuse what core
        refuses."""
        if value is None:
            return None
        try:
            self.driver.set_learning_rate(value)
        except ValueError as error:
            return Outcome(str(error), title=_("Learning rate unchanged"), severity="error")
        return self._unstable_warning()

    def _unstable_warning(self) -> Outcome | None:
        """A learning rate, optimizer or scaling change that sets up divergence says so."""
        trainer = self.driver.trainer
        limit = trainer.max_stable_learning_rate
        if trainer.learning_rate < limit:
            return None
        shown, bound = rates_apart(trainer.learning_rate, limit)
        return Outcome(
            _("{rate} is above the stable limit {limit}: expect divergence.").format(
                rate=shown, limit=bound
            ),
            title=_("Learning rate"),
            severity="warning",
        )

    def faster(self) -> Outcome | None:
        return self._change_pace(faster=True)

    def slower(self) -> Outcome | None:
        return self._change_pace(faster=False)

    def _change_pace(self, *, faster: bool) -> Outcome:
        """Double or halve the pace, within 1/64× and 64×, and say how fast that is."""
        pace = self.driver.pace
        moved = pace.faster() if faster else pace.slower()
        if moved:
            speed = pace.rate(self.driver.trainer.iteration)
            message = _("{pace}: about {speed} iterations per second now.").format(
                pace=pace.describe(), speed=per_second(speed)
            )
        elif faster:
            message = _("Already the fastest pace ({factor:g}×); f fast-forwards.").format(
                factor=MAX_FACTOR
            )
        else:
            message = _("Already the slowest pace (1/{factor:g}×).").format(factor=1 / MIN_FACTOR)
        return Outcome(message, title=_("Pace"), timeout=3)

    def toggle_standardize(self) -> Outcome | None:
        """``z``: standardised inputs or raw ones; the new bowl's κ and stable rate, which
        parameter the rate in force now brings in later (at lr 1e-4 standardising alone
        slows the weight: 14,663 → 34,309 iterations), and ``a``'s offer of the rate that
        suits the new bowl (0.5 on standardised inputs)."""
        if self.hands is not None:
            # Hands mode keeps forward and backward done at the hand-set parameters: start
            # that iteration again rather than let the switch finish it with an update.
            self.driver.seek(self.driver.trainer.iteration)
        before = self.driver.outlook
        on = self.driver.toggle_standardize()
        if self.hands is not None:
            self.driver.show_gradient()
        self._follow_hands()
        self._redraw()
        trainer = self.driver.trainer
        message = _("Condition number {kappa}").format(
            kappa=f"{trainer.training_surface.condition_number:.4g}"
        )
        if math.isfinite(trainer.max_stable_learning_rate):
            message += _("; stable below lr {limit}").format(
                limit=rate(trainer.max_stable_learning_rate)
            )
        sentences = [_("{sentence}.").format(sentence=message)]
        warning = self._unstable_warning()
        if warning is not None:
            sentences = [warning.message]
        else:
            sentences += self._slower(before)
        sentences.append(self._fastest_offer())
        title = _("Standardised celsius") if on else _("Raw celsius")
        return Outcome(
            " ".join(sentence for sentence in sentences if sentence),
            title=title,
            severity="warning" if warning is not None else "information",
            timeout=8,
        )

    def _slower(self, before: Outlook) -> list[str]:
        """For each parameter that the change brings within its tolerance later than
        ``before`` said, one sentence saying so (the closed form's iterations)."""
        after = self.driver.outlook
        sentences = []
        for name, then, now in (
            (_("the weight"), before.weight_arrives_at, after.weight_arrives_at),
            (_("the bias"), before.bias_arrives_at, after.bias_arrives_at),
        ):
            if then is not None and (now is None or now > then):
                sentences.append(
                    _(
                        "At lr {rate} this is slower for {parameter}: within its tolerance "
                        "at iteration {now} instead of {then}."
                    ).format(
                        rate=rate(self.driver.trainer.learning_rate),
                        parameter=name,
                        now=count(now) if now is not None else _("never"),
                        then=count(then),
                    )
                )
        return sentences

    def _fastest_offer(self) -> str:
        """``a``'s offer: the rate that suits this bowl (if gradient descent has one and it is
        not the rate in force), or that the rate in force is it."""
        trainer = self.driver.trainer
        fastest = trainer.fastest_learning_rate
        if fastest is None:
            return ""
        shown = rates_apart(fastest, trainer.max_stable_learning_rate)[0]
        if math.isclose(trainer.learning_rate, fastest, rel_tol=1e-3):
            return _("lr {rate} suits this bowl: {why}.").format(
                rate=shown, why=self._fastest_why()
            )
        return _("Press a to use lr {rate}, the rate that suits this bowl: {why}.").format(
            rate=shown, why=self._fastest_why()
        )

    def _fastest_why(self) -> str:
        """What gradient descent at the fastest rate does on this bowl, in words."""
        surface = self.driver.trainer.training_surface
        if surface.fastest_factor < 1e-12:
            return _("one step lands on the optimum")
        return _("both directions shrink ×{factor} per iteration").format(
            factor=factor(surface.fastest_factor)
        )

    def use_fastest_rate(self) -> Outcome | None:
        """``a``: the learning rate at which gradient descent converges fastest on the bowl
        it walks, 2/(λ_min + λ_max) (``Trainer.fastest_learning_rate``)."""
        trainer = self.driver.trainer
        fastest = trainer.fastest_learning_rate
        if fastest is None:
            return Outcome(
                _(
                    "The rate that suits the bowl is worked out for gradient descent with the "
                    "chain rule only: o changes the optimizer, l types a rate."
                ),
                title=_("Learning rate unchanged"),
                severity="warning",
            )
        refused = self.set_rate(fastest)
        if refused is not None:
            return refused
        return Outcome(
            _("lr {rate} = 2/(λ_min + λ_max), the rate that suits this bowl: {why}.").format(
                rate=rates_apart(fastest, trainer.max_stable_learning_rate)[0],
                why=self._fastest_why(),
            ),
            title=_("Learning rate"),
        )

    def next_optimizer(self) -> Outcome | None:
        """``o``: the next optimizer in ``core.OPTIMIZERS``, described by itself, and its rate:
        its own default unless the rate was set by hand."""
        optimizer = OPTIMIZERS[self.driver.next_optimizer()]
        learning_rate = rate(self.driver.trainer.learning_rate)
        if self.driver.rate_by_hand:
            note = _("lr stays {rate}, the rate you set.").format(rate=learning_rate)
        else:
            note = _("lr {rate}, its default (you have not set the rate by hand).").format(
                rate=learning_rate
            )
        title = _("Optimizer: {title}").format(title=_(optimizer.title))
        return self._unstable_warning() or Outcome(f"{_(optimizer.summary)} {note}", title=title)

    # -- what the learner looks at ----------------------------------------------

    def _choose(self, display: Display) -> None:
        self.display = display
        self._redraw()

    def toggle_explain(self) -> Outcome | None:
        """``e``: the explanation, or not. With the code pane open (which takes the
        explanation's place below 160 columns) it brings the explanation back instead."""
        if self.display.code:
            self._choose(replace(self.display, code=False, explaining=True))
        else:
            self._choose(replace(self.display, explaining=not self.display.explaining))
        return None

    def toggle_code(self) -> Outcome | None:
        """``p``: the program beside the numbers (in the explanation's place when narrow)."""
        self._choose(replace(self.display, code=not self.display.code))
        return None

    def previous_sample(self) -> Outcome | None:
        self._choose(self.display.step_sample(-1))
        return None

    def next_sample(self) -> Outcome | None:
        self._choose(self.display.step_sample(+1))
        return None

    def explain_sample(self, celsius: float | None) -> Outcome | None:
        """``#``'s answer: explain the sample nearest ``celsius`` (None: cancelled)."""
        if celsius is not None:
            nearest = self.display.nearest(self.driver.trainer.dataset, celsius)
            self._choose(replace(nearest, explaining=True))
        return None

    def toggle_landscape(self) -> Outcome | None:
        """``v``: the loss landscape in the fit chart's place, and back."""
        self._choose(replace(self.display, landscape=not self.display.landscape))
        return None

    def toggle_log_iterations(self) -> Outcome | None:
        """``t``: the loss chart's iterations on a log axis, and back."""
        self._choose(replace(self.display, log_iterations=not self.display.log_iterations))
        return None

    # -- saving -----------------------------------------------------------------

    def export(self) -> Outcome:
        """``x``: save the run so far (to ``--export`` if given) and say where it went."""
        from core import ExportError, export_run
        from core.export import export_new_run
        from core.printable import printable

        trainer = self.driver.trainer
        try:
            if self.settings.export is not None:
                written = export_run(self.settings.export, trainer)
            else:  # a new c2f-run-*.csv, claimed so that no other export is ever replaced
                written = export_new_run(trainer)
        except ExportError as error:
            return Outcome(str(error), title=_("Export failed"), severity="error")
        rows = len(trainer.history)
        what = ngettext(
            "{rows} row, iterations 0 to {last}, saved as:",
            "{rows} rows, iterations 0 to {last}, saved as:",
            rows,
        ).format(rows=count(rows), last=count(trainer.iteration))
        path = middle_of_path_left_out(printable(os.path.abspath(written)), NOTICE_PATH)
        return Outcome(f"{what}\n{path}", title=_("Exported"))  # the path on lines of its own

    # -- races ------------------------------------------------------------------

    def race_plan(self) -> tuple[tuple[Setup | None, RaceSpec], ...]:
        """What ``c`` races, press by press (with the set-up to start from, if any): the
        chapter's races in lesson mode (if it has any), else ``--compare``'s, else each other
        optimizer at its default rate and then the other gradient rule; after the last, none."""
        if self.lesson is not None and self.lesson.stage.races:
            return self.lesson.stage.races
        if self.settings.compare is not None:
            return ((None, self.settings.compare),)
        from tui.model.race import partners

        return tuple((None, spec) for spec in partners(self.driver.trainer))

    def next_race(self) -> Outcome | None:
        """``c``: the next race of the plan, or none after the last; say which. Not in hands
        mode: a racer starts where the trainer started, and a hand move leaves that path."""
        if self.hands is not None:
            return Outcome(
                _("No race in hands mode: press escape to leave it, then c."),
                title=_("Race"),
                severity="warning",
            )
        races = self.race_plan()
        turn = self.race_turn + 1
        if turn >= len(races):
            self._start_race(None, turn=-1)
            return Outcome(_("One trainer again; c races another."), _("Race over"), timeout=3)
        setup, spec = races[turn]
        if setup is not None:
            self._apply_setup(setup)
        self._start_race(spec, turn=turn)
        assert self.race is not None
        racer = self.race.driver.trainer
        optimizer = OPTIMIZERS[racer.optimizer]
        rule = _(" with the published gradient") if racer.gradient_rule == "published" else ""
        inputs = _(" on standardised celsius") if racer.standardize else ""
        return Outcome(
            _("{title} at lr {rate}{rule}{inputs}, from the same start: the x line.").format(
                title=_(optimizer.title), rate=rate(racer.learning_rate), rule=rule, inputs=inputs
            ),
            title=_("Race"),
            echoed=True,  # the race row and the chart's legend
        )

    def _start_race(self, spec: RaceSpec | None, *, turn: int) -> None:
        """Race ``spec`` from the trainer's start (None: end the race). The race's module
        loads with the first race (issue 20: ~1 ms of every start-up otherwise)."""
        from tui.model.race import Race

        self.race = None if spec is None else Race(self.driver, spec)
        self.race_turn = turn if spec is not None else -1
        self._redraw()

    # -- the lesson -------------------------------------------------------------

    def next_chapter(self) -> Outcome | None:
        return self._turn_chapter(+1)

    def previous_chapter(self) -> Outcome | None:
        return self._turn_chapter(-1)

    def fold_lesson(self) -> Outcome | None:
        """``w``: fold the lesson's text to one line (its next step), giving the charts its
        rows, or unfold it. It stays as chosen from chapter to chapter."""
        if self.lesson is not None:
            self._choose(replace(self.display, lesson_folded=not self.display.lesson_folded))
        return None

    def toggle_lesson(self) -> Outcome | None:
        """Open the lesson (at ``--lesson N``'s chapter, else the first) or close it."""
        if self.lesson is None:
            self._open_chapter(self.settings.lesson or 1)
            return None
        from tui.lesson.stages import ALL_LINES

        self.lesson = None
        self._choose(replace(self.display, lines=ALL_LINES, mark_sample=False))
        return Outcome(
            _("Lesson closed: ctrl+p, Lesson opens it again."), title=_("Lesson"), timeout=3
        )

    def _turn_chapter(self, step: int) -> Outcome | None:
        """The next (``step`` 1) or previous (-1) chapter; at either end, say so."""
        if self.lesson is None:
            return None
        from tui.lesson.stages import STAGES

        chapter = self.lesson.chapter + step
        if not 1 <= chapter <= len(STAGES):
            last = chapter > len(STAGES)
            return Outcome(
                _('That was the last chapter; ctrl+p, "{close}" closes the lesson.').format(
                    close=_("Close the lesson")  # the palette's entry (tui.app)
                )
                if last
                else _("This is the first chapter."),
                title=_("Lesson"),
                timeout=3,
            )
        self._open_chapter(chapter)
        return None

    def _open_chapter(self, chapter: int) -> None:
        """Show ``chapter`` (1-based, clamped to the chapters there are), set up as it needs.

        The lesson's modules are imported here, by a session that opens it: not at
        start-up (issue 20: with their records, ~3 ms of the first frame)."""
        from tui.lesson.progress import Progress
        from tui.lesson.stages import STAGES

        chapter = min(max(chapter, 1), len(STAGES))
        stage = STAGES[chapter - 1]
        self._apply_setup(stage.setup)
        self.lesson = Progress(chapter)
        if not self.settings.speed and self.settings.lecture is None:
            self.driver.pace.lecture = True  # lesson mode's pace, unless --pace said otherwise
        self._start_race(stage.setup.race, turn=0)

    def _apply_setup(self, setup: Setup) -> None:
        """Put the trainer and the display in ``setup``'s state, through the same driver
        commands the keys use, so what a chapter shows is what the learner could have reached
        by hand."""
        driver = self.driver
        self.hands = None
        driver.set_up(
            optimizer=setup.optimizer,
            learning_rate=setup.learning_rate,
            standardize=setup.standardize,
            gradient=setup.gradient,
        )
        trainer = driver.trainer
        if setup.rate_times_samples:
            driver.set_learning_rate(len(trainer.dataset) * trainer.learning_rate)
        if setup.rate_times_limit is not None:
            driver.set_learning_rate(setup.rate_times_limit * trainer.max_stable_learning_rate)
        if setup.iterations:
            trainer.run(setup.iterations - 1)
            driver.step_iteration()  # the last one through the events, as the keys would
        for _phase in range(setup.phases):
            driver.step_phase()
        display = self.display.nearest(trainer.dataset, setup.celsius)
        self._choose(
            replace(
                display,
                explaining=setup.explaining,
                lines=setup.lines,
                mark_sample=setup.mark_sample,
                landscape=setup.landscape,
            )
        )
        if setup.weight is not None:  # the chapter's experiment starts there, hands on
            from tui.model.hands import Hands

            driver.set_parameters(setup.weight, trainer.bias)
            self.hands = Hands().visit(trainer.weight, trainer.bias)
        if setup.running:
            driver.start_running()
