"""Waiting for an app to settle without waiting for ever: a broken app fails, never hangs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

PAUSES = 600
"""At most this many pauses of ``STEP`` seconds (half a minute): far more than any wait
here needs on a loaded machine; reaching it means the app never got there."""
STEP = 0.05


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until ``condition`` holds; fail naming ``what`` if it never does."""
    for _pause in range(PAUSES):
        if condition():
            return
        await pilot.pause(STEP)
    raise AssertionError(f"never happened: {what}")


async def settle(pilot: Pilot[Any]) -> None:
    """Let every layout and repaint a screen change asks for happen (five turns of the
    app's loop: a screen pushed or popped asks for them over up to three)."""
    for _pause in range(5):
        await pilot.pause()


async def escape_to(pilot: Pilot[Any], screen: object, what: str) -> None:
    """escape, then wait until ``screen`` is on top again (``what`` names what closed), and
    settle."""
    await pilot.press("escape")
    await until(pilot, lambda: pilot.app.screen is screen, f"{what} closed")
    await settle(pilot)
