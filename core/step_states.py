"""What an optimizer computed on the way to one update: its typed records (``StepState``).

A rule's state after an update is also its memory for the next one (see
``core.optimizers``), and every ``UpdateEvent`` carries it (``core.events``).
The records live here, apart from the rules, so that the events and the
rules both import them and neither imports the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StepState:
    """What a rule computed on the way to one update, besides the gradient itself.

    Plain gradient descent needs nothing more; each other rule subclasses this
    with typed fields for its own quantities, so a reader (the explanation
    panel, a notebook) names them rather than looking them up by string. The
    state of a rule's last update is also its memory for the next one.
    """


@dataclass(frozen=True)
class MomentumState(StepState):
    """The velocities of one momentum update: v = β × v_prev + gradient."""

    beta: float
    """β, the share of the previous velocity kept."""
    previous_velocity_weight: float
    """v_prev of the weight, before this update."""
    previous_velocity_bias: float
    """v_prev of the bias, before this update."""
    velocity_weight: float
    """v of the weight after this update: the step is −learning_rate × v."""
    velocity_bias: float
    """v of the bias after this update."""


@dataclass(frozen=True)
class AdamState(StepState):
    """Adam's running moments for one update, raw and bias-corrected."""

    t: int
    """How many Adam updates have been made, this one included."""
    m_weight: float
    """m of the weight: the running mean of its gradient."""
    m_bias: float
    """m of the bias."""
    v_weight: float
    """v of the weight: the running mean of its squared gradient (inf beyond floating point)."""
    v_bias: float
    """v of the bias."""
    m_hat_weight: float
    """m̂ = m / (1 − β1^t): m with the start-up bias removed."""
    m_hat_bias: float
    """m̂ of the bias."""
    v_hat_weight: float
    """v̂ = v / (1 − β2^t)."""
    v_hat_bias: float
    """v̂ of the bias."""
    step_weight: float
    """The weight's step, learning_rate × m̂ / (√v̂ + ε), subtracted from it."""
    step_bias: float
    """The bias's step."""
    root_v_weight: float = math.nan
    """√v of the weight, the number carried to the next update. v itself overflows once a
    gradient exceeds about 1e154 (celsius beyond about 1e77); √v never does."""
    root_v_bias: float = math.nan
    """√v of the bias."""
