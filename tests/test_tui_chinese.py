"""The app in Simplified Chinese, driven as a learner would: the screens fit 80×24 cell for
cell, and the keys a Chinese input method sends (？【】《》，。) work as ? [ ] < > , ."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.cells import cell_len

from tests.conftest import paused_app, screen_text, shown
from tui import i18n
from tui.app import TrainerApp, make_app
from tui.lesson.stages import STAGES
from tui.screens.help import HelpScreen
from tui.settings import Settings

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def rows_fit(app: TrainerApp, width: int = SIZE[0]) -> None:
    """Every row of the screen is exactly ``width`` cells: no wide character cut in half at
    an edge, no row pushed wider by one counted as a single cell."""
    for number, row in enumerate(screen_text(app).splitlines()):
        assert cell_len(row) == width, f"row {number} is {cell_len(row)} cells: {row!r}"


async def test_the_main_screen_is_chinese_and_fits() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = shown(app, "#status")
        assert "已暂停" in status and "迭代 0/10,000" in status
        footer = screen_text(app).splitlines()[-1]
        assert "运行" in footer and "帮助" in footer and "退出" in footer and "命令面板" in footer
        assert app.query_one("#weight-panel").border_title == "权重"
        rows_fit(app)


async def test_step_mode_explains_in_chinese_and_fits() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s")
        explanation = shown(app, "#explain")
        assert "反向传播 · 第 1 次迭代" in shown(app, "#explain-header")
        assert "grad_weight" in explanation, "the formulas stay as written"
        assert "梯度检验" in explanation
        rows_fit(app)
        await pilot.press("s")
        assert "都增大：梯度为负" in shown(app, "#explain")
        rows_fit(app)


async def test_the_lesson_status_and_footer_are_chinese() -> None:
    app = make_app(Settings(lesson=1, paused=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"课程 1/{len(STAGES)}" in screen_text(app)
        assert "已暂停" in shown(app, "#status")
        footer = screen_text(app).splitlines()[-1]
        assert "运行" in footer and "章" in footer
        rows_fit(app)


@pytest.mark.parametrize("keys", [["question_mark"], ["l"], ["numbersign"], ["g"], ["v"]])
async def test_help_dialogs_and_landscape_fit(keys: list[str]) -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        rows_fit(app)


@pytest.mark.slow
async def test_help_breaks_chinese_lines_between_words_never_inside_nesterov() -> None:
    """A first-time user's find: at 80×24 the Chinese help read "Nester" at a line's end
    and "ov" at the next one's start (Rich folds a run without spaces wherever the width
    runs out). Read as a user does, scrolling: every Nesterov whole, no line opening
    with a closing mark."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        seen: list[str] = []
        for _line in range(80):
            await pilot.pause()
            seen += [row[6:-6].strip() for row in screen_text(app).splitlines()[2:-3]]
            await pilot.press("down")
        rows_fit(app)
    names = [row for row in seen if "Nester" in row]
    assert names and all("Nesterov" in row for row in names), names
    assert not any(row.startswith(("ov", "，", "。", "、", "）")) for row in seen)


async def test_no_chinese_reaches_plotext() -> None:
    """plotext counts characters, not cells: the landscape's axes keep the tutorial's
    variable names (checked: with 权重/偏差 there, this fails), and its rows end at its
    border."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert any(row.startswith("│weight") or "bias" in row for row in rows)
        chart = app.query_one("#landscape")
        right = chart.region.right - 1
        for row in rows[chart.region.y + 1 : chart.region.bottom - 1]:
            cells = "".join(c + ("" if cell_len(c) == 1 else " ") for c in row)
            assert cells[right] == "│", row


async def test_a_diverged_run_fits() -> None:
    app = paused_app(learning_rate=5e-3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n", "n")
        assert "已发散" in shown(app, "#status")
        rows_fit(app)


async def test_the_keys_a_chinese_input_method_sends() -> None:
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("fullwidth_question_mark")  # ？
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("fullwidth_question_mark")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("right_black_lenticular_bracket")  # 】
        assert "样本 43 °C" in shown(app, "#explain-header")
        await pilot.press("left_black_lenticular_bracket", "left_black_lenticular_bracket")  # 【
        assert "样本 41 °C" in shown(app, "#explain-header")
        await pilot.press("right_double_angle_bracket")  # 》
        assert app.controller.driver.pace.factor == 2
        await pilot.press("left_double_angle_bracket", "left_double_angle_bracket")  # 《
        assert app.controller.driver.pace.factor == 0.5
        footer = screen_text(app).splitlines()[-1]
        assert "】" not in footer and "？" not in footer, "the aliases stay out of the Footer"


async def test_the_lesson_turns_with_the_chinese_comma_and_full_stop() -> None:
    app = make_app(Settings(lesson=3, paused=True))
    async with app.run_test(size=SIZE) as pilot:

        async def chapter() -> str:
            await pilot.pause()
            return next(line for line in screen_text(app).splitlines() if "课程 " in line)

        assert f"课程 3/{len(STAGES)}" in await chapter()
        await pilot.press("ideographic_full_stop")  # 。
        assert f"课程 4/{len(STAGES)}" in await chapter()
        await pilot.press("fullwidth_comma", "fullwidth_comma")  # ，
        assert f"课程 2/{len(STAGES)}" in await chapter()
