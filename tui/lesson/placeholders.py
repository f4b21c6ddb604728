"""The live numbers a chapter's words name: ``{weight}``, ``{loss}``, ``{race_loss}``…

Every value is read from the frame's ``View`` (and the chapter's ``LessonState``)
and formatted here, so the words in the chapters file never hold a typed-in
number. ``NAMES`` is the complete list; a test checks that every chapter uses
only these. A value that does not exist yet (a gradient before any backward
pass, a race when there is none) reads as an en dash.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from core import OPTIMIZERS
from core.neuron import predict
from tui.format import count, number, rate
from tui.format import loss as format_loss
from tui.i18n import _
from tui.lesson.stages import ARRIVED
from tui.lesson.state import LessonState
from tui.model.pace import LECTURE_ITERATIONS
from tui.model.view import View

MISSING = "–"
"""What a placeholder reads as before its number exists."""
DIGITS = 6
"""Significant figures of parameters, losses and gradients in the lesson's sentences."""


def _g(value: float | None, digits: int = DIGITS) -> str:
    return MISSING if value is None or not math.isfinite(value) else number(value, digits)


def _loss(view: View, value: float, digits: int = DIGITS) -> str:
    """A loss as the loss panel shows it (an exact fit's rounding noise as its bound)."""
    if not math.isfinite(value):
        return MISSING
    return format_loss(value, view.trainer.loss_scale, digits)


def _percent(share: float) -> str:
    """A share in per cent; short of the whole, never rounded up to "100 %" (a bar not yet
    full, iterations still to go): 99.96 % reads 99.9 %."""
    if not math.isfinite(share):
        return MISSING
    if share < 0.01:
        return f"{share * 100:.2g} %"
    if 0.995 <= share < 1:
        return f"{math.floor(share * 1000) / 10:.1f} %"  # cut, not rounded up
    return f"{max(share, 0.0) * 100:.0f} %"


def _output(view: View) -> float:
    trainer = view.trainer
    with np.errstate(over="ignore", invalid="ignore"):
        value = predict(np.array([view.sample.celsius]), trainer.weight.value, trainer.bias.value)
    return float(value[0])


def _grad_output(view: View) -> float | None:
    backward = view.trainer.phases.backward
    return None if backward is None else float(backward.grad_output[view.sample.index])


def _tried(view: View, lesson: LessonState | None) -> str:
    """Each weight the hand set in the chapter, with the loss and grad_weight there."""
    if lesson is None or not lesson.seen.tried:
        return MISSING
    return "; ".join(
        _("{weight}: loss {loss}, grad_weight {gradient}").format(
            weight=_g(weight), loss=_loss(view, loss), gradient=_g(gradient, 4)
        )
        for weight, loss, gradient in lesson.seen.tried[:4]
    )


def _crawl(view: View) -> str:
    """The share of the flattest direction's error one gradient-descent step removes."""
    trainer = view.trainer
    flattest = trainer.lambda_max / trainer.condition_number
    return _percent(trainer.mode.learning_rate * flattest)


def _forward(view: View) -> tuple[float, float, float, float, float] | None:
    """The last forward pass at the explained sample: the weight and bias it used,
    celsius × weight, the output and its error (None before any forward pass)."""
    forward = view.trainer.phases.forward
    if forward is None:
        return None
    output = float(forward.output[view.sample.index])
    product = output - forward.bias
    return forward.weight, forward.bias, product, output, output - view.sample.fahrenheit


def _forward_value(position: int) -> Value:
    def value(view: View, lesson: LessonState | None) -> str:
        forward = _forward(view)
        return _g(None if forward is None else forward[position])

    return value


def _square(view: View) -> float | None:
    forward = _forward(view)
    return None if forward is None else forward[4] ** 2


def _grad_share(view: View) -> float | None:
    """The explained sample's share of grad_weight: grad_output × celsius (chain rule)."""
    grad_output = _grad_output(view)
    return None if grad_output is None else grad_output * view.sample.celsius


Value = Callable[[View, "LessonState | None"], str]

VALUES: dict[str, Value] = {
    "samples": lambda v, s: count(len(v.trainer.dataset)),
    "celsius_low": lambda v, s: f"{float(v.trainer.dataset.celsius.min()):g}",
    "celsius_high": lambda v, s: f"{float(v.trainer.dataset.celsius.max()):g}",
    "celsius": lambda v, s: f"{v.sample.celsius:g}",
    "fahrenheit": lambda v, s: _g(v.sample.fahrenheit),
    "output": lambda v, s: _g(_output(v)),
    "error": lambda v, s: _g(_output(v) - v.sample.fahrenheit),
    "weight": lambda v, s: _g(v.trainer.weight.value),
    "bias": lambda v, s: _g(v.trainer.bias.value),
    "loss": lambda v, s: _loss(v, v.trainer.loss),
    "weight_start": lambda v, s: _g(v.trainer.untrained[0]),
    "bias_start": lambda v, s: _g(v.trainer.untrained[1]),
    "loss_start": lambda v, s: _g(v.trainer.surface.at(*v.trainer.untrained)[0]),
    "weight_target": lambda v, s: _g(v.trainer.weight.target),
    "bias_target": lambda v, s: _g(v.trainer.bias.target),
    "least_loss": lambda v, s: _loss(v, v.trainer.least_loss, 3),
    "weight_percent": lambda v, s: _percent(v.trainer.weight.progress),
    "bias_percent": lambda v, s: _percent(v.trainer.bias.progress),
    "arrived": lambda v, s: _percent(ARRIVED),
    "weight_short": lambda v, s: _g(v.trainer.weight.distance, 4),
    "bias_short": lambda v, s: _g(v.trainer.bias.distance, 4),
    "iteration": lambda v, s: count(v.trainer.completed),
    "target": lambda v, s: count(v.target),
    "grad_output": lambda v, s: _g(_grad_output(v)),
    "grad_weight": lambda v, s: _g(
        None if v.trainer.gradient is None else v.trainer.gradient.weight
    ),
    "grad_bias": lambda v, s: _g(None if v.trainer.gradient is None else v.trainer.gradient.bias),
    "fwd_weight": _forward_value(0),
    "fwd_bias": _forward_value(1),
    "fwd_product": _forward_value(2),
    "fwd_output": _forward_value(3),
    "fwd_error": _forward_value(4),
    "fwd_square": lambda v, s: _g(_square(v)),
    "fwd_loss": lambda v, s: (
        MISSING if v.trainer.phases.forward is None else _loss(v, v.trainer.phases.forward.loss)
    ),
    "grad_share": lambda v, s: _g(_grad_share(v)),
    "per_sample": lambda v, s: _g(1 / len(v.trainer.dataset)),
    "check_weight": lambda v, s: _g(
        None if v.trainer.check is None else v.trainer.check.numeric[0]
    ),
    "lr": lambda v, s: rate(v.trainer.mode.learning_rate),
    "limit": lambda v, s: rate(v.trainer.stable_limit),
    "kappa": lambda v, s: _g(v.trainer.condition_number, 4),
    "crawl": lambda v, s: _crawl(v),
    "default_lr": lambda v, s: rate(OPTIMIZERS[v.trainer.mode.optimizer].default_learning_rate),
    "start_lr": lambda v, s: MISSING if s is None else rate(s.seen.start_rate),
    "lecture": lambda v, s: count(LECTURE_ITERATIONS),
    "steps": lambda v, s: MISSING if s is None else count(s.seen.steps),
    "diverged_at": lambda v, s: (
        MISSING if s is None or s.seen.diverged_at is None else count(s.seen.diverged_at)
    ),
    "tried": _tried,
    "race": lambda v, s: MISSING if v.race is None else _(v.race.optimizer_title),
    "race_weight": lambda v, s: MISSING if v.race is None else _g(v.race.weight.value),
    "race_bias": lambda v, s: MISSING if v.race is None else _g(v.race.bias.value),
    "race_loss": lambda v, s: MISSING if v.race is None else _g(v.race.loss),
}
"""Each placeholder's value, from the frame and the lesson's state."""

NAMES = frozenset(VALUES)
"""Every placeholder a chapter may use."""


def values(view: View, lesson: LessonState | None) -> dict[str, str]:
    """Every placeholder's text for this frame."""
    return {name: value(view, lesson) for name, value in VALUES.items()}
