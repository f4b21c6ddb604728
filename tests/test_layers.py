"""The layers point one way, and no two modules import each other (docs/development.md).

``core`` ← the model (``tui.model``, ``tui.lesson``: a session's state, no Textual) ←
widgets and screens ← ``tui.app`` ← the command line (``tui.cli``); ``tui.serve`` uses
the command line's parser and settings, never the app or its widgets. Every import
counts, those under ``TYPE_CHECKING`` and inside functions too: each binds two files
together for a reader as much as any other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("core", "tui")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imported(path: Path, name: str, known: set[str]) -> Iterator[str]:
    """Every project module ``path`` imports, wherever in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from tui import keys` imports the module tui.keys
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def graph() -> dict[str, set[str]]:
    """Module → the project modules it imports. Packages (``core``'s ``__init__``, which
    re-exports the engine's public names) are left out, as ``shared/tools/import_cycles.py``
    resolves a name imported from a package to the module that defines it: a module importing
    ``from core import Trainer`` depends on ``core.trainer``, not on every module ``core``
    re-exports."""
    found = modules()
    packages = {name for name, path in found.items() if path.name == "__init__.py"}
    known = set(found)
    return {
        name: set(imported(path, name, known)) - packages
        for name, path in found.items()
        if name not in packages
    }


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def under(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_checks_see_an_import_and_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    edges = graph()
    assert "tui.model.driver" in edges["tui.model.controller"], "the graph reads imports"
    assert "tui.app" in edges["tui.cli.start"], "imports inside functions count"


def test_no_two_modules_import_each_other() -> None:
    assert circles(graph()) == []


def test_the_model_knows_nothing_of_textual_or_the_screen() -> None:
    """A session's state and its rules are testable without Textual."""
    model = ("tui.model", "tui.lesson", "tui.settings", "tui.format", "tui.i18n")
    above = ("tui.app", "tui.widgets", "tui.screens", "tui.keys", "tui.cli", "tui.serve")
    edges = graph()
    for name, path in modules().items():
        if not under(name, *model):
            continue
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, name
        wrong = [target for target in edges.get(name, ()) if under(target, *above)]
        assert wrong == [], f"{name} imports {wrong}"


def test_only_the_command_line_starts_the_app_and_nothing_reaches_into_it() -> None:
    edges = graph()
    importers = sorted(name for name, targets in edges.items() if "tui.app" in targets)
    assert importers == ["tui.cli.start"]
    for name, targets in edges.items():
        if under(name, "tui.widgets", "tui.screens", "tui.model", "tui.lesson"):
            assert not any(under(target, "tui.cli", "tui.serve") for target in targets), name


def test_the_server_uses_the_command_line_never_the_app_or_its_widgets() -> None:
    for name, targets in graph().items():
        if under(name, "tui.serve"):
            wrong = [t for t in targets if under(t, "tui.app", "tui.widgets", "tui.screens")]
            assert wrong == [], f"{name} imports {wrong}"
