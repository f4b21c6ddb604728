"""The first frame needs only what it shows: the rest loads when first asked for."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
from textual import events
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.conftest import paused_app, screen_text, shown
from tests.waiting import until
from tui.screens.main import MainScreen
from tui.widgets.fit_chart import FitChart
from tui.widgets.loss_panel import LossPanel
from tui.widgets.panel import ViewPanel
from tui.widgets.parameter_panel import ParameterPanel

ON_FIRST_USE = (
    "tui.screens.help",
    "tui.screens.rate_dialog",
    "tui.widgets.landscape_chart",
    "tui.widgets.lesson_pane",
    "tui.widgets.explain_panel",
    "tui.widgets.code_pane",
    "tui.lesson.stages",
    "tui.lesson.state",
    "tui.lesson.progress",
    "tui.model.hands",
    "tui.model.race",
    "tui.widgets.race_row",
)
"""Modules behind keys (?, l, v, x, the lesson, e, p, h, c), not behind the first frame."""


def test_starting_the_app_leaves_help_dialogs_the_landscape_and_the_lesson_for_later() -> None:
    """Each of these costs import time (the lesson's chapters and hands mode, records made
    with dataclasses, ~3 ms: issue 20) that a session pays only when it opens them."""
    probe = (
        "import sys\n"
        "from tui.app import make_app\n"
        "from tui.cli.options import parse_settings\n"
        "make_app(parse_settings(['--paused']))\n"
        f"print(','.join(name for name in {ON_FIRST_USE!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


FIRST_FRAME_MODULES = (
    "import asyncio, sys\n"
    "from tui.app import make_app\n"
    "from tui.settings import Settings\n"
    "async def until(pilot, condition):\n"
    "    for _pause in range(1000):\n"
    "        if condition():\n"
    "            return\n"
    "        await pilot.pause(0.01)\n"
    "    raise AssertionError('never happened')\n"
    "async def main():\n"
    "    app = make_app(Settings(paused=True))\n"
    "    async with app.run_test(size=(80, 24)) as pilot:\n"
    "        await until(pilot, lambda: app.query_one('LossChart')._built is not None)\n"
    "        await pilot.press('space')\n"
    "        await until(pilot, lambda: app.controller.driver.trainer.iteration > 0)\n"
    "        await pilot.press('space')\n"
    "    loaded = [name for name in sys.modules if name.split('.')[:2] == ['numpy', 'ma']]\n"
    "    later = ('csv', 'json', 'secrets', 'hmac', 'numpy.typing')\n"
    "    loaded += [name for name in later if name in sys.modules]\n"
    "    print(','.join(sorted(loaded)))\n"
    "asyncio.run(main())\n"
)


def test_neither_start_up_nor_training_imports_masked_arrays_or_the_exports_modules() -> None:
    """numpy loads ``numpy.ma`` only when first asked for; checking the data for a masked
    array (``np.ma.MaskedArray``) and ``np.unique`` in the loss chart asked for it at every
    start (~7 ms of CPU before the first frame, issue 20). The export's csv, json and
    secrets (with hmac and OpenSSL's hashes, ~3 ms) load when a run is exported.
    ``numpy.typing`` (~0.5 ms), which numpy never imports itself, is for the type checker:
    ``core.types.FloatArray`` is spelled without it."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_MODULES],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == ""


LATER_ENGINE_MODULES = (
    "import asyncio, sys\n"
    "from tui.app import make_app\n"
    "from tui.settings import Settings\n"
    "LATER = ('core.gradcheck', 'core.landscape')\n"
    "async def until(pilot, condition):\n"
    "    for _pause in range(1000):\n"
    "        if condition():\n"
    "            return\n"
    "        await pilot.pause(0.01)\n"
    "    raise AssertionError('never happened')\n"
    "def loaded():\n"
    "    return ','.join(name for name in LATER if name in sys.modules) or '-'\n"
    "async def main():\n"
    "    app = make_app(Settings(paused=True))\n"
    "    async with app.run_test(size=(80, 24)) as pilot:\n"
    "        await until(pilot, lambda: app.query_one('LossChart')._built is not None)\n"
    "        await pilot.press('space')\n"
    "        await until(pilot, lambda: app.controller.driver.trainer.iteration > 0)\n"
    "        await pilot.press('space')\n"
    "        print(loaded())\n"
    "        await pilot.press('e', 's', 's')\n"  # the explanation; a forward and a backward pass
    "        body = app.screen.query_one('#explain-body')\n"
    "        await until(pilot, lambda: 'gradient check' in str(body.render()))\n"
    "        print(loaded())\n"
    "        await pilot.press('v')\n"
    "        await until(pilot, lambda: bool(app.query('LandscapeChart')))\n"
    "        print(loaded())\n"
    "asyncio.run(main())\n"
)


def test_the_gradient_check_and_the_landscape_load_when_first_used() -> None:
    """``core``'s gradient check (the explanation's, after a backward pass) and its loss
    landscape (``v``) loaded with the engine at every start-up, ~2 ms of import and two
    records (issue 20); now when first used, and then they work as before."""
    result = subprocess.run(
        [sys.executable, "-c", LATER_ENGINE_MODULES],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["-", "core.gradcheck", "core.gradcheck,core.landscape"]


async def test_the_first_layout_has_the_classes_of_the_terminals_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The screen is first laid out with the classes its size gives it (the layout in
    ``app.tcss`` reads them): Textual sets its breakpoint classes only at the first Resize,
    after the first layout and paint, and every widget was styled, laid out and painted a
    second time (issue 20)."""
    first: list[set[str]] = []
    lay_out = MainScreen._refresh_layout

    def recording(screen: MainScreen, *args: Any, **kwargs: Any) -> None:
        if not first and screen.size:
            first.append(set(screen.classes))
        lay_out(screen, *args, **kwargs)

    monkeypatch.setattr(MainScreen, "_refresh_layout", recording)
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(first), "a layout")
        assert {"-narrow", "-short"} <= first[0]
        assert "-beside" not in first[0]
        assert {"-narrow", "-short"} <= set(app.screen.classes)


async def test_the_first_frame_composes_no_closed_pane() -> None:
    """The lesson, the explanation and the code are composed when first opened, not at
    start-up (issue 20: each was widgets to mount, style and lay out, hidden); opened, each
    shows itself where it always did, and closed and opened again it is the same pane."""
    app = paused_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.query("#lesson, #explain, #code")
        await pilot.press("e")
        explain = app.query_one("#explain")
        assert explain.display and "forward" in str(explain.query_one("#explain-header").render())
        await pilot.press("p")  # below 160 columns the code takes the explanation's place
        code = app.query_one("#code")
        assert code.display and not explain.display
        assert [pane.id for pane in app.query_one("#pane-row").children] == ["explain", "code"]
        await pilot.press("p")
        assert explain.display and not code.display
        app.action_toggle_lesson()
        await until(pilot, lambda: bool(app.query("#lesson")), "the lesson composed")
        lesson = app.query_one("#lesson")
        await until(pilot, lambda: bool(lesson.display), "the lesson shown")
        assert app.query_one("#pane").children[0] is lesson
        await pilot.press("p")
        assert app.query_one("#code") is code and code.display


async def test_the_strips_are_composed_when_first_shown_each_in_its_place() -> None:
    """The forecast, the divergence banner and the race row are composed the first time
    the view shows them, not at start-up (issue 20: hidden, each was a widget to mount,
    style and lay out); a rate unstable from the start shows the forecast in the first
    frame. Each appears where it always did: the forecast under the status line, the
    banner over the fit chart, the race row under the charts."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query("#forecast, #banner, #race-row")
    app = paused_app(learning_rate=5e-3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "UNSTABLE" in shown(app, "#forecast") and not app.query("#banner, #race-row")
        assert [child.id for child in screen.children][:3] == ["status", "forecast", "main"]
        for _ in range(10):
            await pilot.press("n")
        await until(pilot, lambda: bool(app.query("#banner")), "the banner composed")
        banner = app.query_one("#banner")
        await until(pilot, lambda: bool(banner.display), "the banner shown")
        assert "stable limit" in shown(app, "#banner") and not app.query_one("#forecast").display
        assert [child.id for child in app.query_one("#chart-column").children] == [
            "banner",
            "fit-chart",
        ]
        await pilot.press("r", "c")
        await until(pilot, lambda: bool(app.query("#race-row")), "the race row composed")
        await until(pilot, lambda: "race" in shown(app, "#race-row"), "the race row shown")
        ids = [child.id for child in screen.children]
        assert ids.index("main") + 1 == ids.index("race-row") == ids.index("pane") - 1
        assert not app.query_one("#banner").display


async def test_the_too_small_notice_is_composed_when_the_screen_first_is() -> None:
    """The notice shown instead of the panels below 80×22 is composed the first time the
    screen is that small (issue 20: hidden, it was a widget more at start-up), or in the
    first composition of a screen that starts that small; enlarged, the panels are back."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query("#too-small")
        await pilot.resize_terminal(70, 24)
        await until(pilot, lambda: "at least 80×22" in screen_text(app), "the notice")
        assert "Quit" not in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: "Quit" in screen_text(app), "the panels back")
        assert "at least 80×22" not in screen_text(app)
    app = paused_app()
    async with app.run_test(size=(80, 20)) as pilot:
        await until(pilot, lambda: "at least 80×22" in screen_text(app), "the notice")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_panels_are_drawn_at_their_size_before_the_first_paint(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The first view reaches the panels before the first layout gives them a size; they
    draw again at the size it gives them before it is painted, so nothing of theirs is
    repainted after the first paint (before: each parameter panel's lines, the fit chart's
    titles and the loss panel's border, laid out and painted again: issue 20)."""
    painted: list[bool] = []
    late: list[str] = []
    paint, repaint = MainScreen._compositor_refresh, Widget.refresh

    def painting(screen: MainScreen) -> None:
        painted.append(True)
        paint(screen)

    def refreshing(widget: Widget, *args: Any, **kwargs: Any) -> Widget:
        panel = next(
            (node for node in widget.ancestors_with_self if isinstance(node, ViewPanel)), None
        )
        if painted and panel is not None:
            late.append(f"{type(widget).__name__} in {type(panel).__name__}")
        return repaint(widget, *args, **kwargs)

    monkeypatch.setattr(MainScreen, "_compositor_refresh", painting)
    monkeypatch.setattr(Widget, "refresh", refreshing)
    app = paused_app()
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: "Quit" in screen_text(app), "the Footer's keys")
        await pilot.pause()
    assert painted and late == []


async def test_the_charts_and_parameter_panels_are_drawn_once_before_the_first_paint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The layout gives the charts and the parameter panels their size whatever they show:
    each is drawn once, at that size, before the first paint (before: first with a guess
    for no size as the first view reached it, then at its size: issue 20)."""
    drawn: list[str] = []
    painted: list[bool] = []
    for panel in (FitChart, LossPanel, ParameterPanel):
        show = panel.show

        def spy(self: Any, view: Any, show: Any = show) -> None:
            if not painted:
                drawn.append(self.id)
            show(self, view)

        monkeypatch.setattr(panel, "show", spy)
    paint = MainScreen._compositor_refresh

    def painting(screen: MainScreen) -> None:
        painted.append(True)
        paint(screen)

    monkeypatch.setattr(MainScreen, "_compositor_refresh", painting)
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Quit" in screen_text(app), "the Footer's keys")
        assert sorted(drawn) == ["bias-panel", "fit-chart", "loss-panel", "weight-panel"]
        assert "°C" in screen_text(app) and "now     0.8444219" in screen_text(app)


async def test_a_resize_to_the_size_laid_out_lays_nothing_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At start-up the screen is laid out and painted when first shown, then the terminal's
    first Resize arrives with the same size: Textual laid the whole screen out and painted
    it again (issue 20). A new size is still laid out."""
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Quit" in screen_text(app), "the Footer's keys")
        await pilot.pause()  # the layout its widgets' first sizes ask for
        layouts: list[Size] = []
        lay_out = Screen._refresh_layout

        def counting(screen: Screen[Any], size: Size | None = None, scroll: bool = False) -> None:
            layouts.append(screen.size)
            lay_out(screen, size, scroll)

        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        app.screen.post_message(events.Resize(Size(80, 24), Size(80, 24)))
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: app.screen.size == Size(100, 30), "laid out at 100×30")
        assert layouts


async def test_the_first_layout_has_the_footers_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's Footer composes empty and makes its keys after the screen's first refresh:
    the screen was laid out and painted without them, then laid out twice more for the keys
    (issue 20). The trainer's Footer has them in its first composition; the refresh that
    follows finds them in place and composes nothing again."""
    keys_at_first_layout: list[list[str]] = []
    recomposed: list[bool] = []
    lay_out, recompose = MainScreen._refresh_layout, Footer.recompose

    def recording(screen: MainScreen, *args: Any, **kwargs: Any) -> None:
        if not keys_at_first_layout:
            keys_at_first_layout.append([key.key for key in screen.query(FooterKey)])
        lay_out(screen, *args, **kwargs)

    async def recomposing(footer: Footer) -> None:
        recomposed.append(True)
        await recompose(footer)

    monkeypatch.setattr(MainScreen, "_refresh_layout", recording)
    monkeypatch.setattr(Footer, "recompose", recomposing)
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Quit" in screen_text(app), "the Footer's keys")
        await pilot.pause()
        keys = [key.key for key in app.screen.query(FooterKey)]
        assert keys_at_first_layout == [keys] and "q" in keys
        assert recomposed == []
        await pilot.press("space")  # running: its keys change, and the Footer follows
        await until(pilot, lambda: "Pause" in screen_text(app), "the running keys")


async def test_each_widget_is_styled_once_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every widget is styled as it mounts; Textual styled them all again when the screen
    was first shown, and each Footer key once more as its compact class came after its
    mount (issue 20: ~7 and ~4 ms of the first frame). Styled once, each has the styles
    that styling all of them again gives."""
    styled: Counter[str] = Counter()
    apply = Stylesheet.apply

    def counting(sheet: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        if isinstance(node, Widget):
            styled[f"{type(node).__name__}#{id(node)}"] += 1
        apply(sheet, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counting)
    app = paused_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Quit" in screen_text(app), "the Footer's keys")
        await pilot.pause()
        twice = sorted(name.split("#")[0] for name, times in styled.items() if times > 1)
        assert twice == ["MainScreen"]  # as it composes: its size classes (see above)
        widgets = list(app.screen.walk_children(with_self=True))
        before = [(widget, widget.styles.get_rules()) for widget in widgets]
        app.update_styles(app.screen)
        assert [(widget, widget.styles.get_rules()) for widget in widgets] == before
