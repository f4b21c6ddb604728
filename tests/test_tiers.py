"""The quick tier (``pytest -m "not slow"``) keeps a test of every file (docs/development.md).

Read from the files' source rather than from a second collection of the whole suite: a file
whose every test is marked slow, or whose ``pytestmark`` is, would drop out of the tier a
contributor runs after each change, and its area would go untested until CI.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def is_slow_mark(node: ast.expr) -> bool:
    """``pytest.mark.slow``, called or not, alone or in a list."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(is_slow_mark(item) for item in node.elts)
    return isinstance(node, ast.Attribute) and node.attr == "slow"


def quick_tests(source: str) -> tuple[list[str], bool]:
    """The test functions of a module not marked slow, and whether the whole module is."""
    tree = ast.parse(source)
    whole_module = any(
        isinstance(node, ast.Assign)
        and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        )
        and is_slow_mark(node.value)
        for node in tree.body
    )
    quick = [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test")
        and not any(is_slow_mark(decorator) for decorator in node.decorator_list)
    ]
    return quick, whole_module


def test_the_check_sees_a_slow_mark() -> None:
    marked = "import pytest\n@pytest.mark.slow\ndef test_a(): pass\ndef test_b(): pass\n"
    assert quick_tests(marked) == (["test_b"], False)
    assert quick_tests("import pytest\npytestmark = [pytest.mark.slow]\n")[1]


def test_every_test_file_keeps_a_test_in_the_quick_tier() -> None:
    files = sorted(TESTS.glob("test_*.py"))
    assert len(files) > 50, "the suite's files were found"
    left_out = []
    for path in files:
        quick, whole_module = quick_tests(path.read_text(encoding="utf-8"))
        if whole_module or not quick:
            left_out.append(path.name)
    assert left_out == [], f"no quick test left in {left_out}"
