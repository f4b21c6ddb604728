"""Where a run is on its timeline, and how it gets anywhere else on it.

A ``Position`` holds the state at the current iteration (training and original
parameters, the optimizer's memory, the loss and its gradient), the run's
history and the one divergence rule, and moves along the ``Timeline``: one
judged update at a time (the step path, and rules without a closed form), in
closed form for gradient descent and momentum with the chain rule
(``core.linear``: O(log n) whatever n), or back to any iteration (a closed
form, or a replay from a checkpoint). ``Trainer`` drives it.

Divergence. With a learning rate above the stable limit the loss grows
without bound. One rule judges every iteration, whichever way it was reached
(``Position.runs_away``): divergence is declared at the first iteration whose
loss, measured at the parameters it produced, is not finite or exceeds
``RUNAWAY_FACTOR`` times its reference scale (the larger of the untrained loss,
var(fahrenheit) and 1 °F², capped at ``LOSS_CEILING``). Stable gradient descent
only ever lowers the loss, so that bound is never met by a run that
converges. The step path applies the rule after each update; the closed form
finds the same first iteration by bisection with bounds, without visiting the
others (``core.linear.first_where``). The trainer then keeps the last finite
parameters, stops advancing, emits no warning and raises nothing; ``reset()``
or ``seek()`` to an earlier iteration recovers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Final

import numpy as np

from core.gradient_rules import GradientRule
from core.history import Trajectory, kept_iterations
from core.linear import ClosedForm, first_where
from core.optimizers import Optimizer
from core.step_states import StepState
from core.surface import LossSurface
from core.timeline import Point, Segment, Span, Timeline

RUNAWAY_FACTOR: Final = 1e6
"""Divergence is declared once the loss exceeds this multiple of its reference scale."""

LOSS_CEILING: Final = 1e250
"""No state with a larger loss is ever accepted (nor started from): below it, no sum
over samples in forward or backward can overflow, so the step path needs no
``numpy.errstate`` and no warning can arise."""


class Position:
    """The state of a run at its current iteration, its history, and its moves.

    ``timeline`` starts with one segment, at iteration 0; ``surface`` is the loss
    bowl over the original (weight, bias), which every iteration is judged on.
    """

    def __init__(self, surface: LossSurface, timeline: Timeline) -> None:
        self.surface: Final = surface
        """The loss bowl over the original units."""
        self.timeline: Final = timeline
        """The run's segments; ``timeline.current`` is the one in force here."""
        self.take(timeline.current.start)
        untrained = self.loss
        self.untrained_loss: Final = untrained
        """The loss before any update."""
        scale = max(untrained if math.isfinite(untrained) else 0.0, surface.var_fahrenheit, 1.0)
        self.runaway_loss: Final = min(RUNAWAY_FACTOR * scale, LOSS_CEILING)
        """The divergence rule's bound: a loss above it (or not finite) has run away."""
        self.diverged_at: int | None = None if untrained <= LOSS_CEILING else 0
        """The iteration at which divergence was declared (0: training cannot start)."""
        self.history: Final = Trajectory(self.row)
        """The run so far, on a fixed schedule of iterations (see ``core.history``)."""

    def take(self, point: Point) -> None:
        """Make ``point`` (in the current segment's coordinates) the current state."""
        self.identity = self.timeline.current.coordinates.scaling.is_identity
        """True if the training coordinates are the original ones (no standardising)."""
        self.iteration = point.iteration
        """How many iterations have completed."""
        self.train_weight, self.train_bias, self.memory = point.weight, point.bias, point.memory
        self.weight, self.bias = self.to_original(point.weight, point.bias)
        self.loss, self.grad_weight, self.grad_bias = self.surface.at(self.weight, self.bias)

    def to_original(self, weight: float, bias: float) -> tuple[float, float]:
        """Training parameters in the original units."""
        if self.identity:
            return weight, bias
        return self.timeline.current.coordinates.scaling.to_original(weight, bias)

    def row(self) -> tuple[float, ...]:
        """The history row of the current state (see ``core.history.COLUMNS``)."""
        return (
            self.iteration,
            self.weight,
            self.bias,
            self.loss,
            self.grad_weight,
            self.grad_bias,
        )

    def cannot_start(self, weight: float, bias: float) -> str | None:
        """Why training from ``weight`` and ``bias`` (the untrained parameters, as given)
        cannot start at all, in one sentence, or None if it can."""
        if self.diverged_at != 0:
            return None
        loss = self.untrained_loss
        size = "overflows" if not math.isfinite(loss) else f"is {loss:.3g}"
        return (
            f"training cannot start: the untrained loss {size} (weight {weight:g}, "
            f"bias {bias:g}), beyond {LOSS_CEILING:g}, where a training step's "
            "sums would overflow; start from a smaller weight or bias"
        )

    # -- the one divergence rule ----------------------------------------------

    def runs_away(self, loss: float) -> bool:
        """The divergence rule, for every path: the loss at an update's parameters is not
        finite or has run away (NaN compares false, so it runs away too)."""
        return not loss <= self.runaway_loss

    def adopt(self, iteration: int, weight: float, bias: float) -> bool:
        """Judge one update (training parameters) and make it the current state.

        Divergence keeps the update's parameters for display if they are finite,
        and otherwise the last finite ones. Returns False once diverged. The
        caller sets the optimizer's memory; the history keeps the row if the
        schedule does (its latest row is the current state, read when asked).
        """
        if self.identity:
            original_weight, original_bias = weight, bias
        else:
            original_weight, original_bias = self.timeline.current.coordinates.scaling.to_original(
                weight, bias
            )
        loss, grad_weight, grad_bias = self.surface.at(original_weight, original_bias)
        if self.runs_away(loss):
            self.diverged_at = iteration
            if not (math.isfinite(original_weight) and math.isfinite(original_bias)):
                return False
        self.iteration = iteration
        self.train_weight, self.train_bias = weight, bias
        self.weight, self.bias, self.loss = original_weight, original_bias, loss
        self.grad_weight, self.grad_bias = grad_weight, grad_bias
        history = self.history
        if iteration == history.next_due:
            row = (iteration, original_weight, original_bias, loss, grad_weight, grad_bias)
            history.append(iteration, row)
        return self.diverged_at is None

    def update(self, iteration: int, weight: float, bias: float, state: StepState) -> None:
        """One update of the step path: judged, and if adopted, ``state`` becomes the
        optimizer's memory (and a checkpoint, when one is due)."""
        self.adopt(iteration, weight, bias)
        if self.iteration == iteration:  # adopted: its memory too
            self.memory = state
            span = self.timeline.current
            if not span.linear and iteration % span.spacing == 0:
                span.checkpoint(Point(iteration, weight, bias, state))

    # -- moving along the timeline --------------------------------------------

    def change(
        self,
        *,
        learning_rate: float | None = None,
        rule: Optimizer | None = None,
        standardize: bool | None = None,
        gradient: GradientRule | None = None,
    ) -> None:
        """Train on from the current iteration with other settings: a new segment.

        The segment starts at the current iteration, so the next update uses
        it. If the current segment has made no update yet it is replaced (or,
        if that restores the settings before it, merged back into them). A new
        optimizer, or a new scaling, starts with no memory; the parameters are
        carried into the new scaling's coordinates.
        """
        span = self.timeline.current
        old = span.segment
        new_rule = span.rule if rule is None else rule
        new_gradient = span.gradient if gradient is None else gradient
        segment = Segment(
            start=self.iteration,
            learning_rate=old.learning_rate if learning_rate is None else learning_rate,
            optimizer=new_rule.name,
            standardize=old.standardize if standardize is None else standardize,
            gradient_rule=new_gradient.name,
            # A hand move at this very iteration stays the start of the settings that replace it.
            set_to=old.set_to if old.start == self.iteration else None,
        )
        if segment == old:
            return
        reset = rule is not None or segment.standardize != old.standardize
        self.drop_future()
        weight, bias = self.train_weight, self.train_bias
        if segment.standardize != old.standardize:
            scaling = self.timeline.coordinates(segment.standardize).scaling
            weight, bias = scaling.to_training(self.weight, self.bias)
        start = Point(self.iteration, weight, bias, None if reset else self.memory)
        self.timeline.change(segment, start, new_rule, new_gradient, memory_reset=reset)
        self.take(start)

    def set_parameters(self, weight: float, bias: float) -> None:
        """Put the parameters (original units) where the learner says, at this iteration: a new
        segment with the same settings starting from there, the optimizer's memory cleared.

        The row of this iteration (if kept) becomes the new state, and a divergence declared
        here is lifted. ValueError if the loss there is one the divergence rule refuses.
        """
        loss = self.surface.at(weight, bias)[0]
        if self.runs_away(loss):
            raise ValueError(
                f"weight {weight:g} and bias {bias:g} give a loss of {loss:.3g}, beyond "
                f"{self.runaway_loss:.3g}, where training counts as diverged"
            )
        span = self.timeline.current
        self.drop_future()
        segment = replace(span.segment, start=self.iteration, set_to=(weight, bias))
        start = Point(self.iteration, *span.coordinates.scaling.to_training(weight, bias), None)
        self.timeline.change(segment, start, span.rule, span.gradient, memory_reset=True)
        self.take(start)
        self.diverged_at = None if self.untrained_loss <= LOSS_CEILING else 0
        self.history.amend(self.iteration, self.row())

    def seek(self, target: int, *, mid_iteration: bool) -> int:
        """Go to iteration ``target``, back or forward; return the iteration reached (less
        only at divergence). An iteration in progress is abandoned: with ``mid_iteration``,
        seeking the current iteration goes back to its start."""
        if target > self.iteration or (target == self.iteration and not mid_iteration):
            self.advance(target, along_timeline=True)
            return self.iteration
        self.go_back(target)
        return target

    def go_back(self, target: int) -> None:
        """Go back to iteration ``target`` (not after the current one), with the settings in
        force there; the later segments stay until training goes on."""
        span = self.timeline.go_back(target)
        self.take(span.point_at(target))
        self.diverged_at = None if self.untrained_loss <= LOSS_CEILING else 0
        self.history.truncate(target)

    def drop_future(self) -> None:
        """Training goes on from here: forget the segments and checkpoints beyond it."""
        self.timeline.drop_future(self.iteration)

    def advance(self, target: int, *, along_timeline: bool) -> None:
        """Train on to ``target`` (or divergence), following the recorded segments if asked."""
        timeline = self.timeline
        while self.diverged_at is None:
            following = timeline.next_start() if along_timeline else None
            if following is not None and following <= self.iteration:
                self.take(timeline.enter_next().start)
                if timeline.current.segment.set_to is not None:  # a hand move: its row too
                    self.history.amend(self.iteration, self.row())
                continue
            if self.iteration >= target:
                break
            end = target
            if following is not None:
                end = min(target, following)
            form = timeline.current.closed_form
            if form is not None:
                self.jump(form, end)
            else:
                self.loop(end)

    def loop(self, end: int) -> None:
        """Rules without a closed form: one update at a time in plain floats, the gradient
        from the surface's moments (O(1) per iteration whatever the number of samples)."""
        span = self.timeline.current
        surface, gradient = span.coordinates.surface, span.gradient.on_surface
        stepper = span.rule.stepper(span.segment.learning_rate, self.memory)
        adopt = self.adopt
        weight, bias = self.train_weight, self.train_bias
        for iteration in range(self.iteration + 1, end + 1):
            grad_weight, grad_bias = gradient(surface, weight, bias)
            weight, bias = stepper(weight, bias, grad_weight, grad_bias)
            if not adopt(iteration, weight, bias):
                break
            if iteration % span.spacing == 0:
                span.checkpoint(Point(iteration, weight, bias, stepper.memory()))
        self.memory = stepper.memory()

    def jump(self, form: ClosedForm, end: int) -> None:
        """Linear rules: straight to ``end`` in closed form, with the history's rows on the
        way, stopping at the first iteration the divergence rule refuses."""
        span = self.timeline.current
        now = self.iteration
        if form.memoryless and form.spectral_radius <= 1.0:
            # Gradient descent with ρ ≤ 1 shrinks (or keeps) the error along every direction
            # each iteration, so the loss never rises: from a healthy state nothing runs away.
            runaway = None
        else:
            runaway = first_where(
                now,
                end,
                may_run_away(span, form, self.runs_away),
                ran_away_at(span, form, self.surface, self.runs_away),
            )
        last = end if runaway is None else runaway
        point = span.closed_form_point(form, last)
        if runaway is not None:
            self.diverged_at = runaway
            weight, bias = self.to_original(point.weight, point.bias)
            if not (math.isfinite(weight) and math.isfinite(bias)):
                last -= 1
                point = span.closed_form_point(form, last)
        if last == now:
            return
        kept = kept_iterations(now, last)
        if kept.size:
            with np.errstate(over="ignore", invalid="ignore"):
                weights, biases = form.advance_many(span.origin, kept - span.start.iteration)
                if not self.identity:
                    weights, biases = span.coordinates.scaling.arrays_to_original(weights, biases)
                losses, grad_weights, grad_biases = self.surface.at(weights, biases)
            self.history.extend(kept, weights, biases, losses, grad_weights, grad_biases)
        self.take(point)


def canonical(span: Span, form: ClosedForm, iteration: int) -> tuple[float, float]:
    """Original (weight, bias) at ``iteration`` of a linear segment, in closed form."""
    modes = form.advance(span.origin, iteration - span.start.iteration)
    weight, bias = form.parameters(span.origin, modes)
    scaling = span.coordinates.scaling
    return (weight, bias) if scaling.is_identity else scaling.to_original(weight, bias)


def may_run_away(
    span: Span, form: ClosedForm, runs_away: Callable[[float], bool]
) -> Callable[[int, int], bool]:
    """For ``first_where``: could the loss run away somewhere in (a, b] of ``span``?"""
    curvatures = [direction.curvature for direction in form.directions]

    def may(a: int, b: int) -> bool:
        modes = form.advance(span.origin, a - span.start.iteration)
        reach = form.reach(modes, 1, b - a)
        # loss = r + ½ Σ λᵢ zᵢ², at most this anywhere in the window
        most = form.minimum_loss + 0.5 * sum(
            lam * z * z for lam, z in zip(curvatures, reach, strict=True)
        )
        return runs_away(most)

    return may


def ran_away_at(
    span: Span, form: ClosedForm, surface: LossSurface, runs_away: Callable[[float], bool]
) -> Callable[[int], bool]:
    """For ``first_where``: does the divergence rule refuse iteration k?"""

    def ran_away(k: int) -> bool:
        return runs_away(surface.at(*canonical(span, form, k))[0])

    return ran_away
