"""Keys faster than frames: notices, dialogs and the palette under a mashing hand (issue 14).

Each test sends its keys as one burst (``tests/mash_harness.burst``), as a
terminal delivers keys typed faster than the app handles them; the last test
mashes two thousand random keys from the whole key table.
"""

from __future__ import annotations

from random import Random

import pytest
import textual.notifications

from tests.conftest import paused_app, shown
from tests.mash_harness import HANDS_TABLE, LoopWatchdog, MashedApp, Masher, burst, until
from tui.app import TrainerApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.palette import Palette, PaletteList
from tui.screens.rate_dialog import RateDialog
from tui.screens.sample_dialog import SampleDialog
from tui.screens.seek_dialog import SeekDialog
from tui.settings import Settings

SIZE = (80, 24)


class SteppingClock:
    """Textual's notification clock, set by hand: each reading is ``step`` seconds after the
    last, as if the program ran that long between two readings."""

    def __init__(self, now: float, step: float) -> None:
        self.now = now
        self.step = step
        self.readings = 0

    def __call__(self) -> float:
        reading = self.now
        self.now += self.step
        self.readings += 1
        return reading


def first_command(app: TrainerApp) -> str:
    """The palette's highlighted line as text ("" before a search has listed any)."""
    if not isinstance(app.screen, Palette):
        return ""
    commands = app.screen.query_one(PaletteList)
    if commands.highlighted is None:
        return ""
    return str(commands.get_option_at_index(commands.highlighted).prompt)


def notices(app: TrainerApp) -> list[textual.notifications.Notification]:
    return list(app._notifications)


async def test_a_notice_due_just_as_a_screen_opens_does_not_freeze_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14, item 9: the app froze at 100 % CPU, Textual's Timer._run spinning with a
    negative interval. A screen that opens (help, a dialog, the palette) re-creates the
    toasts of live notices: Textual checks that a notice has time left, then reads the time
    left again for its toast's timer; a notice due in between armed a negative timer, which
    spins without yielding. Here Textual's clock is stepped so that a 2 s notice falls due
    between two of its readings while help opens: between the first two, then the next two,
    and so on for as many readings as opening help takes."""
    app = paused_app()
    step, due = 1e-3, 2.0
    watchdog = LoopWatchdog(frozen_after=5.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with watchdog.watching():
            readings, taken = 0, 1
            while readings < taken:
                app.clear_notifications()
                app.notify("Pace: about 35 iterations per second now.", timeout=due)
                await pilot.pause(0)
                (notice,) = notices(app)
                clock = SteppingClock(notice.raised_at + due - (readings + 0.5) * step, step)
                monkeypatch.setattr(textual.notifications, "time", clock)
                await burst(pilot, "question_mark")
                await until(
                    pilot,
                    lambda: isinstance(app.screen, HelpScreen) and bool(app.screen.query("Toast")),
                    seconds=2.0,
                )
                monkeypatch.undo()
                assert not watchdog.frozen, "\n".join(watchdog.frozen)
                assert isinstance(app.screen, HelpScreen)
                await burst(pilot, "escape")
                assert await until(pilot, lambda: isinstance(app.screen, MainScreen))
                readings, taken = readings + 1, clock.readings
            assert readings >= 2, "help read the clock at least twice"
        await pilot.press("n")
        assert app.controller.driver.trainer.iteration == 1, "the app still answers"


async def test_a_notice_goes_after_its_time_and_a_new_one_replaces_it() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("greater_than_sign", "greater_than_sign")
        (notice,) = notices(app)
        assert notice.message.startswith("auto ×4"), "the second replaced the first"
        app.notify("A short one.", timeout=0.2)
        await pilot.pause(0)
        assert [notice.message for notice in notices(app)] == ["A short one."]
        for _ in range(100):
            await pilot.pause(0.05)
            if not notices(app):
                break
        assert not notices(app), "gone after its 0.2 s (within 5 s)"
        app.notify("Not shown.", timeout=0)
        await pilot.pause(0)
        assert not notices(app), "as in Textual, no time means no notice"


async def test_two_enters_in_the_palette_run_one_command_and_keep_the_trainer_screen() -> None:
    """ctrl+p, then enter twice in one burst: the second selection used to close the
    screen under the palette (ScreenStackError: the app died)."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, Palette)
        await pilot.press(*"iter")
        assert await until(pilot, lambda: first_command(app).startswith("Iter")), (
            "the search lists Iter (n) first"
        )
        await burst(pilot, "enter", "enter")
        assert await until(pilot, lambda: app.controller.driver.trainer.iteration > 0)
        await pilot.pause(0.1)  # time for a second command to run, were there one
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert app.controller.driver.trainer.iteration == 1, "one command: one iteration"
        await pilot.press("n")
        assert app.controller.driver.trainer.iteration == 2


async def test_two_enters_in_the_theme_picker_keep_the_trainer_screen() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        app.search_themes()
        assert await until(pilot, lambda: isinstance(app.screen, Palette))
        theme = app.theme
        await burst(pilot, "down", "enter", "enter")
        assert await until(pilot, lambda: app.theme != theme)
        await pilot.pause(0.1)
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_two_enters_in_the_rate_dialog_apply_the_rate_once() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *"3e-4")
        assert isinstance(app.screen, RateDialog)
        await burst(pilot, "enter", "enter")
        assert await until(pilot, lambda: app.controller.driver.trainer.learning_rate == 3e-4)
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("n")
        assert "lr 3e-4" in shown(app, "#status")


async def test_two_enters_in_the_sample_dialog_keep_the_trainer_screen() -> None:
    """As the rate dialog's: the second enter of a burst used to dismiss the screen under
    the closed dialog (ScreenStackError; found by the mashing test below)."""
    app = paused_app(step_mode=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("number_sign")
        assert isinstance(app.screen, SampleDialog)
        await pilot.press("backspace", "backspace", *"40")
        await burst(pilot, "enter", "enter")
        assert await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause(0.1)
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert "sample 40 °C" in shown(app, "#explain-header")


async def test_two_enters_in_the_seek_dialog_keep_the_trainer_screen() -> None:
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, SeekDialog)
        await pilot.press(*"5")
        await burst(pilot, "enter", "enter")
        assert await until(pilot, lambda: app.controller.driver.trainer.iteration == 5)
        await pilot.pause(0.1)
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_a_search_still_running_as_the_palette_closes_does_not_kill_the_app() -> None:
    """ctrl+p, ], escape in one burst: the ] starts a search and the escape closes the
    palette before its results arrive; they used to kill the app (NoMatches). (Before the
    keys went one at a time, Textual ran ctrl+p ahead of an escape sent before it, with
    the same ending.)"""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "ctrl+p", "right_square_bracket", "escape")
        assert await until(pilot, lambda: app.keys_in_order.waiting == 0)
        await pilot.pause(0.5)  # a search takes a few milliseconds: time for one to end
        assert app.is_running
        assert isinstance(app.screen, MainScreen)
        await pilot.press("n")
        assert app.controller.driver.trainer.iteration == 1


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0])  # other seeds: tests/perf/mash_keys.py --seed N
async def test_a_thousand_mashed_keys_leave_the_app_answering_with_its_own_numbers(
    seed: int, tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys from the whole key table in bursts, resizes below and above the minimum size;
    after every hundred: it answers ? and escape, no screen is stuck open, the view and the
    status show the trainer's numbers, and no exception or numpy warning escaped (the
    suite turns warnings into errors, which would end the app). tests/perf/mash_keys.py
    presses 20,000 and reports memory."""
    monkeypatch.chdir(tmp_path)  # x writes its exports here
    app = MashedApp(Settings(seed=seed))
    watchdog = LoopWatchdog()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with watchdog.watching():
            masher = Masher(app, pilot, Random(seed), watchdog)
            await masher.mash(1_000, batch=100)
        assert masher.pressed == 1_000
        assert len(masher.kinds) > 40, "keys from every screen's table"


@pytest.mark.slow
async def test_mashing_hands_mode_leaves_the_app_answering_with_its_own_numbers(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hands mode's keys (h, the arrows, { }) among those that leave it or keep their
    meanings in it, with dialogs, help, the palette and resizes: after every hundred the
    app answers, and shows the trainer's own numbers (the hand-set ones)."""
    monkeypatch.chdir(tmp_path)
    app = MashedApp(Settings(seed=3))
    watchdog = LoopWatchdog()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with watchdog.watching():
            masher = Masher(app, pilot, Random(3), watchdog, table=HANDS_TABLE)
            await masher.mash(400, batch=100)
        assert masher.pressed == 400
    assert app.hand_moves > 0, "the mash moved the parameters by hand"


async def search_for_a_wedge(seed: int, keys: int) -> Masher:
    """Mash ``keys`` keys in bursts while training at --speed 1000 (so dialogs open over a
    running trainer), checking after every burst that q or ctrl+c quits whatever is on top,
    that ? and escape are answered, and that the status, the Footer and the hold agree."""
    app = MashedApp(Settings(seed=seed, speed=1000))
    watchdog = LoopWatchdog()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        with watchdog.watching():
            masher = Masher(app, pilot, Random(seed), watchdog)
            await masher.search(keys)
    return masher


async def test_after_every_burst_q_quits_and_help_opens_and_the_footer_agrees(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21 item 1, the quick search: on 0.2 the first burst that left a dialog or
    help open failed it (q was typed into the dialog, or closed help)."""
    monkeypatch.chdir(tmp_path)
    masher = await search_for_a_wedge(seed=21, keys=150)
    assert masher.pressed == 150


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1])  # the mashing searches in the suite stay within 60 s
async def test_a_longer_search_after_every_burst(
    seed: int, tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same search, longer and from other seeds (tests/perf/mash_keys.py --search
    goes on for as long as asked)."""
    monkeypatch.chdir(tmp_path)
    masher = await search_for_a_wedge(seed=seed, keys=400)
    assert len(masher.kinds) > 40, "keys from every screen's table"


async def test_a_burst_that_opens_and_answers_a_dialog_acts_in_order() -> None:
    """l, 3e-4, enter, n in one burst: the rate is typed into the dialog the l opened (over
    the rate it shows, selected) and the n steps once it has closed. On 0.2 the keys after
    l went to the screen under the dialog and were lost: the dialog stayed open with the
    rate it started with, and nothing stepped."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "l", "3", "e", "minus", "4", "enter", "n")
        assert await until(pilot, lambda: app.controller.driver.trainer.iteration > 0)
        await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen)
        assert app.controller.driver.trainer.learning_rate == 3e-4
        assert app.controller.driver.trainer.iteration == 1
