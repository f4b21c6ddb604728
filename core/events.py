"""What the step generator yields: one immutable record per phase of an iteration.

Each record owns its numbers (arrays are private read-only copies), so a
subscriber may keep any of them for as long as it likes. The records are
``NamedTuple``s rather than frozen dataclasses because they are made three
times per iteration on the step-by-step path, where a frozen dataclass costs
about 1 µs more per record than a tuple; they are built by keyword through
their own constructors, so mypy checks every field.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from core.step_states import StepState
from core.types import FloatArray


class ForwardEvent(NamedTuple):
    """The forward pass: every sample predicted, and the loss measured."""

    iteration: int
    """1-based number of the iteration this phase belongs to."""
    weight: float
    """The weight the prediction used."""
    bias: float
    """The bias the prediction used."""
    output: FloatArray
    """output[i] = celsius[i] × weight + bias, for every sample."""
    loss: float
    """Σ (output[i] − fahrenheit[i])² / N."""
    phase: Literal["forward"] = "forward"
    """Which phase this is; leave it to its default."""


class BackwardEvent(NamedTuple):
    """The backward pass: the chain rule from the loss back to each parameter."""

    iteration: int
    """1-based number of the iteration this phase belongs to."""
    grad_output: FloatArray
    """∂loss/∂output[i] = 2 (output[i] − fahrenheit[i]) / N."""
    grad_weight: float
    """∂loss/∂weight = Σ grad_output[i] × celsius[i] (× output[i] under ``gradient``
    "published", the tutorial's published code: then it is not ∂loss/∂weight)."""
    grad_bias: float
    """∂loss/∂bias = Σ grad_output[i]."""
    phase: Literal["backward"] = "backward"
    """Which phase this is; leave it to its default."""
    gradient: str = "chain"
    """The gradient rule that computed grad_weight (see ``core.gradient_rules``)."""


class UpdateEvent(NamedTuple):
    """The update: each parameter moved against its gradient.

    Divergence is judged here, on the parameters the update produced: if they
    or the loss at them are not finite, or the loss has run away (see
    ``core.position.RUNAWAY_FACTOR``), ``diverged`` is true and the trainer
    keeps the last finite parameters and advances no further.
    """

    iteration: int
    """1-based number of the iteration this update completes."""
    learning_rate: float
    """The learning rate this update used."""
    optimizer: str
    """Name of the rule that turned gradients into a step ("gd" is the tutorial's)."""
    grad_weight: float
    """The weight gradient the step was made from."""
    grad_bias: float
    """The bias gradient the step was made from."""
    previous_weight: float
    """The weight before the update."""
    previous_bias: float
    """The bias before the update."""
    weight: float
    """The weight after the update (unchanged if the update was not finite)."""
    bias: float
    """The bias after the update (unchanged if the update was not finite)."""
    loss: float
    """The loss at the new parameters, the number the next forward pass will see."""
    diverged: bool = False
    """True if training ran away at this update and has stopped."""
    state: StepState = StepState()
    """What the optimizer computed on the way (e.g. momentum's velocity), as typed fields."""
    phase: Literal["update"] = "update"
    """Which phase this is; leave it to its default."""


Event = ForwardEvent | BackwardEvent | UpdateEvent
"""Any one of the three phase records."""
