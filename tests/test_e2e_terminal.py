"""The real ``c2f-tui`` on a pseudo-terminal, read through the pyte terminal emulator."""

from __future__ import annotations

import re
import time

import pytest

from tests.pty_harness import PtyApp, command

pytestmark = pytest.mark.pty

BRAILLE = re.compile("[\u2800-\u28ff]")
SGR = re.compile(rb"\x1b\[([0-9;]*)m")
GREYS_256 = {0, 7, 8, 15, 16, 59, 102, 145, 188, 231, *range(232, 256)}


def hues(output: bytes) -> set[str]:
    """Every colour in the output's SGR codes that is not a shade of grey."""
    found = set()
    for match in SGR.finditer(output):
        codes = [int(c) for c in match.group(1).split(b";") if c]
        position = 0
        while position < len(codes):
            code = codes[position]
            if code in (38, 48) and codes[position + 1 : position + 2] == [5]:
                if codes[position + 2] not in GREYS_256:
                    found.add(f"{code};5;{codes[position + 2]}")
                position += 3
            elif code in (38, 48) and codes[position + 1 : position + 2] == [2]:
                red, green, blue = codes[position + 2 : position + 5]
                if not red == green == blue:
                    found.add(f"{code};2;{red};{green};{blue}")
                position += 5
            else:
                if code in (*range(31, 37), *range(41, 47), *range(91, 97), *range(101, 107)):
                    found.add(str(code))
                position += 1
    return found


def settled(app: PtyApp, text: str) -> str:
    """The screen once ``text`` is on it and the program has stopped drawing."""
    assert app.wait_for(text), app.screen()
    assert app.wait_until_quiet(0.3)
    return app.screen()


def test_step_mode_walks_the_three_phases_of_iteration_one() -> None:
    with PtyApp(command("--step"), columns=80, rows=24) as app:
        assert app.wait_for("Press s for the first, forward"), app.screen()
        seen = []
        for phase in ("forward", "backward", "update (gd)"):
            app.press("s")
            assert app.wait_for(f"{phase} · iteration 1"), app.screen()
            seen.append(phase)
        # The header row can arrive a read before the rows under it: wait for the last.
        assert app.wait_for("both up: gradients negative, so larger values lower the loss")
        assert "iter 1/10,000" in app.screen()
        assert seen == ["forward", "backward", "update (gd)"]
        app.press("q")
        assert app.wait() == 0


def test_a_paused_app_writes_nothing() -> None:
    with PtyApp(command("--step"), columns=80, rows=24) as app:
        assert app.wait_for("PAUSED")
        app.press("s")
        assert app.wait_for("forward · iteration 1")
        assert app.wait_until_quiet(0.5)
        start = time.monotonic()
        time.sleep(1.0)
        assert app.bytes_written(since=start) == 0
        app.press("q")
        assert app.wait() == 0


def test_quitting_restores_the_terminal() -> None:
    with PtyApp(command("--paused"), columns=80, rows=24) as app:
        assert app.wait_for("PAUSED")
        app.press("q")
        assert app.wait() == 0
        time.sleep(0.2)
        tail = b"".join(chunk.data for chunk in app.chunks)[-200:]
        assert b"\x1b[?1049l" in tail, "the alternate screen is left"
        assert b"\x1b[?25h" in tail, "the cursor is shown again"


@pytest.mark.parametrize("term", ["xterm-256color", "xterm", "linux", "screen", "tmux-256color"])
def test_it_draws_in_common_terminals(term: str) -> None:
    with PtyApp(command("--paused"), columns=80, rows=24, env={"TERM": term}) as app:
        screen = settled(app, "PAUSED")
        for text in ("iter 0/10,000", "truth", "untrained", "weight", "bias", "Quit"):
            assert text in screen, (term, text)
        app.press("q")
        assert app.wait() == 0


def test_no_color_draws_in_shades_of_grey_and_tells_lines_apart_by_shape() -> None:
    with PtyApp(command("--paused"), columns=80, rows=24) as coloured:
        settled(coloured, "PAUSED")
        assert hues(b"".join(chunk.data for chunk in coloured.chunks)), "the check can fail"
    with PtyApp(command("--paused"), columns=80, rows=24, env={"NO_COLOR": "1"}) as app:
        screen = settled(app, "PAUSED")
        assert hues(b"".join(chunk.data for chunk in app.chunks)) == set()
        assert "▄▄ now" in screen and "·· untrained" in screen and "⠒⠒ truth" in screen
        app.press("q")
        assert app.wait() == 0


def test_ascii_charts_use_no_braille() -> None:
    with PtyApp(command("--paused", "--ascii"), columns=80, rows=24) as app:
        screen = settled(app, "PAUSED")
        assert "truth" in screen and "* truth" in screen
        assert not BRAILLE.search(screen), BRAILLE.search(screen)
        app.press("q")
        assert app.wait() == 0


def test_a_small_terminal_asks_for_room_and_recovers_on_resize() -> None:
    with PtyApp(command("--paused"), columns=50, rows=15) as app:
        assert app.wait_for("needs a terminal of at least 80×22"), app.screen()
        app.resize(80, 24)
        screen = settled(app, "iter 0/10,000")
        assert "needs a terminal" not in screen
        assert "truth" in screen and "Quit" in screen
        app.press("q")
        assert app.wait() == 0
