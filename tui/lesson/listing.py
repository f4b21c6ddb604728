"""The code pane's program: a plain Python file per language, read as text, and its map.

``program.en.py`` (and ``program.zh.py``, the same code with Chinese comments) is
the tutorial's program written for this project: data, ``forward``, ``backward``,
``update_parameters`` and the training loop, in numpy. The app never imports it (a
test runs it and checks it trains as ``core`` does); it reads it with
``importlib.resources`` and parses it with ``ast`` to know which lines each phase
runs, which variable each of those lines assigns (the pane writes its live value
beside it), and which line holds each gradient rule. Nothing here imports Textual.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from importlib import resources

from core.types import Phase
from tui.i18n import LANGUAGES

FUNCTIONS: dict[str, Phase] = {
    "forward": "forward",
    "backward": "backward",
    "update_parameters": "update",
}
"""The program's functions, each the phase of an iteration it performs."""
RULE_SWITCH = "GRADIENT"
"""The constant whose ``if`` chooses between the chain rule and the published code's line."""


@dataclass(frozen=True)
class Listing:
    """A program's lines and where each phase's numbers belong in them (lines count from 1)."""

    lines: tuple[str, ...]
    """The program's text, one line each (``lines[0]`` is line 1)."""
    blocks: dict[Phase, tuple[int, int]]
    """Each phase's function: its first (``def``) and last line."""
    names: dict[int, tuple[str, ...]]
    """The variables each line of a phase's function binds: its parameters on the ``def``
    line, the name assigned on an assignment."""
    rules: dict[str, tuple[int, int]]
    """The lines only one gradient rule runs: ``chain``'s branch, ``published``'s (from its
    ``else:``)."""
    rule_lines: dict[str, int]
    """The one line each gradient rule computes grad_weight with."""
    learning_rate: float
    """The program's ``LEARNING_RATE``."""


def parse(text: str) -> Listing:
    """The map of ``text``, a program in the shape described in the module docstring."""
    tree = ast.parse(text)
    blocks: dict[Phase, tuple[int, int]] = {}
    names: dict[int, tuple[str, ...]] = {}
    rules: dict[str, tuple[int, int]] = {}
    rule_lines: dict[str, int] = {}
    learning_rate = 0.0
    for node in tree.body:
        if isinstance(node, ast.Assign) and _target(node) == "LEARNING_RATE":
            learning_rate = float(ast.literal_eval(node.value))
        if not (isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS):
            continue
        blocks[FUNCTIONS[node.name]] = (node.lineno, node.end_lineno or node.lineno)
        names[node.lineno] = tuple(argument.arg for argument in node.args.args)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Assign) and (target := _target(inner)):
                names[inner.lineno] = (target,)
            if isinstance(inner, ast.If) and RULE_SWITCH in ast.unparse(inner.test):
                chain, published = inner.body[0], inner.orelse[0]
                rules["chain"] = (chain.lineno, inner.body[-1].end_lineno or chain.lineno)
                rules["published"] = (
                    published.lineno - 1,  # its else:
                    inner.orelse[-1].end_lineno or published.lineno,
                )
                rule_lines.update(chain=chain.lineno, published=published.lineno)
    return Listing(tuple(text.splitlines()), blocks, names, rules, rule_lines, learning_rate)


def _target(node: ast.Assign) -> str | None:
    """The one plain name an assignment binds, or None."""
    if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def text(language: str) -> str:
    """The program's text in ``language`` (English if it has none)."""
    folder = resources.files(__package__)
    name = f"program.{language}.py"
    if language not in LANGUAGES or not folder.joinpath(name).is_file():
        name = f"program.{LANGUAGES[0]}.py"
    return folder.joinpath(name).read_text(encoding="utf-8")


@cache
def load(language: str) -> Listing:
    """The program in ``language``, parsed once."""
    return parse(text(language))
