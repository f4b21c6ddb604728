"""Races: a second trainer from the same start, what ``--compare`` names, and how it keeps up.

A race's second trainer (the racer) differs from the first (the leader) in the
settings a ``RaceSpec`` names: ``lr``, ``optimizer``, ``standardize``,
``gradient`` (``--compare KEY=VALUE[,KEY=VALUE…]``, or ``c`` on screen). Its
rate, if not given, is its optimizer's own default
(``core.OPTIMIZERS[name].default_learning_rate``), as on the command line.

The leader is driven by the keys and the pace; the racer follows it. After every
command and every frame, ``Race.sync`` brings the racer to the leader's
iteration and phase: forward by training, back by seeking. So whatever moves the
leader (space, ``s``, ``n``, ``f``, ``r``, a seek to an earlier iteration) moves
both, and no command needs to know about the race. Nothing here imports Textual:
headless runs race too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from core import GRADIENT_RULES, OPTIMIZERS, Trainer
from core.numerals import DECIMAL
from tui.i18n import _
from tui.model.driver import Driver

KEYS = ("lr", "optimizer", "standardize", "gradient")
"""The settings a race may change, in the order they are described."""
TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")


class CompareError(ValueError):
    """A ``--compare`` text that cannot be used; the message is one line saying why."""


@dataclass(frozen=True)
class RaceSpec:
    """How the second trainer of a race differs from the first (None: as the first)."""

    learning_rate: float | None = None
    """Its learning rate; None: its optimizer's default."""
    optimizer: str | None = None
    """Its update rule (a key of ``core.OPTIMIZERS``); None: the first trainer's."""
    standardize: bool | None = None
    """Standardised celsius or raw; None: as the first trainer."""
    gradient: str | None = None
    """Its gradient rule (a key of ``core.GRADIENT_RULES``); None: the first trainer's."""

    def make_trainer(self, leader: Trainer) -> Trainer:
        """A fresh trainer from ``leader``'s start, with ``leader``'s settings where this
        spec names none (its rate: the given one, else its optimizer's default)."""
        optimizer = self.optimizer if self.optimizer is not None else leader.optimizer
        return Trainer(
            leader.dataset,
            learning_rate=self.learning_rate,
            weight=leader.initial_weight,
            bias=leader.initial_bias,
            seed=leader.seed,
            optimizer=optimizer,
            standardize=leader.standardize if self.standardize is None else self.standardize,
            gradient=self.gradient if self.gradient is not None else leader.gradient_rule,
        )

    def text(self) -> str:
        """The spec as ``--compare`` takes it: ``optimizer=adam,lr=0.1``."""
        parts = []
        if self.learning_rate is not None:
            parts.append(f"lr={self.learning_rate:g}")
        if self.optimizer is not None:
            parts.append(f"optimizer={self.optimizer}")
        if self.standardize is not None:
            parts.append(f"standardize={'yes' if self.standardize else 'no'}")
        if self.gradient is not None:
            parts.append(f"gradient={self.gradient}")
        return ",".join(parts)


def parse_compare(text: str) -> RaceSpec:
    """``KEY=VALUE[,KEY=VALUE…]`` as a ``RaceSpec``; ``CompareError`` (one line) if it cannot be.

    >>> parse_compare("optimizer=adam,standardize=yes")
    RaceSpec(learning_rate=None, optimizer='adam', standardize=True, gradient=None)
    """
    values: dict[str, str] = {}
    for item in text.split(","):
        key, equals, value = item.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not item.strip():
            raise CompareError(_("expected KEY=VALUE[,KEY=VALUE…], e.g. optimizer=adam"))
        if not equals or not value:
            raise CompareError(
                _("{key} needs a value: KEY=VALUE, e.g. optimizer=adam").format(
                    key=repr(key or item)
                )
            )
        if key not in KEYS:
            raise CompareError(
                _("unknown key {key}; the keys are {keys}").format(
                    key=repr(key), keys=", ".join(KEYS)
                )
            )
        if key in values:
            raise CompareError(_("{key} is given twice").format(key=key))
        values[key] = value
    return RaceSpec(
        learning_rate=_rate(values["lr"]) if "lr" in values else None,
        optimizer=_choice("optimizer", values.get("optimizer"), tuple(OPTIMIZERS)),
        standardize=_yes_no(values["standardize"]) if "standardize" in values else None,
        gradient=_choice("gradient", values.get("gradient"), tuple(GRADIENT_RULES)),
    )


def _rate(text: str) -> float:
    """The learning rate in ``lr=TEXT``: a decimal as ``core.numerals.DECIMAL`` writes it
    (not ``1_0``, not another script's digits), finite and > 0."""
    value = float(text) if DECIMAL.fullmatch(text) else math.nan
    if not (math.isfinite(value) and value > 0):
        raise CompareError(_("lr must be a finite number > 0, got {text}").format(text=repr(text)))
    return value


def _choice(key: str, text: str | None, choices: tuple[str, ...]) -> str | None:
    if text is None:
        return None
    if text.lower() not in choices:
        raise CompareError(
            _("{key} must be one of {choices}, got {text}").format(
                key=key, choices=", ".join(choices), text=repr(text)
            )
        )
    return text.lower()


def _yes_no(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CompareError(_("standardize must be yes or no, got {text}").format(text=repr(text)))


def partners(leader: Trainer) -> tuple[RaceSpec, ...]:
    """What ``c`` races against when ``--compare`` named nothing: each other optimizer at its
    default rate (in ``core.OPTIMIZERS``' order after the leader's), then the other gradient
    rule."""
    names = list(OPTIMIZERS)
    here = names.index(leader.optimizer) + 1 if leader.optimizer in names else 0
    others = names[here:] + names[: max(here - 1, 0)]
    rule = "published" if leader.gradient_rule == "chain" else "chain"
    return (*(RaceSpec(optimizer=name) for name in others), RaceSpec(gradient=rule))


SLICE = 0.01
"""Seconds of catching up per call (as ``tui.app.MAX_TRAINING_SLICE``): a racer without a
closed form (Adam, the published gradient) far behind catches up over several frames."""


class Race:
    """The racer's driver, and how to keep it level with the leader."""

    def __init__(
        self,
        leader: Driver,
        spec: RaceSpec,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.leader = leader
        """The driver the app's keys and pace move."""
        self.spec = spec
        """How the racer differs from the leader."""
        self.driver = Driver(
            spec.make_trainer(leader.trainer), target=leader.target, running=False, clock=clock
        )
        """The racer's own driver (never ticked: it follows)."""
        self._clock = clock

    def lead(self, goal: int, deadline: float) -> int:
        """Go first towards the leader's ``goal`` iteration before ``deadline``; return how far
        the leader may follow: where the racer got to, or ``goal`` if the racer has
        diverged (it waits there, and the leader trains on alone)."""
        racer, leader = self.driver, self.leader.trainer
        if not racer.follow(leader.iteration, leader.next_phase, deadline):
            return leader.iteration  # still catching up: the leader waits
        racer.follow(goal, "forward", deadline)
        return goal if racer.trainer.diverged else racer.trainer.iteration

    def sync(self, budget: float = SLICE) -> bool:
        """Bring the racer to the leader's iteration and phase, spending at most ``budget``
        seconds; False if it is still behind (call again on the next frame)."""
        trainer = self.leader.trainer
        deadline = self._clock() + budget
        return self.driver.follow(trainer.iteration, trainer.next_phase, deadline)
