"""A served session writes nothing on the server's disk: no ``x`` export, no screenshot
file (in a browser, Textual's screenshot is a download, so there it stays)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import paused_app

SIZE = (80, 24)


@pytest.mark.parametrize("served", [False, True])
async def test_x_and_the_screenshot_command_write_nothing_when_served(
    served: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = paused_app(served=served)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "x")
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
    written = list(tmp_path.iterdir())
    if served:
        assert written == []
        assert "Export (x)" not in titles and "Screenshot" not in titles
    else:  # the same steps, unserved, do write: the check above can fail
        assert [path.suffix for path in written] == [".csv"]
        assert "Export (x)" in titles and "Screenshot" in titles
