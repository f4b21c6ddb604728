"""A real headless Chromium, driven through the DevTools protocol, reading a served terminal.

textual-serve draws the terminal on a canvas, so the page's text cannot be read
from the DOM. What the page *receives* can: DevTools reports every websocket frame
(``Network.webSocketFrameReceived``), and the binary ones are the trainer's
terminal output, which ``pyte`` turns back into a screen. The frames the page
sends (``Network.webSocketFrameSent``) say which size it asked for.

Talks to Chromium with aiohttp's websocket client (aiohttp comes with
textual-serve), so no browser-automation package is needed. Chromium runs with
a fresh profile and without any network service of its own (the test machine
has no outside network).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pyte

PACKAGE = "chromium"
"""Debian's package (and command) for the browser the web test drives."""
FLAGS = (
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1000,700",
)
DEVTOOLS_LINE = re.compile(r"DevTools listening on (ws://\S+)")


def find_chromium() -> str | None:
    """The chromium command, if installed."""
    return shutil.which(PACKAGE) or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one page, and the terminal that page shows."""

    def __init__(self, executable: str) -> None:
        self._executable = executable
        self._profile = tempfile.TemporaryDirectory(prefix="c2f-chromium-")
        self._process: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._listener: asyncio.Task[None] | None = None
        self.terminal = PageTerminal()
        """The terminal the page shows, rebuilt from the frames it receives."""

    async def __aenter__(self) -> Browser:
        self._process = await asyncio.create_subprocess_exec(
            self._executable,
            *FLAGS,
            f"--user-data-dir={self._profile.name}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        endpoint = await self._devtools_endpoint()
        self._http = aiohttp.ClientSession()
        base = urlsplit(endpoint)
        async with self._http.get(f"http://{base.netloc}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t.get("type") == "page")
        self._socket = await self._http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        self._listener = asyncio.create_task(self._listen())
        await self.send("Network.enable")
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        return self

    async def _devtools_endpoint(self) -> str:
        """The browser's DevTools address, from the line Chromium prints when it is ready."""
        assert self._process is not None and self._process.stderr is not None
        stderr = self._process.stderr

        async def read() -> str:
            while True:
                line = await stderr.readline()
                if not line:
                    raise RuntimeError("chromium exited before DevTools started")
                match = DEVTOOLS_LINE.search(line.decode(errors="replace"))
                if match:
                    return match.group(1)

        endpoint = await asyncio.wait_for(read(), 60)
        self._stderr_drain = asyncio.create_task(self._drain_stderr())
        return endpoint

    async def _drain_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        while await self._process.stderr.read(65536):
            pass

    async def __aexit__(self, *_: object) -> None:
        if self._listener is not None:
            self._listener.cancel()
        if self._socket is not None:
            await self._socket.close()
        if self._http is not None:
            await self._http.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except asyncio.TimeoutError:
                self._process.kill()
                await self._process.wait()
        with contextlib.suppress(OSError):
            self._profile.cleanup()

    # -- the protocol -------------------------------------------------------------------

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and wait for its result."""
        assert self._socket is not None
        number = next(self._ids)
        reply: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies[number] = reply
        await self._socket.send_str(json.dumps({"id": number, "method": method, "params": params}))
        message = await asyncio.wait_for(reply, 30)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        result: dict[str, Any] = message.get("result", {})
        return result

    async def _listen(self) -> None:
        assert self._socket is not None
        async for message in self._socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data:
                reply = self._replies.pop(data["id"], None)
                if reply is not None and not reply.done():
                    reply.set_result(data)
            else:
                self.terminal.on_event(data.get("method", ""), data.get("params", {}))

    # -- what a person does -------------------------------------------------------------

    async def open(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for_script(self, expression: str, timeout: float = 30.0) -> Any:
        """Wait until ``expression`` is truthy in the page; its value (None on timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(RuntimeError):
                value = await self.evaluate(expression)
                if value:
                    return value
            await asyncio.sleep(0.1)
        return None

    async def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def click_element(self, selector: str, timeout: float = 30.0) -> bool:
        """Click the middle of the first visible element matching ``selector``."""
        box = await self.wait_for_script(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
            "if (!e) return null; const r = e.getBoundingClientRect(); "
            "return r.width > 0 && r.height > 0 ? [r.x + r.width / 2, r.y + r.height / 2] "
            ": null; })()",
            timeout,
        )
        if not box:
            return False
        await self.click(box[0], box[1])
        return True

    async def type(self, text: str) -> None:
        """Type ``text`` into the focused element, a key at a time."""
        for character in text:
            await self.send("Input.dispatchKeyEvent", type="keyDown", key=character, text=character)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=character)

    async def screenshot(self, path: str) -> None:
        """Save what the page shows as a PNG (for a person to look at)."""
        data = await self.send("Page.captureScreenshot", format="png")
        with open(path, "wb") as file:
            file.write(base64.b64decode(data["data"]))


class PageTerminal:
    """The screen of the page's terminal, rebuilt from the websocket frames it exchanges."""

    def __init__(self) -> None:
        self.screen: pyte.Screen | None = None
        self._stream: pyte.ByteStream | None = None
        self.sent: list[Any] = []
        """Every message the page sent on its terminal websocket (decoded JSON)."""
        self.received = 0
        self.changed = asyncio.Event()

    def on_event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Network.webSocketCreated" and urlsplit(params["url"]).path.endswith("/ws"):
            query = parse_qs(urlsplit(params["url"]).query)
            columns = int(query.get("width", ["80"])[0])
            rows = int(query.get("height", ["24"])[0])
            self.screen = pyte.Screen(columns, rows)
            self._stream = pyte.ByteStream(self.screen)
        elif method == "Network.webSocketFrameSent":
            with contextlib.suppress(ValueError):
                message = json.loads(params["response"]["payloadData"])
                self.sent.append(message)
                if message[0] == "resize" and self.screen is not None:
                    self.screen.resize(message[1]["height"], message[1]["width"])
        elif method == "Network.webSocketFrameReceived" and self._stream is not None:
            frame = params["response"]
            if frame.get("opcode") == 2:  # binary: terminal output
                data = base64.b64decode(frame["payloadData"])
                self.received += len(data)
                self._stream.feed(data)
                self.changed.set()

    def text(self) -> str:
        return "" if self.screen is None else "\n".join(self.screen.display)

    async def wait_for(self, check: str | Callable[[str], bool], timeout: float = 30.0) -> bool:
        test = (lambda screen: check in screen) if isinstance(check, str) else check
        deadline = time.monotonic() + timeout
        while not test(self.text()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))
        return True


def ci() -> bool:
    """Whether this is a CI run (``CI=true``), where the browser test must never be skipped."""
    return os.environ.get("CI") == "true"
