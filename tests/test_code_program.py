"""The code pane's program is real: it imports only numpy, it runs, and it trains as core does.

``tui/lesson/program.<language>.py`` is shown as text and never imported by the app;
these tests run it (in a namespace of its own, and as a script in a fresh interpreter)
and compare it with ``core.Trainer.run(10_000)``, for both gradient rules.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from core import Trainer
from tui.i18n import LANGUAGES
from tui.lesson import listing

ITERATIONS = 10_000
GRADIENTS = ("chain", "published")


def source(language: str) -> str:
    return resources.files("tui.lesson").joinpath(f"program.{language}.py").read_text("utf-8")


def run_program(text: str, gradient: str) -> dict[str, Any]:
    """Execute the program with its own globals (not as ``__main__``, so it does not train
    by itself), set its GRADIENT constant, train, and return its globals."""
    namespace: dict[str, Any] = {"__name__": "c2f_program"}
    exec(compile(text, "program.py", "exec"), namespace)
    namespace["GRADIENT"] = gradient
    namespace["print"] = lambda *args: None  # its progress lines
    namespace["train"]()
    return namespace


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_program_imports_only_numpy(language: str) -> None:
    tree = ast.parse(source(language))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or ".")
    assert imported == {"numpy"}


@pytest.mark.parametrize("gradient", GRADIENTS)
def test_the_program_trains_as_core_does(gradient: str) -> None:
    """Its 10,000 iterations end where ``Trainer.run(10_000)`` does, within 1e-12 relative."""
    program = run_program(source("en"), gradient)
    trainer = Trainer(seed=0, gradient=gradient)
    assert (program["weight"], program["bias"]) != (
        trainer.initial_weight,
        trainer.initial_bias,
    ), "it trained"
    trainer.run(ITERATIONS)
    _, loss = program["forward"](program["weight"], program["bias"])
    assert program["weight"] == pytest.approx(trainer.weight, rel=1e-12, abs=0)
    assert program["bias"] == pytest.approx(trainer.bias, rel=1e-12, abs=0)
    assert loss == pytest.approx(trainer.loss, rel=1e-12, abs=0)


def test_the_two_rules_end_in_different_places() -> None:
    """GRADIENT really switches the rule (the test above could not tell otherwise)."""
    chain, published = (run_program(source("en"), rule)["weight"] for rule in GRADIENTS)
    assert abs(chain - published) > 1e-3


def test_the_program_starts_where_core_does() -> None:
    namespace: dict[str, Any] = {"__name__": "c2f_program"}
    exec(compile(source("en"), "program.py", "exec"), namespace)
    trainer = Trainer(seed=0)
    assert (namespace["weight"], namespace["bias"]) == (
        trainer.initial_weight,
        trainer.initial_bias,
    )
    assert namespace["LEARNING_RATE"] == trainer.learning_rate
    assert namespace["GRADIENT"] == "chain"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_program_runs_as_a_script_on_its_own(language: str, tmp_path: Path) -> None:
    """Copied anywhere and run with ``python program.py`` (isolated: nothing of the project
    on the path), it prints where it ends, which is where core ends."""
    script = tmp_path / "program.py"
    script.write_text(source(language), encoding="utf-8")
    finished = subprocess.run(
        [sys.executable, "-I", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = finished.stdout.splitlines()
    assert lines[0].startswith("iteration 0 loss ")
    _, weight, _, bias = lines[-2].split()
    trainer = Trainer(seed=0)
    trainer.run(ITERATIONS)
    assert float(weight) == pytest.approx(trainer.weight, rel=1e-12, abs=0)
    assert float(bias) == pytest.approx(trainer.bias, rel=1e-12, abs=0)
    assert finished.stderr == ""


def without_comments(text: str) -> list[tuple[int, str]]:
    """The program's tokens, comments left out (their kind and text)."""
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [
        (token.type, token.string)
        for token in tokens
        if token.type not in (tokenize.COMMENT, tokenize.NL)
    ]


def test_the_chinese_program_differs_only_in_its_comments() -> None:
    english, chinese = source("en"), source("zh")
    assert english != chinese
    assert without_comments(english) == without_comments(chinese)
    assert len(english.splitlines()) == len(chinese.splitlines()), "the same line numbers"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_listing_finds_each_phase_and_each_rule(language: str) -> None:
    """What the pane highlights: each phase's function, and each rule's one line."""
    program = listing.load(language)
    lines = program.lines
    for phase in ("forward", "backward"):
        first, last = program.blocks[phase]
        assert lines[first - 1].startswith(f"def {phase}(")
        assert lines[last - 1].strip().startswith("return")
    first, last = program.blocks["update"]
    assert lines[first - 1].startswith("def update_parameters(")
    assert lines[last - 1].strip() == "bias = bias - LEARNING_RATE * grad_bias"
    assert "grad_output * celsius" in lines[program.rule_lines["chain"] - 1]
    assert "grad_output * output" in lines[program.rule_lines["published"] - 1]
    assert program.learning_rate == Trainer(seed=0).learning_rate
