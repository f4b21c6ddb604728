"""No user-facing text bypasses the catalog: a string literal that reaches the screen (or
the command line's help and refusals) goes through ``_``, ``N_`` or ``ngettext``.

The scan reads tui/ with Python's parser and looks at what is handed to the places text
is shown: widgets (``Static``, ``Label``, ``Button``, ``Line``), ``update``, ``notify``,
bindings and palette commands, border titles, argparse's help and refusals, and the
lines written to stderr. A literal there holding words is a finding, unless it is one of
the formulas in ``FORMULAS`` (the mathematics stays as written, in the tutorial's names).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tui

TUI = Path(tui.__file__).parent

SHOWN_ARGUMENTS = {
    "Static": (0,),
    "Label": (0,),
    "Button": (0,),
    "Line": (0,),
    "Text": (0,),
    "update": (0,),
    "notify": (0,),
    "Binding": (2,),
    "SystemCommand": (0, 1),
    "error": (0,),
    "ArgumentTypeError": (0,),
    "ServeError": (0,),
    "_error_line": (0,),
    "set_border_text": (),
    "add_row": (0,),
    "print": (0,),
    "_say": (1,),
}
"""Calls whose positional arguments (by index) are shown as they are."""
SHOWN_KEYWORDS = {
    "title",
    "subtitle",
    "help",
    "description",
    "placeholder",
    "tooltip",
    "message",
    "border_title",
    "border_subtitle",
}
"""Keyword arguments, and attributes assigned, that are shown as they are."""
TRANSLATING = {"_", "N_", "ngettext"}

FORMULAS = {
    "parameter ← parameter − learning_rate × gradient",
    "fahrenheit = weight × celsius + bias · ",
    "°F = weight × °C + bias · ",
    "°F = w × °C + b · ",
    "loss   = Σ (output − fahrenheit)² / N   [dim]",
    "grad_output at ",
    " = ∂loss/∂output = 2 (output − fahrenheit) / N",
    "grad_weight = Σ ∂loss/∂output · ∂output/∂weight = Σ grad_output × ",
    "grad_bias   = Σ ∂loss/∂output · ∂output/∂bias   = Σ grad_output × 1",
    "grad_weight = Σ grad_output × output   [b $text-error]",
    "output = ",
    " × weight + bias",
    "weight ← ",
    "bias   ← ",
    "lr ",
    "ctrl+p",
    "c2f-tui",
    "listening on ",  # c2f-tui serve's first line: scripts wait for it (an interface)
}
"""Literals that are mathematics in the tutorial's own names, key names or the program's
name: not sentences."""

WORD = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = re.compile(r"\[/?[a-z $-]*\]|\{[^}]*\}|--[a-z-]+|\$[a-z-]+")
"""Rich markup, placeholders, option names: not words a reader reads."""


def _literals(node: ast.AST) -> list[str]:
    """The string literals of an expression that are shown as written: not those inside a
    call (a translation, or a function that makes its own text)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            value.value
            for value in node.values
            if isinstance(value, ast.Constant) and isinstance(value.value, str)
        ]
    if isinstance(node, ast.BinOp):
        return _literals(node.left) + _literals(node.right)
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _is_prose(text: str) -> bool:
    words = NOT_WORDS.sub("", text).strip()
    return words not in {NOT_WORDS.sub("", formula).strip() for formula in FORMULAS} and bool(
        WORD.search(words)
    )


def _name(function: ast.expr) -> str:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return ""


def untranslated(source: str, filename: str = "<source>") -> list[str]:
    """Every literal of ``source`` that reaches the user without the catalog."""
    findings = []
    for node in ast.walk(ast.parse(source)):
        shown: list[ast.expr] = []
        if isinstance(node, ast.Call) and _name(node.func) not in TRANSLATING:
            indexes = SHOWN_ARGUMENTS.get(_name(node.func), ())
            shown += [node.args[i] for i in indexes if i < len(node.args)]
            shown += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in SHOWN_KEYWORDS:
                    shown.append(node.value)
        for expression in shown:
            findings += [
                f"{filename}:{expression.lineno}: {text!r}"
                for text in _literals(expression)
                if _is_prose(text)
            ]
    return findings


def test_every_shown_literal_goes_through_the_catalog() -> None:
    findings = []
    for path in sorted(TUI.rglob("*.py")):
        if path.parent.name == "lesson" and path.name.startswith("program."):
            continue  # the code pane's program: shown as code, translated as a file (zh)
        findings += untranslated(path.read_text(encoding="utf-8"), str(path.relative_to(TUI)))
    assert not findings, "shown without _(): " + "\n".join(findings)


def test_the_scan_finds_an_unwrapped_string() -> None:
    """The scan itself: each way of showing a bare sentence is caught, wrapped ones and
    formulas are not."""
    caught = untranslated(
        "\n".join(
            [
                'self.notify("Learning rate unchanged")',
                'Static("The chart")',
                'panel.border_title = "Weight"',
                'Binding("p", "pause", "Pause")',
                'parser.add_argument("--x", help="a help text")',
                'self.update(f"[b]{n}[/b] iterations to go")',
                'Line("[dim]over all " + str(n) + " samples[/dim]")',
                'SystemCommand(_("Lesson"), "Open the lesson", open)',
            ]
        )
    )
    assert {finding.split(":")[1] for finding in caught} == {str(n) for n in range(1, 9)}, caught
    assert not untranslated(
        "\n".join(
            [
                'self.notify(_("Learning rate unchanged"))',
                'Static(N_("The chart"))',
                'Binding("p", "pause", N_("Pause"))',
                'self.update(f"[b]{n}[/b] " + ngettext("iteration", "iterations", n))',
                'Line("parameter ← parameter − learning_rate × gradient")',
                'self.update(f"lr [b]{rate}[/b]")',
                'Static("", id="status")',
            ]
        )
    )
