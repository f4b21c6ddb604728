"""A new optimizer is one class: registered in ``core.OPTIMIZERS``, the app offers it everywhere.

The subclass below differs from momentum only in its name, title and β; nothing
in ``tui`` is edited for it. It must appear in ``o``'s cycle, in ``--optimizer``,
in help, in the command palette and in the explanation panel.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from core import OPTIMIZERS, Momentum
from tests.conftest import screen_text, shown
from tui.app import make_app
from tui.cli.options import parse_settings
from tui.screens.help import HelpScreen

SIZE = (80, 24)


class GentleMomentum(Momentum):
    """Momentum that keeps half its velocity: a test of self-description, not a proposal."""

    name: ClassVar[str] = "gentle"
    title: ClassVar[str] = "gentle momentum"
    summary: ClassVar[str] = "Gentle momentum (β 0.5): half of the velocity carries over."
    beta = 0.5


@pytest.fixture
def gentle(monkeypatch: pytest.MonkeyPatch) -> type[GentleMomentum]:
    monkeypatch.setitem(OPTIMIZERS, GentleMomentum.name, GentleMomentum)
    return GentleMomentum


def test_the_command_line_accepts_it(gentle: type[GentleMomentum]) -> None:
    assert parse_settings(["--optimizer", "gentle"]).optimizer == "gentle"


@pytest.mark.slow
async def test_o_reaches_it_and_the_explanation_and_help_describe_it(
    gentle: type[GentleMomentum],
) -> None:
    app = make_app(parse_settings(["--step"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["o"] * (list(OPTIMIZERS).index("gentle")))
        assert app.controller.driver.trainer.optimizer == "gentle"
        notice = list(app._notifications)[-1]
        assert "gentle momentum" in notice.title and gentle.summary in notice.message
        assert "gentle" in screen_text(app), "the chart names the optimizer in use"
        await pilot.press("n")
        text = shown(app, "#explain")
        assert "update (gentle) · iteration 1" in screen_text(app)
        assert "v_weight = 0.5 × (0) + (" in text, "its own β, in its own formula"
        assert "stable below" in text and "+∞" not in text
        titles = " ".join(command.help for command in app.get_system_commands(app.screen))
        assert "gentle momentum" in titles
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        seen = False
        for _line in range(40):  # read the help as a user would: scrolling down
            await pilot.pause()
            seen = seen or "gentle momentum" in screen_text(app)
            await pilot.press("down")
        assert seen, "help lists it among the optimizers o cycles through"
        await pilot.press("escape", "o")
        assert app.controller.driver.trainer.optimizer == next(iter(OPTIMIZERS)), (
            "o cycles on past it"
        )
