"""The docs' lists follow the registries, ``core.OPTIMIZERS`` and ``tui.i18n.TABLE``: README's
key and option tables and docs/api.md name every registered optimizer (README every
language), in the registry's order, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from core import OPTIMIZERS, LinearOptimizer

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
NAMES = list(OPTIMIZERS)
LINEAR = [name for name, rule in OPTIMIZERS.items() if issubclass(rule, LinearOptimizer)]


def one(pattern: str, text: str) -> re.Match[str]:
    (match,) = re.finditer(pattern, text)
    return match


def backticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def test_readme_key_table_cycles_through_every_optimizer_by_title() -> None:
    row = one(r"\| `o` \| next optimizer: (.*) \|", README).group(1)
    assert row.split(" → ") == [rule.title for rule in OPTIMIZERS.values()]


def test_readme_option_table_lists_every_optimizer_and_the_rates_that_differ() -> None:
    assert one(r"\| `--optimizer ([^`]*)` \|", README).group(1).split(r"\|") == NAMES
    # "learning rate (1e-4; Adam 0.1)": the tutorial's rate, then each optimizer of its own
    usual, *others = one(r"\| learning rate \(([^)]*)\)", README).group(1).split("; ")
    default = OPTIMIZERS["gd"].default_learning_rate
    assert float(usual) == default
    own = {title: float(value) for title, value in (o.rsplit(" ", 1) for o in others)}
    assert own == {
        rule.title: rule.default_learning_rate
        for rule in OPTIMIZERS.values()
        if rule.default_learning_rate != default
    }


def test_api_lists_every_optimizer_its_class_and_its_default_rate() -> None:
    classes = one(r"`core.OPTIMIZERS` maps names to classes \(([^)]*)\)", API).group(1)
    pairs = re.findall(r"`(\w+)`: `(\w+)`", classes)
    assert pairs == [(name, rule.__name__) for name, rule in OPTIMIZERS.items()]
    rates = one(r"`OPTIMIZERS\[name\]\.default_learning_rate`:\s+([^)]*)\)", API).group(1)
    written = {
        name: float(value)
        for value, names in (part.split(" for ", 1) for part in rates.split("; "))
        for name in backticked(names)
    }
    assert written == {name: rule.default_learning_rate for name, rule in OPTIMIZERS.items()}


def test_api_names_every_linear_rule_where_it_lists_them() -> None:
    lists = re.findall(r"the linear rules \(([^)]*)\)", API.replace("\n", " "))
    assert len(lists) >= 2
    for listed in lists:
        assert backticked(listed) == LINEAR


def test_readme_option_table_lists_every_language() -> None:
    from tui.i18n import LANGUAGES

    assert one(r"\| `--lang ([^`]*)` \|", README).group(1).split(r"\|") == list(LANGUAGES)
