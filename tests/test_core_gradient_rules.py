"""The tutorial's published gradient (× output instead of × celsius): trained, flagged, and
never given a closed form it does not have."""

from __future__ import annotations

import itertools

import pytest

from core import GRADIENT_RULES, NoClosedFormError, Trainer, gradient_check
from core.events import BackwardEvent
from tests.loops import Plain


@pytest.mark.parametrize(
    ("rule", "weight", "bias", "loss"),
    [("published", 1.87269, 27.8193, 22.187), ("chain", 1.79746, 27.7701, 17.887)],
)
def test_ten_thousand_iterations_give_the_issues_numbers_as_a_plain_loop_does(
    rule: str, weight: float, bias: float, loss: float
) -> None:
    ran = Trainer(seed=0, gradient=rule)
    ran.run(10_000)
    stepped = Trainer(seed=0, gradient=rule)
    for _ in itertools.islice(stepped.steps(), 3 * 10_000):
        pass
    data = ran.dataset
    plain = Plain.of(
        data.celsius,
        data.fahrenheit,
        ran.initial_weight,
        ran.initial_bias,
        published=rule == "published",
    )
    plain.run(1e-4, 10_000)
    for trainer in (ran, stepped):
        assert (trainer.weight, trainer.bias) == pytest.approx((plain.weight, plain.bias), rel=1e-9)
        assert trainer.loss == pytest.approx(plain.loss(), rel=1e-9)
    assert (ran.weight, ran.bias, ran.loss) == pytest.approx((weight, bias, loss), abs=1e-3)


def test_the_backward_event_names_its_rule_and_computes_it() -> None:
    trainer = Trainer(seed=0, gradient="published")
    forward, backward = itertools.islice(trainer.steps(), 2)
    assert isinstance(backward, BackwardEvent) and backward.gradient == "published"
    assert backward.grad_weight == pytest.approx(
        float((backward.grad_output * forward.output).sum()), rel=1e-12
    )
    assert trainer.gradient_rule == "published"


def test_the_gradient_check_flags_the_published_rule_and_passes_the_chain_rule() -> None:
    trainer = Trainer(seed=0)
    for name, passes in (("chain", True), ("published", False)):
        check = gradient_check(
            trainer.dataset, trainer.weight, trainer.bias, backward=GRADIENT_RULES[name].backward
        )
        assert check.passed is passes, name


def test_the_published_rule_has_no_closed_form_so_no_predictions() -> None:
    trainer = Trainer(seed=0, gradient="published")
    assert not trainer.has_closed_form
    assert trainer.spectral_radius is None and trainer.directions is None
    assert trainer.divergence_expected_at is None and trainer.stable
    with pytest.raises(NoClosedFormError):
        trainer.iterations_to()


def test_its_stable_limit_is_that_of_its_linearisation_at_the_optimum() -> None:
    """About 6.7e-4 on the tutorial's data: converging below, not above."""
    trainer = Trainer(seed=0, gradient="published")
    limit = trainer.max_stable_learning_rate
    assert limit == pytest.approx(6.737e-4, rel=1e-3)
    for share, settles in ((0.97, True), (1.03, False)):
        trainer.reset()
        trainer.learning_rate = share * limit
        trainer.run(100_000)
        near = abs(trainer.weight - 1.8) < 1e-6 and abs(trainer.bias - 32) < 1e-4
        assert near is settles


def test_switching_the_rule_mid_run_is_a_new_segment() -> None:
    trainer = Trainer(seed=0)
    trainer.run(500)
    next(trainer.steps())  # forward of iteration 501
    trainer.gradient_rule = "published"  # finishes iteration 501 first
    assert trainer.iteration == 501 and trainer.next_phase == "forward"
    assert [(s.start, s.gradient_rule) for s in trainer.segments] == [
        (0, "chain"),
        (501, "published"),
    ]
    with pytest.raises(ValueError, match="choose one of: chain, published"):
        trainer.gradient_rule = "backprop"
