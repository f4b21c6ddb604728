"""Counting Textual's work in a test: the calls of a method, and the restyles.

The cost tests (dialogs, kept help, kept dialogs) each asked the same questions: was the
screen composed again, laid out again, its widgets styled again? Each counts by wrapping
the method for the test (``monkeypatch``), the method still doing its work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode


def calls_on(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[Any]:
    """The object each call of ``owner.name`` is made on, from now on, in order."""
    made_on: list[Any] = []
    original = getattr(owner, name)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        made_on.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return made_on


def count_restyles(monkeypatch: pytest.MonkeyPatch) -> list[list[DOMNode]]:
    """Every restyle from now on: the nodes Textual's stylesheet styled again, each time."""
    restyled: list[list[DOMNode]] = []
    original = Stylesheet.update_nodes

    def counted(self: Stylesheet, nodes: Iterable[DOMNode], animate: bool = False) -> None:
        nodes = list(nodes)
        restyled.append(nodes)
        original(self, nodes, animate=animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    return restyled
