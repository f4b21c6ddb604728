"""Mashing keys: a seeded, bounded stream of every key the app answers to, and what must survive it.

Used by ``tests/test_tui_mash.py`` (a couple of thousand keys) and by
``tests/perf/mash_keys.py`` (tens of thousands, with resident memory before and
after). ``Masher`` draws keys from the whole key table, wherever the app is: the
main screen's keys (``tui.keys``), the help screen's and the rate dialog's, what
a learner types into the dialog (digits, ``e``, ``.``, ``-``, backspace), the
command palette (ctrl+p, arrows, enter, typed letters), Textual's ctrl+c, and
terminal resizes below and above the minimum size. The only keys it leaves out
is ctrl+q, and ``MashedApp`` counts quitting (``q``, the palette's Quit) instead
of doing it: a mash must go on. After each batch ``check`` closes what is open, brings the
terminal back to 80×24 and asserts that the app still answers a key, that what
it shows equals the trainer's numbers, and that its event loop never froze.

Keys are posted as a terminal driver posts them, then the harness waits until
the screen has handled them; ``Pilot.press`` would also wait for the CPU to go
idle after every key (at least 40 ms, up to a second while training runs), far
too slow for thousands of keys.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from types import FrameType

from textual import events
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

import tui.app
from tests.conftest import shown
from tui.app import TrainerApp
from tui.format import count, number
from tui.keys import KEYS
from tui.model.controller import Outcome
from tui.model.driver import RunState
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.rate_dialog import RateDialog
from tui.settings import Settings

CHARACTERS = {
    "space": " ",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "period": ".",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "tab": "\t",
    "up": None,
    "down": None,
    "left": None,
    "right": None,
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "ctrl+p": "\x10",
    "ctrl+c": "\x03",
}
"""What a terminal sends for each named key (letters and digits are themselves)."""


def _bound_keys(bindings: Sequence[object]) -> list[str]:
    keys: list[str] = []
    for binding in bindings:
        names = getattr(binding, "key", None) or binding[0]  # type: ignore[index]
        keys.extend(name.strip() for name in str(names).split(","))
    return keys


MAIN_KEYS = [name for key in KEYS for name in key.keys.split(",")]
"""Every key of the main screen (``tui.keys.KEYS``), each once."""
SCREEN_KEYS = _bound_keys(HelpScreen.BINDINGS) + _bound_keys(RateDialog.BINDINGS)
"""The help screen's and the rate dialog's own keys."""
TYPED = [*"0123456789", "e", "period", "minus", "backspace", "enter"]
"""What a learner types into the rate dialog (and, as it happens, into the palette)."""
PALETTE = ["ctrl+p", "up", "down", "tab", "enter", "escape", *"aeiorst"]
"""Opening the command palette, moving in it, choosing, searching."""
ELSEWHERE = ["ctrl+c"]
"""Textual's own: ctrl+c tells how to quit (a notification)."""
HANDS = ["h", "left", "right", "up", "down", "left_curly_bracket", "right_curly_bracket"]
"""Hands mode (``h``) and its keys (in ``KEY_TABLE`` through ``tui.keys`` too)."""
KEY_TABLE = tuple(sorted(set(MAIN_KEYS + SCREEN_KEYS + TYPED + PALETTE + ELSEWHERE + HANDS)))
"""Every key the mash draws from (each equally likely, so a screen's keys come up often)."""
HANDS_OTHERS = ("escape", "space", "s", "plus", "minus", "l", "v", "b", "n", "r", "z", "o")
"""Keys that leave hands mode (escape, space) or keep their meanings in it."""
HANDS_TABLE = (
    *HANDS,
    *HANDS,
    *HANDS_OTHERS,
    *("question_mark", "ctrl+p", "enter", *"0123456789", "e", "period"),
)
"""A search of hands mode: its keys twice as often as each other key, among keys that
leave it (escape, space) or keep their meanings in it (s, + - and l's dialog, v, b, n, r,
z, o), with help, the palette and typing. (In the whole ``KEY_TABLE`` c starts a race,
which refuses h until five more c's end it: hands mode is seldom reached there.)"""
RESIZE = "resize"
"""A pseudo-key: the terminal takes one of ``SIZES``."""
SIZES = ((80, 24), (100, 30), (120, 40), (79, 24), (80, 21), (60, 18), (40, 10), (80, 22))
"""Terminal sizes a mash resizes to: at, above and below the minimum (80×22)."""
RESIZE_SHARE = 0.02
"""The share of the stream that is resizes (one in fifty keys)."""
MAX_BURST = 40
"""Keys arrive in bursts of one to this many, faster than frames, as from a mashing hand."""
SETTLE_KEYS = 8
"""At most this many escapes close whatever a batch left open."""
DRAIN = 4
"""Message hops a batch's last key may still have to make (key, focused widget, screen,
app) before ``check`` looks."""
QUIT_SECONDS = 3.0
"""How long q or ctrl+c may take to quit (a priority key: nothing waits before it)."""
ANSWER_SECONDS = 10.0
"""How long a key may take to have its effect before the app counts as not answering (a
loaded machine can stall a test process for seconds; a frozen app never answers)."""


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send ``keys`` at once, as a terminal delivers keys typed faster than frames, and
    wait until the screen has handled them (but not for the CPU to go idle)."""
    for key in keys:
        pilot.app.post_message(events.Key(key, CHARACTERS.get(key, key)))
    await pilot.pause(0)


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], seconds: float = ANSWER_SECONDS
) -> bool:
    """Wait until ``condition()`` holds (True) or ``seconds`` have passed (False), letting
    the app handle its messages meanwhile: for what follows a key by more than one hop."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.01)
    return True


class MashedApp(TrainerApp):
    """The app as ``c2f-tui`` builds it, except that quitting (q, or the palette's Quit)
    and the palette's Screenshot (a file in ~/Downloads) are counted, not done: a mash
    goes on as if the user had started the app again."""

    CSS_PATH = Path(tui.app.__file__).with_name("app.tcss")

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.quits = 0
        self.screenshots = 0
        self.hand_moves = 0
        """Arrow keys that moved a parameter in hands mode: the mash did explore it."""

    def _run(self, command: Callable[[], Outcome | None]) -> None:
        hands = self.controller.hands
        super()._run(command)
        trainer = self.controller.driver.trainer
        moved = hands is not None and hands.path[-1] != (trainer.weight, trainer.bias)
        self.hand_moves += moved and self.controller.hands is not None

    async def action_quit(self) -> None:
        self.quits += 1

    def deliver_screenshot(self, *args: object, **kwargs: object) -> None:
        self.screenshots += 1


class LoopFrozen(Exception):
    """Raised inside the event loop by ``LoopWatchdog`` when the loop stopped running."""


@dataclass
class LoopWatchdog:
    """Notices an event loop that stops running callbacks (a busy loop that never awaits).

    A thread asks the loop, twice a second, to run a trivial callback; if none has
    run for ``frozen_after`` seconds, it records the main thread's stack (with the
    innermost frame's locals, as py-spy would show them) and raises ``LoopFrozen``
    in the main thread through a signal, so that the spinning task ends, the loop
    runs again and the test can fail with the evidence instead of hanging.
    """

    frozen_after: float = 10.0
    frozen: list[str] = field(default_factory=list)
    """One report per freeze seen: the stack and the innermost frame's locals."""

    def __post_init__(self) -> None:
        self._seen = time.monotonic()
        self._stop = threading.Event()

    def _mark(self) -> None:
        self._seen = time.monotonic()

    def _watch(self, loop: asyncio.AbstractEventLoop, main: int) -> None:
        while not self._stop.wait(0.5):
            try:
                loop.call_soon_threadsafe(self._mark)
            except RuntimeError:  # the loop is closed
                return
            if time.monotonic() - self._seen > self.frozen_after:
                frame = sys._current_frames().get(main)
                self.frozen.append(_describe(frame))
                self._seen = time.monotonic()
                signal.pthread_kill(main, signal.SIGUSR1)

    @contextmanager
    def watching(self) -> Iterator[LoopWatchdog]:
        """Watch the running loop of the main thread while the block runs."""

        def interrupt(signum: int, frame: FrameType | None) -> None:
            raise LoopFrozen(f"no callback ran for {self.frozen_after} s")

        previous = signal.signal(signal.SIGUSR1, interrupt)
        watcher = threading.Thread(
            target=self._watch,
            args=(asyncio.get_running_loop(), threading.main_thread().ident),
            name="loop-watchdog",
            daemon=True,
        )
        watcher.start()
        try:
            yield self
        finally:
            self._stop.set()
            watcher.join()
            signal.signal(signal.SIGUSR1, previous)


def _describe(frame: FrameType | None) -> str:
    if frame is None:
        return "(no stack)"
    stack = "".join(traceback.format_stack(frame, limit=8))
    names = {name: value for name, value in frame.f_locals.items() if not name.startswith("__")}
    shown_locals = {name: value for name, value in names.items() if isinstance(value, int | float)}
    return f"{stack}innermost locals: {shown_locals}"


@dataclass
class Masher:
    """Presses random keys on a running app, and checks it after each batch."""

    app: MashedApp
    pilot: Pilot[None]
    rng: Random
    watchdog: LoopWatchdog
    pressed: int = 0
    """Keys pressed so far (resizes included)."""
    kinds: Counter[str] = field(default_factory=Counter)
    """How often each key was pressed."""
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=40))
    """The last keys, for a failure's message."""
    table: tuple[str, ...] = KEY_TABLE
    """The keys drawn from, each equally likely."""

    def draw(self) -> str:
        """The next key: any key of the table, or (now and then) a resize."""
        if self.rng.random() < RESIZE_SHARE:
            return RESIZE
        return self.rng.choice(self.table)

    async def press(self, *keys: str) -> None:
        """Send ``keys`` at once, as a terminal sends a burst, and wait until they are handled.

        A resize is sent (and waited for) on its own, as a terminal sends SIGWINCH.
        """
        typed: list[str] = []
        for key in keys:
            self.pressed += 1
            self.kinds[key] += 1
            self.recent.append(key)
            if key != RESIZE:
                typed.append(key)
                continue
            await burst(self.pilot, *typed)
            typed = []
            width, height = self.rng.choice(SIZES)
            self.recent[-1] = f"{width}x{height}"
            await self.pilot.resize_terminal(width, height)
        await burst(self.pilot, *typed)

    async def mash(self, keys: int, *, batch: int = 100) -> None:
        """Press ``keys`` random keys, checking the app after every ``batch``."""
        while keys > 0:
            left = min(batch, keys)
            while left > 0:
                size = min(self.rng.randint(1, MAX_BURST), left)
                await self.press(*(self.draw() for _ in range(size)))
                self._assert_alive()
                left -= size
            keys -= batch
            await self.check()

    def _assert_alive(self) -> None:
        assert not self.watchdog.frozen, self._failure("the event loop froze:\n" + self.frozen)
        assert self.app.is_running, self._failure("the app stopped")

    @property
    def frozen(self) -> str:
        return "\n".join(self.watchdog.frozen)

    def _failure(self, what: str) -> str:
        stack = " > ".join(type(screen).__name__ for screen in self.app.screen_stack)
        driver = self.app.controller.driver
        return (
            f"{what} after {self.pressed} keys; the last: {' '.join(self.recent)}; "
            f"screens {stack}, {self.app.size.width}×{self.app.size.height}, "
            f"{driver.state.value}, held {driver.held}"
        )

    async def settle(self) -> None:
        """Let the batch's last keys act, close whatever they opened (help, dialog,
        palette) and give the app room again."""
        for _ in range(DRAIN):
            await self.pilot.pause(0)
        await self.keys_handled()
        if self.app.size != (80, 24):
            await self.pilot.resize_terminal(80, 24)
        for _ in range(SETTLE_KEYS):
            screen = self.app.screen
            if isinstance(screen, MainScreen):
                return
            self.recent.append("escape")
            await burst(self.pilot, "escape")
            await until(self.pilot, lambda screen=screen: self.app.screen is not screen)
        raise AssertionError(self._failure(f"{self.app.screen!r} stays open after escapes"))

    async def keys_handled(self) -> None:
        """Wait until no key waits for its turn (``tui.key_order``: keys go one at a time)."""
        gate = getattr(self.app, "keys_in_order", None)
        if gate is not None:
            handled = await until(self.pilot, lambda: gate.waiting == 0)
            assert handled, self._failure(f"keys still waiting after {ANSWER_SECONDS} s")
        await self.pilot.pause(0)

    async def search(self, keys: int) -> None:
        """Press ``keys`` random keys in bursts, as a terminal delivers them, checking after
        every burst that the app still answers (``check_burst``)."""
        while self.pressed < keys:
            size = min(self.rng.randint(1, MAX_BURST), keys - self.pressed)
            await self.press(*(self.draw() for _ in range(size)))
            self._assert_alive()
            await self.check_burst()

    async def check_burst(self) -> None:
        """Right after a burst, whatever it left on top (help, a dialog, the palette, keys
        still on their way): q (or ctrl+c) quits. Then ``check``: ? and escape are
        answered, and the status, the Footer and the hold agree with the trainer."""
        quit_key = "q" if self.pressed % 2 else "ctrl+c"
        quits = self.app.quits
        await burst(self.pilot, quit_key)
        top = type(self.app.screen).__name__
        quit_asked = await until(self.pilot, lambda: self.app.quits > quits, QUIT_SECONDS)
        assert quit_asked, self._failure(f"{quit_key} did not quit (over {top})")
        await self.check()

    async def check(self) -> None:
        """The app still answers, shows the trainer's own numbers, and never froze.

        It answers: ? opens help and escape closes it, each within ``ANSWER_SECONDS`` (a
        key travels through a few message queues before it acts). A screen the batch's
        last keys were still opening can take the ? for itself: then settle and ask again.
        """
        self._assert_alive()
        for attempt in range(2):
            await self.settle()
            await burst(self.pilot, "question_mark")
            if await until(self.pilot, lambda: isinstance(self.app.screen, HelpScreen)):
                break
            assert attempt == 0, self._failure(f"? was not answered in {ANSWER_SECONDS} s")
        await burst(self.pilot, "escape")
        closed = await until(self.pilot, lambda: isinstance(self.app.screen, MainScreen))
        assert closed, self._failure(f"escape did not close help in {ANSWER_SECONDS} s")
        await until(self.pilot, lambda: not self.app.controller.driver.held)
        self._assert_consistent()
        await self._assert_footer_agrees()

    def _assert_consistent(self) -> None:
        app, trainer = self.app, self.app.controller.driver.trainer
        view = app.main_screen.view
        assert view is not None
        numbers = view.trainer
        assert numbers.completed == trainer.iteration, self._failure("the view's iteration")
        assert (numbers.weight.value, numbers.bias.value) == (trainer.weight, trainer.bias) or (
            trainer.diverged
        ), self._failure("the view's parameters")
        assert view.state is app.controller.driver.state, self._failure("the view's state")
        status = shown(app, "#status")
        # Done, the status counts the iterations done instead of "iter N/target".
        said = (
            f"{count(numbers.completed)} iterations done"
            if view.state is RunState.DONE and view.goal is None
            else f"iter {count(numbers.iteration)}"
        )
        assert said in status, self._failure(f"status {status!r}")
        if not trainer.diverged:
            weight = shown(app, "#weight-panel")
            assert number(trainer.weight, 7) in weight, self._failure(f"weight panel {weight!r}")
        assert not app.controller.driver.held, self._failure(
            "training still held with nothing covering it"
        )

    async def _assert_footer_agrees(self) -> None:
        """The Footer's space key says what space does now: Pause exactly while the status
        says RUNNING (or FAST) (the Footer redraws its keys after a refresh: wait for that)."""
        agrees = await until(self.pilot, lambda: self._footer_and_status()[0])
        _, status, space = self._footer_and_status()
        assert agrees, self._failure(f"status {status!r} but the Footer offers space {space}")

    def _footer_and_status(self) -> tuple[bool, str, list[str]]:
        status = str(self.app.main_screen.query_one("#status").render()).strip()
        space = [
            key.action
            for key in self.app.main_screen.query(FooterKey)
            if key.action in ("pause", "resume", "continue_run") and key.display
        ]  # (the Footer hides the keys no longer on offer: tui.widgets.footer)
        # Fast-forwarding (▶▶ FAST) is running too: space pauses it.
        running = "RUNNING" in status or "▶▶" in status
        return running == (space == ["pause"]), status, space
