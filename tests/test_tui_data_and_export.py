"""The screen with your own data, and the ``x`` key that saves the run so far."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from core import Dataset, Trainer
from core.history import COLUMNS
from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui.format import number
from tui.model.driver import RunState
from tui.widgets.fit_chart import FitChart

SIZE = (80, 24)


async def test_the_panels_show_the_least_squares_optimum_of_the_data_file(tmp_path: Path) -> None:
    path = tmp_path / "kitchen.csv"
    path.write_text("celsius,fahrenheit\n0,31.2\n20,68.9\n37,98.1\n100,212.6\n")
    app = paused_app(data=path)
    async with app.run_test(size=SIZE):
        surface = Trainer(Dataset([0, 20, 37, 100], [31.2, 68.9, 98.1, 212.6])).surface
        # At 80×24 the target shares the first line: "now 0.8444219 → 1.8".
        assert f"→ {number(surface.optimum_weight, 7)}\n" in shown(app, "#weight-panel")
        assert f"→ {number(surface.optimum_bias, 7)}\n" in shown(app, "#bias-panel")
        assert "→ 1.8\n" not in shown(app, "#weight-panel")
        assert not app.controller.driver.trainer.dataset.is_exact_line


async def test_noisy_synthetic_data_has_its_own_optimum_on_screen() -> None:
    app = paused_app(noise=5.0, seed=3)
    async with app.run_test(size=SIZE):
        surface = Trainer(Dataset.synthetic(noise=5.0, seed=3)).surface
        assert surface.optimum_bias != 32
        assert f"→ {number(surface.optimum_bias, 7)}\n" in shown(app, "#bias-panel")


async def test_x_saves_the_run_so_far_as_a_timestamped_csv_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n", "x")
        (written,) = tmp_path.glob("c2f-run-*.csv")
        with written.open(newline="") as file:
            rows = list(csv.reader(file))
        assert rows[0] == [*COLUMNS, "learning_rate", "optimizer"]
        assert [row[0] for row in rows[1:]] == ["0", "1", "2", "3"]
        assert float(rows[-1][1]) == app.controller.driver.trainer.weight
        (note,) = list(app._notifications)
        assert note.severity == "information"
        assert written.name in note.message
        assert "4 rows" in note.message
        await pilot.press("x")
        assert len(list(tmp_path.glob("c2f-run-*.csv"))) == 2, "a second export keeps the first"
        assert app.controller.driver.state is RunState.PAUSED


async def test_the_export_notice_fits_a_long_path_and_counts_one_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first-time user's find: at 80×24 the notice said "1 rows" and a long path ran off
    the notice's last line. The path keeps its start and its file's name, with the middle
    left out, and the whole notice is on screen."""
    deep = tmp_path.joinpath(*(f"folder-number-{n:02d}" for n in range(12)))
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    app = paused_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("x")
        (written,) = deep.glob("c2f-run-*.csv")
        (note,) = list(app._notifications)
        assert note.message.startswith("1 row, iterations 0 to 0, saved as:\n/")
        path = note.message.removeprefix("1 row, iterations 0 to 0, saved as:\n")
        start, end = path.split("/…/")
        full = str(written.resolve())
        assert full.startswith(start + "/") and full.endswith("/" + end)
        assert end.endswith(written.name) and len(path) <= 72
        await until(pilot, lambda: bool(app.screen.query(Toast)), "the notice on screen")
        await pilot.pause()
        rows = [row.split("▌", 1)[1].strip() for row in screen_text(app).split("\n") if "▌" in row]
        notice = "".join(row[:36].strip() for row in rows)  # the path wraps, without spaces
        assert "savedas:" + path in notice.replace(" ", ""), "the whole path is on screen"


async def test_x_writes_to_the_export_option_when_given(tmp_path: Path) -> None:
    target = tmp_path / "lesson.json"
    app = paused_app(export=target)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "x")
        document = json.loads(target.read_text())
        assert document["rows"][-1][0] == 1
        assert document["run"]["seed"] == 0
        (note,) = list(app._notifications)
        assert target.name in note.message


async def test_x_on_a_path_that_cannot_be_written_is_an_error_notification_not_a_crash(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = paused_app(export=blocker / "run.csv")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        (note,) = list(app._notifications)
        assert note.severity == "error"
        assert "part of its folder path is not a folder" in note.message
        await pilot.press("n")
        assert app.controller.driver.trainer.iteration == 1, "the app carries on"
    assert blocker.read_text() == "not a folder"


@pytest.mark.slow
async def test_x_is_in_help_and_in_the_command_palette() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Export (x)" in titles
        await pilot.press("question_mark")
        seen = False
        for _line in range(40):  # read the help as a user would: scrolling down
            await pilot.pause()
            seen = seen or "Save the run so far as CSV" in screen_text(app)
            await pilot.press("down")
        assert seen, "help lists x"


async def test_many_samples_are_scattered_once_per_visible_dot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = paused_app(samples=100_000, noise=3.0)
    async with app.run_test(size=SIZE):
        chart = app.query_one("#fit-chart", FitChart)
        drawn: list[int] = []
        real_scatter = chart.plt.scatter

        def counting_scatter(x: list[float], y: list[float], **options: object) -> None:
            drawn.append(len(x))
            real_scatter(x, y, **options)

        monkeypatch.setattr(chart.plt, "scatter", counting_scatter)
        chart.fill()  # the whole figure (a replot keeps the samples plotext already holds)
        dots = chart.size.width * 2 * chart.size.height * 4
        (points,) = drawn
        assert 100 < points < min(dots, 100_000)
        c, f = chart._samples_to_draw()
        dataset = app.controller.driver.trainer.dataset
        pairs = set(zip(dataset.celsius.tolist(), dataset.fahrenheit.tolist(), strict=True))
        assert set(zip(c.tolist(), f.tolist(), strict=True)) <= pairs, (
            "real samples, not invented ones"
        )
        assert c.min() == dataset.celsius.min() and c.max() == dataset.celsius.max()
