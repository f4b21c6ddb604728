"""Issue 14 item 10: what the screen replaces is let go, so memory stays bounded however many
keys are pressed (counted in objects, not timed)."""

from __future__ import annotations

import gc

import pytest
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast, ToastHolder

from tests.conftest import paused_app, screen_text
from tests.waiting import until

SIZE = (80, 24)


async def test_the_footer_lets_go_of_the_keys_it_replaced() -> None:
    """Each e changes the keys on offer, and the Footer makes new ones; the old ones must
    not stay alive (Textual kept every generation: 0.8 MB a press)."""
    app = paused_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):
            await pilot.press("e")
        await until(pilot, lambda: "e Explain" not in screen_text(app), "the Footer redrawn")
        await pilot.pause()
        gc.collect()
        # (The Footer keeps the keys of the sets it has shown, hiding those not on offer.)
        on_screen = sum(key.display for key in app.screen.query(FooterKey))
        alive = sum(isinstance(thing, FooterKey) for thing in gc.get_objects())
        assert on_screen > 5
        assert alive <= 2 * on_screen, f"{alive} keys alive for {on_screen} on screen"


@pytest.mark.slow
async def test_notices_leave_nothing_behind() -> None:
    """Every + past the largest rate says so in a notice, each replacing the last; the ones
    replaced must go (Textual left each one's holder, with its toast, in the rack)."""
    app = paused_app(learning_rate=600.0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for _ in range(30):
            await pilot.press("plus")
        assert len(app._notifications) == 1

        def counts() -> tuple[int, int]:
            gc.collect()
            toasts = sum(isinstance(thing, Toast) for thing in gc.get_objects())
            return len(app.screen.query(ToastHolder)), toasts

        # Removing a widget takes a few turns of the loop; and a few toasts stay referenced
        # from their cancelled timers until asyncio sweeps them.
        await until(pilot, lambda: counts()[0] <= 2 and counts()[1] <= 10, "old notices gone")
