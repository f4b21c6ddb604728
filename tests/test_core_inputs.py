"""What core accepts from a script, and data at the edge of what it documents."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

from core import OPTIMIZERS, Dataset, Trainer, check_learning_rate
from core.events import UpdateEvent
from core.neuron import forward
from core.optimizers import Momentum, MomentumState
from tests.loops import Moments, Plain


@pytest.mark.parametrize(
    ("optimizer", "expected"),
    [(name, rule.default_learning_rate) for name, rule in OPTIMIZERS.items()],
)
def test_each_optimizer_brings_its_own_default_rate_and_an_explicit_one_wins(
    optimizer: str, expected: float
) -> None:
    assert Trainer(optimizer=optimizer).learning_rate == expected
    assert Trainer(optimizer=optimizer, learning_rate=3e-3).learning_rate == 3e-3


class SlowBall(Momentum):
    """Heavy ball with half the memory: a new optimizer is one subclass."""

    name = "slowball"
    title = "slow ball"
    summary = "Momentum with β 0.5."
    beta = 0.5


def test_a_new_optimizer_in_the_registry_works_everywhere_in_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(OPTIMIZERS, "slowball", SlowBall)
    trainer = Trainer(seed=0, optimizer="slowball")
    assert trainer.max_stable_learning_rate == pytest.approx(3.0 / trainer.surface.eigenvalues[1])
    assert trainer.has_closed_form and trainer.stable
    events = [e for e in itertools.islice(trainer.steps(), 30) if isinstance(e, UpdateEvent)]
    assert events[-1].optimizer == "slowball"
    state = events[-1].state
    assert isinstance(state, MomentumState) and state.beta == 0.5
    trainer.run(3_000 - 10)
    data = trainer.dataset
    plain = Plain.of(
        data.celsius, data.fahrenheit, trainer.initial_weight, trainer.initial_bias, beta=0.5
    )
    plain.run(1e-4, 3_000)
    assert (trainer.weight, trainer.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-10)
    predicted = trainer.iterations_to(weight_tolerance=1e-2, bias_tolerance=1.0)
    assert predicted is not None
    walk = Moments.of(data.celsius, data.fahrenheit).walk(
        trainer.initial_weight, trainer.initial_bias, 1e-4, 0.5
    )
    last = max(
        k
        for k, (w, b) in enumerate(itertools.islice(walk, 3 * predicted), start=1)
        if not (abs(w - 1.8) < 1e-2 and abs(b - 32) < 1.0)
    )
    assert predicted == last + 1
    trainer.seek(1_000)
    trainer.optimizer = "gd"
    trainer.optimizer = "slowball"
    assert trainer.segments[-1].optimizer == "slowball"


def test_a_dataset_that_is_not_a_dataset_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Dataset"):
        Trainer(dataset=[(0, 32), (100, 212)])  # type: ignore[arg-type]


def test_numpy_integers_count_as_integers_and_bools_do_not() -> None:
    trainer = Trainer(seed=np.int64(3))
    assert trainer.seed == 3 and (trainer.weight, trainer.bias) == (
        Trainer(seed=3).weight,
        Trainer(seed=3).bias,
    )
    assert trainer.run(np.int64(10)) == 10
    assert trainer.seek(np.int32(4)) == 4
    with pytest.raises(ValueError, match="seed must be an integer"):
        Trainer(seed=True)  # type: ignore[arg-type]
    for flag in (True, np.True_):
        with pytest.raises(ValueError, match="learning rate must be a number"):
            check_learning_rate(flag)  # type: ignore[arg-type]


def test_data_whose_optimum_is_astronomical_trains_instead_of_diverging_at_once() -> None:
    """Celsius 0 and 1e-150, fahrenheit 0 and 1e100: within the documented ±1e100, and the
    direct forward pass's loss is 5e199. The bowl was squared before it was scaled."""
    data = Dataset([0.0, 1e-150], [0.0, 1e100])
    trainer = Trainer(data, seed=0)
    direct = forward(data.celsius, data.fahrenheit, trainer.weight, trainer.bias)[1]
    assert trainer.loss == pytest.approx(direct, rel=1e-12)
    assert not trainer.diverged and trainer.cannot_start is None
    assert trainer.run(100) == 100
    assert trainer.loss < direct


def test_an_untrainable_start_says_so_and_warns_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = Trainer(weight=1e308, seed=0)
    assert trainer.diverged_at == 0
    reason = trainer.cannot_start
    assert reason is not None and reason.startswith("training cannot start") and "\n" not in reason
    assert trainer.run(10) == 0 and trainer.step() is None
    trainer.reset()
    assert trainer.cannot_start == reason, "no learning rate or reset changes it"


def test_adam_trains_when_the_squared_gradients_overflow() -> None:
    """|celsius| near 1e80: the gradient is about 1e160 and its square beyond floating point.
    Adam's step is lr × m̂/√v̂, about lr whatever the gradient's size, so it still trains."""
    data = Dataset.synthetic(1e80, 2e80)
    trainer = Trainer(data, seed=0, optimizer="adam")
    trainer.run(2_000)
    assert not trainer.diverged
    assert trainer.weight == pytest.approx(1.8, abs=1e-6)
    update = next(e for e in itertools.islice(trainer.steps(), 3) if isinstance(e, UpdateEvent))
    assert math.isinf(update.state.v_weight)  # type: ignore[attr-defined]
    assert math.isfinite(update.state.root_v_weight)  # type: ignore[attr-defined]
