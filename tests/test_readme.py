"""README's promises: its Python example runs, and its two commands are where CI finds them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def fenced_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_python_example_runs_and_prints_the_tutorials_end(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (example,) = [block for block in fenced_blocks("python") if "trainer.steps()" in block]
    exec(compile(example, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == ["forward 1", "backward 1", "update 1"]
    assert "update 3" in out


def test_the_two_commands_are_marked_for_ci() -> None:
    text = README.read_text(encoding="utf-8")
    for marker, ending in (("run-command", "c2f-tui"), ("test-command", "pytest -n auto")):
        block = re.search(rf"<!-- ci: {marker} -->\n```bash\n(.*?)\n```", text)
        assert block is not None, marker
        assert block.group(1).startswith("python3 -m venv .venv && ")
        assert block.group(1).endswith(ending)
