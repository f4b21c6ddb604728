"""The code pane (p): the program beside the numbers, its phase's lines highlighted with
core's values, stepped through a whole iteration as a learner does."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from core import Trainer
from core.events import BackwardEvent, ForwardEvent, UpdateEvent
from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui import i18n
from tui.format import number
from tui.lesson import listing
from tui.widgets.code_pane import CodePane

SIZE = (80, 24)
SAMPLE = 92
"""The explained sample's index: 42 °C in -50..49."""


def rows(app: Any) -> dict[int, tuple[bool, bool, str]]:
    """The pane's program lines by number: (highlighted ▶, marked ✗, the rest of the row)."""
    found = {}
    for row in shown(app, "#code").splitlines()[1:]:
        if row[1:3].strip().isdigit():
            found[int(row[1:3])] = (row[0] == "▶", row[3] == "✗", row[4:])
    return found


def highlighted(app: Any) -> set[int]:
    return {line for line, (lit, _, _) in rows(app).items() if lit}


def value(app: Any, line: int) -> str:
    """What the pane writes beside ``line``, after its code."""
    text = rows(app)[line][2]
    code = listing.load("en").lines[line - 1]
    assert text.startswith(code[: len(text.split("  ")[0])]), text
    return text[len(code) :].strip() if text.startswith(code) else text.rsplit("  ", 1)[-1]


def block(phase: str) -> set[int]:
    first, last = listing.load("en").blocks[phase]  # type: ignore[index]
    return set(range(first, last + 1))


def lit_as(app: Any, lines: set[int]) -> None:
    """The pane lights exactly ``lines`` where it shows them, and shows them all but
    perhaps the ``def`` line (a function longer than the pane starts below it)."""
    visible = set(rows(app))
    assert highlighted(app) == lines & visible
    assert lines - visible <= {min(lines)}


def core_events(gradient: str = "chain") -> list[Any]:
    return list(itertools.islice(Trainer(seed=0, gradient=gradient).steps(), 3))


async def test_p_steps_through_an_iteration_with_cores_numbers() -> None:
    """Forward, backward, update: each phase's lines lit, each variable's value core's."""
    forward, backward, update = core_events()
    assert isinstance(forward, ForwardEvent) and isinstance(backward, BackwardEvent)
    assert isinstance(update, UpdateEvent)
    program = listing.load("en")
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        screen = screen_text(app)
        assert "program.py" in screen
        assert "Press s for the first, forward" not in screen, "in the explanation's place"
        assert not highlighted(app)

        await pilot.press("s")
        lit_as(app, block("forward"))
        assert "program.py · forward · iteration 1" in shown(app, "#code")
        output_line = program.lines.index("    output = celsius * weight + bias") + 1
        loss_line = output_line + 1
        assert value(app, output_line) == f"{number(float(forward.output[SAMPLE]), 7)} at 42 °C"
        assert value(app, loss_line) == number(forward.loss, 7)

        await pilot.press("s")
        published = program.rules["published"]
        lit_as(app, block("backward") - set(range(published[0], published[1] + 1)))
        assert "program.py · backward · iteration 1" in shown(app, "#code")
        grad_output_line = program.lines.index("    grad_output = 2 * (output - fahrenheit) / N")
        assert value(app, grad_output_line + 1) == (
            f"{number(float(backward.grad_output[SAMPLE]), 7)} at 42 °C"
        )
        assert value(app, program.rule_lines["chain"]) == number(backward.grad_weight, 7)
        bias_line = next(
            n for n, text in enumerate(program.lines, 1) if "grad_bias = np.sum" in text
        )
        assert value(app, bias_line) == number(backward.grad_bias, 7)
        assert not any(marked for _, marked, _ in rows(app).values()), "✗ only when published"
        assert value(app, program.rule_lines["published"]) == "", "the line that did not run"

        await pilot.press("s")
        lit_as(app, block("update"))
        weight_line = program.lines.index("    weight = weight - LEARNING_RATE * grad_weight") + 1
        assert value(app, weight_line) == (
            f"{number(update.previous_weight, 7)} → {number(update.weight, 7)}"
        )
        assert value(app, weight_line + 1) == (
            f"{number(update.previous_bias, 7)} → {number(update.bias, 7)}"
        )

        await pilot.press("p")
        assert not app.query_one(CodePane).display
        assert "── update (gd) · iteration 1 ─" in screen_text(app), "the explanation is back"


async def test_the_published_rule_marks_its_one_line() -> None:
    """--gradient published: the line that differs is marked ✗ and carries the value; the
    chain rule's line is not lit."""
    _, backward, _ = core_events("published")
    program = listing.load("en")
    app = paused_app(step_mode=True, gradient="published")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        marked = [line for line, (_, mark, _) in rows(app).items() if mark]
        assert marked in ([], [program.rule_lines["published"]])  # the window may not show it
        await pilot.press("s", "s")
        shown_rows = rows(app)
        assert [line for line, (_, mark, _) in shown_rows.items() if mark] == [
            program.rule_lines["published"]
        ]
        assert program.rule_lines["chain"] not in highlighted(app)
        assert program.rule_lines["published"] in highlighted(app)
        assert value(app, program.rule_lines["published"]) == number(backward.grad_weight, 7)
        assert value(app, program.rule_lines["chain"]) == ""


async def test_beside_the_explanation_where_there_is_room() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("p", "s")
        screen = screen_text(app)
        assert "── forward · iteration 1 ─" in screen
        assert "program.py · forward · iteration 1" in screen
        assert highlighted(app) == block("forward")


async def test_an_unchanged_frame_does_not_draw_the_pane(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paused, a frame whose code slice is unchanged costs the pane nothing; a step redraws."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "s")
        drawn: list[object] = []
        show = CodePane.show
        monkeypatch.setattr(CodePane, "show", lambda self, view: drawn.append(show(self, view)))
        for _ in range(5):
            app.refresh_view(charts=True)
        await pilot.pause()
        assert drawn == []
        await pilot.press("s")
        assert len(drawn) == 1


async def test_notes_where_the_run_is_not_the_program() -> None:
    """Another optimizer, standardised inputs, another rate: the pane says so rather than
    writing numbers the program would not compute."""
    app = paused_app(step_mode=True, optimizer="momentum", learning_rate=2e-4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "s", "s", "s")
        text = shown(app, "#code")
        assert "This run updates with momentum" in text
        assert "In this run LEARNING_RATE = 2e-4." in text
        assert "→" not in text, "no update values from another rule"


async def test_in_chinese_the_comments_are_chinese() -> None:
    i18n.set_language("zh")
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "s")
        text = shown(app, "#code")
        assert "预测每个样本" in text
        assert "output = celsius * weight + bias" in text


@pytest.mark.slow
async def test_p_is_in_help_the_palette_and_the_footer_where_room_allows() -> None:
    """Help and the palette list p at 80×24; the Footer, whose stepping row is full at 80
    columns, offers it from 100."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Code (p)" in titles
        await until(pilot, lambda: "Quit" in screen_text(app).splitlines()[-1], "the Footer")
        footer = screen_text(app).splitlines()[-1]
        assert "p Code" not in footer and "q Quit" in footer
        await pilot.press("question_mark")
        seen = False
        for _line in range(40):  # read the help as a user would: scrolling down
            await pilot.pause()
            seen = seen or "Show or hide the program" in screen_text(app)
            await pilot.press("down")
        assert seen, "help lists p"
    app = paused_app(step_mode=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "Quit" in screen_text(app).splitlines()[-1], "the Footer")
        footer = screen_text(app).splitlines()[-1]
        assert "p Code" in footer and "q Quit" in footer


async def test_e_brings_the_explanation_back_in_the_panes_place() -> None:
    """At 80×24 the pane hides the explanation: e shows it again (before, e closed the hidden
    explanation and nothing on screen changed)."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "p")
        assert "program.py · forward" in screen_text(app)
        await pilot.press("e")
        screen = screen_text(app)
        assert "── forward · iteration 1 ─" in screen
        assert "program.py" not in screen
        assert app.controller.display.explaining


async def test_b_goes_back_a_phase_and_the_pane_follows() -> None:
    forward = core_events()[0]
    program = listing.load("en")
    output_line = program.lines.index("    output = celsius * weight + bias") + 1
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "s", "s", "b")
        lit_as(app, block("forward"))
        assert value(app, output_line) == f"{number(float(forward.output[SAMPLE]), 7)} at 42 °C"


@pytest.mark.parametrize("phase", ["forward", "backward", "update"])
async def test_the_headers_lines_are_the_lines_on_show(phase: str) -> None:
    """A learner's report: at 80×24 the backward header said "lines 28–35" while line 28
    (``def backward…``) was above the pane's first row. The range named is on show, first
    and last, for each phase."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        for key in "sss":
            await pilot.press(key)
            await pilot.pause()
            view = app.main_screen.view
            if view is not None and view.code is not None and view.code.phase == phase:
                break
        header = shown(app, "#code").splitlines()[0]
        found = re.search(r"lines (\d+)–(\d+)", header)
        assert found, header
        first, last = int(found[1]), int(found[2])
        visible = set(rows(app))
        assert first in visible and last in visible, (header, sorted(visible))
        assert set(range(first, last + 1)) <= block(phase), "the phase's own lines"
