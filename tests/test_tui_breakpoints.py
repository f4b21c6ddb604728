"""The size classes the trainer and its dialogs take before their first layout are the ones
Textual's own ``Resize`` gives a screen (``tui.screens.breakpoints``): were they not, the
first ``Resize`` would change them, and the screen would be styled and laid out again or,
worse, laid out for the wrong size (the narrow layout on a wide terminal)."""

from __future__ import annotations

import pytest
from textual.geometry import Size
from textual.screen import Screen

from tests.conftest import paused_app
from tests.waiting import until
from tui.screens.breakpoints import breakpoint_classes

SIZES = [(40, 10), (60, 16), (80, 24), (119, 33), (120, 34), (200, 50)]


@pytest.mark.parametrize(("width", "height"), SIZES)
async def test_the_classes_given_early_are_textuals(width: int, height: int) -> None:
    app = paused_app()
    async with app.run_test(size=(width, height)) as pilot:
        plain = Screen[None]()
        await app.push_screen(plain)
        await until(pilot, lambda: plain.size == Size(width, height), "the screen is sized")
        await pilot.pause()
        names = breakpoint_classes(plain, Size(width, height))
        given = {name for name, on in names.items() if on}
        assert given == plain.classes & set(names)  # what Textual's Resize gave it
        assert len(given) == 2  # one across, one down
        await app.pop_screen()
        trainer = app.screen
        assert given <= trainer.classes
        assert not (set(names) - given) & trainer.classes
