"""``c2f-tui serve web`` end to end: a real server process; tabs as textual-serve's page
drives them (websocket messages) and, once, a real headless Chromium."""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
from pathlib import Path

import aiohttp
import pytest

from tests.browser import PACKAGE, Browser, ci, find_chromium
from tests.serve_harness import ServerProcess, WebLearner, gone
from tui.serve.options import parse_options
from tui.serve.web import HostNames

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(sys.platform == "win32", reason="serving needs a POSIX system"),
]

TIMEOUT = 30.0


@pytest.fixture(scope="module")
def server() -> ServerProcess:
    with ServerProcess(
        "web", "--port", "0", "--step", "--allowed-host", "teacher-laptop"
    ) as running:
        yield running  # type: ignore[misc]


async def new_tab(server: ServerProcess, **options: object) -> tuple[WebLearner, int]:
    """A tab connected and shown the trainer; and the pid of its session process."""
    before = set(server.session_pids())
    learner = await WebLearner.connect(server.url, **options)  # type: ignore[arg-type]
    assert await learner.wait_for("PAUSED", TIMEOUT), learner.screen()
    await learner.send(["focus"])  # as the page does when clicked (the Footer shows once focused)
    (pid,) = set(server.session_pids()) - before
    return learner, pid


async def test_the_page_names_the_host_the_browser_used_and_no_banner_comes_first(
    server: ServerProcess,
) -> None:
    host = f"teacher-laptop:{server.port}"
    async with aiohttp.ClientSession() as http, http.get(server.url, headers={"Host": host}) as r:
        assert r.status == 200
        page = await r.text()
    assert f'data-session-websocket-url="ws://{host}/ws"' in page
    assert f"http://{host}/static/js/textual.js" in page
    assert server.lines[0] == server.url.join(["listening on ", ""])
    assert not any("Serving" in line or "Ctrl+C" in line for line in server.lines + server.errors)


async def test_a_tab_gets_the_servers_trainer_and_leaves_no_process_behind(
    server: ServerProcess,
) -> None:
    learner, pid = await new_tab(server)
    # Nonsense from a client is ignored, not obeyed and not fatal.
    deep = "[" * 5000 + "]" * 5000  # deeper than Python's json recurses: RecursionError
    for junk in ("not json", "{}", "[]", "[42]", '["stdin", 7]', '["resize", "big"]', deep):
        await learner.socket.send_str(junk)
    await learner.socket.send_bytes(b"\x00\xff")
    for width, height in ((-5, 0), (10**12, 10**12), ("x", None)):
        await learner.send(["resize", {"width": width, "height": height}])
    await learner.resize(100, 30)
    assert await learner.wait_for(lambda s: "palette" in s.splitlines()[29], TIMEOUT)
    await learner.press("s")
    assert await learner.wait_for("after forward", TIMEOUT), learner.screen()
    await learner.close()
    assert gone(pid), "the session process outlived its tab"
    assert server.wait_line(lambda line: "closed #" in line and "disconnected" in line)
    assert not [line for line in server.errors if "Traceback" in line or "Error" in line]


async def test_quitting_the_trainer_closes_the_tab(server: ServerProcess) -> None:
    learner, pid = await new_tab(server)
    await learner.press("q")
    await asyncio.wait_for(learner.closed.wait(), TIMEOUT)
    assert gone(pid)
    assert server.wait_line(lambda line: "closed #" in line and ": quit" in line)
    await learner.close()


async def test_a_page_from_another_site_cannot_open_a_session(server: ServerProcess) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await WebLearner.connect(server.url, origin="http://elsewhere.example")
    assert refused.value.status == 403


async def test_another_name_for_this_server_opens_no_page_and_no_session(
    server: ServerProcess,
) -> None:
    """DNS rebinding: evil.example made to resolve to 127.0.0.1 serves its own page, whose
    websocket then carries Host and Origin evil.example, which agree: the Origin check
    alone let it open trainers. Only the names the server was started for are answered."""
    evil = f"evil.example:{server.port}"
    async with aiohttp.ClientSession() as http:
        for path in ("/", "/static/js/textual.js"):
            async with http.get(server.url + path[1:], headers={"Host": evil}) as page:
                assert page.status == 403
                assert "--allowed-host" in await page.text()
        for good in (f"localhost:{server.port}", f"127.0.0.2:{server.port}", "Teacher-Laptop"):
            async with http.get(server.url, headers={"Host": good}) as page:
                assert page.status == 200, good
        before = set(server.session_pids())
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(
                f"{server.url}ws", headers={"Host": evil, "Origin": f"http://{evil}"}
            )
        assert refused.value.status == 403
    assert set(server.session_pids()) == before
    assert any("refused a request for host 'evil.example:" in line for line in server.errors)


@pytest.mark.parametrize(
    ("arguments", "accepted", "refused"),
    [
        (["--host", "127.0.0.1"], ["localhost:80", "LOCALHOST.", "127.0.0.2", "[::1]:1"], []),
        (["--host", "::1"], ["[::1]:8000", "localhost"], ["192.0.2.7", "teacher-laptop"]),
        (
            ["--host", "0.0.0.0", "--no-auth", "--allowed-host", "class.example.org"],
            [
                "192.0.2.7:8000",
                "[2001:db8::1]",
                "class.example.org:8000",
                "THIS-MACHINE",
                "localhost",
            ],
            ["localhost.evil.example", "example.org"],
        ),
        (["--host", "teacher.lan", "--no-auth"], ["teacher.lan:8000", "10.0.0.5"], ["lan"]),
    ],
)
def test_the_names_a_server_answers_to(
    arguments: list[str],
    accepted: list[str],
    refused: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("socket.gethostname", lambda: "this-machine")
    monkeypatch.setattr("tui.serve.options.is_loopback", lambda host: host.startswith(("127", ":")))
    names = HostNames(parse_options(["web", *arguments]))
    for host in accepted:
        assert names.allows(host), host
    for host in [*refused, "evil.example", "evil.example:8000", "", "127.0.0.1.nip.io"]:
        assert not names.allows(host), host


async def test_one_over_the_limit_is_told_the_class_is_full() -> None:
    with ServerProcess("web", "--port", "0", "--paused", "--max-sessions", "1") as server:
        first, pid = await new_tab(server)
        async with aiohttp.ClientSession() as http, http.get(server.url) as page:
            assert page.status == 503
            assert "class is full (1/1), try again later" in await page.text()
        second = await WebLearner.connect(server.url)
        assert await second.wait_for("class is full (1/1)", TIMEOUT)
        await asyncio.wait_for(second.closed.wait(), TIMEOUT)
        await first.press(" ")
        assert await first.wait_for("RUNNING", TIMEOUT)
        await second.close()
        await first.close()
        assert gone(pid)


async def test_an_idle_tab_is_closed() -> None:
    with ServerProcess("web", "--port", "0", "--paused", "--idle-timeout", "2") as server:
        learner, pid = await new_tab(server)
        await asyncio.wait_for(learner.closed.wait(), TIMEOUT)
        assert gone(pid)
        assert server.wait_line(lambda line: "closed #" in line and ": idle" in line)
        await learner.close()


async def test_stopping_the_server_ends_every_tab_and_exits_0() -> None:
    server = ServerProcess("web", "--port", "0", "--paused")
    learner, pid = await new_tab(server)
    status = await asyncio.get_running_loop().run_in_executor(None, server.stop, signal.SIGTERM)
    assert status == 0
    assert gone(pid)
    await asyncio.wait_for(learner.closed.wait(), TIMEOUT)
    assert any("server stopping" in line for line in server.lines)
    await learner.close()


@pytest.mark.browser
async def test_a_real_browser_clicks_through_the_start_page_and_trains(
    server: ServerProcess,
) -> None:
    chromium = find_chromium()
    if chromium is None:
        if ci():
            pytest.fail(f"CI must run the browser test: apt-get install {PACKAGE}")
        pytest.skip(f"no browser: install Debian's {PACKAGE} package to run this test")
    async with Browser(chromium) as browser:
        # textual-serve's start page (its "delay" variant) waits for a click on Start.
        await browser.open(f"{server.url}?delay=1")
        assert await browser.click_element("#start"), "no Start button"
        # The terminal is a canvas: read it from the frames the page receives.
        assert await browser.terminal.wait_for("PAUSED", TIMEOUT), browser.terminal.text()
        before = browser.terminal.text()
        assert "after forward" not in before
        assert await browser.click_element(".xterm-screen")
        await browser.type("s")
        assert await browser.terminal.wait_for("after forward", TIMEOUT)
        assert ["stdin", "s"] in browser.terminal.sent
        with tempfile.TemporaryDirectory() as folder:
            shot = Path(folder) / "page.png"
            await browser.screenshot(str(shot))
            assert shot.stat().st_size > 10_000  # a drawn terminal, not a blank page
