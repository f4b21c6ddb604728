"""The trainer's own screen: its panels, where each sits, and the Footer of the moment.

The status line and forecast on top, the fit chart (or the loss landscape) beside
the weight, bias and loss panels, the race row, and the explanation's slot
(shared with the lesson, and with the code pane: in the explanation's place, or beside
it from ``BESIDE_COLUMNS``) below; ``app.tcss`` sizes what is placed here. The app
sets ``view`` each frame and every panel, bound to it, draws its part; the app
also says which actions the Footer offers now (``offer_keys``). Nothing here reaches
into the app: when the screen is resized, it says so with a message (the app holds
training while another screen covers this one, or the window is too small).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.model import CombinatorType, SelectorType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from core import Dataset
from tui import keys
from tui.i18n import _
from tui.model.view import View
from tui.screens.breakpoints import breakpoint_classes
from tui.widgets.banner import DivergenceBanner
from tui.widgets.fit_chart import FitChart
from tui.widgets.footer import TrainerFooter
from tui.widgets.forecast import ForecastStrip, forecast
from tui.widgets.kept_rows import KeptHorizontal, KeptRows, KeptVertical
from tui.widgets.loss_panel import LossPanel
from tui.widgets.pane_rows import pane_heights
from tui.widgets.panel import ViewPanel
from tui.widgets.parameter_panel import ParameterPanel
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.binding import ActiveBinding
    from textual.css.model import RuleSet
    from textual.dom import DOMNode
    from textual.geometry import Region, Size
    from textual.widget import AwaitMount, Widget
    from typing_extensions import Self

    from tui.widgets.explain_panel import ExplainPanel
    from tui.widgets.lesson_pane import LessonPane

BESIDE_COLUMNS = 160
"""From this width the code pane sits beside the explanation (each has the 80 columns it is
written for); below it, it takes the explanation's place."""
MIN_COLUMNS, MIN_ROWS = 80, 22
"""Below this size the layout cannot show its panels and keys; the app asks for more room,
holds training, and answers only q and ? until it has it."""
TEXT_PANES = ("lesson", "explain", "code")
"""The panes of the slot below the charts, in their order there: each is composed the first
time the view opens it (``pane_wanted``), not at start-up."""


STRIPS = ("forecast", "banner", "race-row")
"""The strips shown only while the view has something for them to say (what lies ahead, a
divergence, a race): each is composed the first time the view wants it (``strip_wanted``),
not at start-up."""


Panel = TypeVar("Panel", bound="Widget")
"""A panel (a ``ViewPanel`` widget) as the screen composes or mounts it."""


def strip_wanted(strip: str, view: View) -> bool:
    """Whether ``view`` shows the strip ``strip`` (by the rule the strip shows itself by)."""
    if strip == "forecast":
        return bool(forecast(view)[0])
    if strip == "banner":
        return view.trainer.diverged_at is not None
    return view.race is not None


def make_strip(strip: str) -> Widget:
    """The strip ``strip`` (see ``STRIPS``)."""
    if strip == "forecast":
        return ForecastStrip(id=strip)
    if strip == "banner":
        return DivergenceBanner(id=strip)
    from tui.widgets.race_row import RaceRow  # (imported with the first race)

    return RaceRow(id=strip)


def styled_under(rules: Iterable[RuleSet], classes: frozenset[str]) -> str | None:
    """A selector of the widgets (with their children) whose styles may change when the
    screen takes or loses one of ``classes``: the last part of every rule that names one of
    them on the screen (``Screen.-short.-explaining #loss-chart``: ``#loss-chart``), without
    its own classes (a superset). None if such a rule styles the screen itself; '' if no
    rule names them."""
    targets: dict[str, None] = {}
    for rule in rules:
        for selectors in rule.selector_set:
            parts = selectors.selectors
            last = max(
                (i for i, part in enumerate(parts) if part.combinator != CombinatorType.SAME),
                default=0,
            )
            named = {part.name for part in parts[:last] if part.type == SelectorType.CLASS}
            if named & classes:
                if last == 0:
                    return None
                targets[parts[last].css.split(":")[0]] = None
            elif last == 0 and {part.name for part in parts} & classes:
                return None
    return ", ".join(targets)


def too_small(size: Size) -> bool:
    """Whether a screen of ``size`` is below the least the layout needs (``MIN_COLUMNS``)."""
    return size.width < MIN_COLUMNS or size.height < MIN_ROWS


def too_small_notice() -> Static:
    """What the screen says instead of its panels while it is too small: composed the first
    time it is (issue 20: hidden, it was a widget more to mount and style at start-up);
    the screen's size classes show and hide it (``app.tcss``)."""
    room = _("c2f-tui needs a terminal of at least {columns}×{rows}.")
    return Static(
        room.format(columns=MIN_COLUMNS, rows=MIN_ROWS)
        + "\n"
        + _("Please enlarge this one (q quits)."),
        id="too-small",
    )


def pane_wanted(pane: str, view: View) -> bool:
    """Whether ``view`` shows the text pane ``pane`` (each pane shows itself by the same rule:
    a lesson, the explanation, the code)."""
    if pane == "lesson":
        return view.lesson is not None
    if pane == "explain":
        return view.explaining
    return view.code is not None


def make_pane(pane: str) -> Widget:
    """The text pane ``pane``, its module imported now (the lesson's, the explanation's and
    the code's are imported only by a session that opens them)."""
    if pane == "lesson":
        from tui.widgets.lesson_pane import LessonPane

        return LessonPane(id=pane)
    if pane == "explain":
        from tui.widgets.explain_panel import ExplainPanel

        return ExplainPanel(id=pane)
    from tui.widgets.code_pane import CodePane

    return CodePane(id=pane)


class Sidebar(KeptRows, Vertical):
    """The weight, bias and loss panels. Where the weight and bias panels share the rows the
    loss readout leaves (``app.tcss``), an odd row went to the bias panel: the weight folded
    first, losing the gradient the lesson talks of. ``-odd-rows`` gives that row to the loss
    readout instead, so that both fold alike."""

    def on_resize(self) -> None:
        self.set_class(self.size.height % 2 == 1, "-odd-rows")


class MainScreen(KeptRows, Screen[None]):
    """The trainer's screen; see the module docstring."""

    view: var[View | None] = var(None)
    """The frame on screen; every panel is bound to it."""

    class Resized(Message):
        """The screen has its new size: the app holds training while it is too small."""

    def __init__(
        self,
        dataset: Dataset,
        untrained: tuple[float, float],
        *,
        ascii_markers: bool,
        id: str | None = None,  # noqa: A002 (Textual's own name)
    ) -> None:
        super().__init__(id=id)
        self._dataset = dataset
        self._untrained = untrained
        self._ascii = ascii_markers
        self._landscape = False
        self.footer_shows: frozenset[str] = frozenset()
        """The actions the Footer offers now (the app sets it, then refreshes the bindings)."""
        self.footer_on: frozenset[str] = frozenset()
        """Of those, the toggles that are on (labelled with their ``Key.label_on``)."""
        self.listing_keys = False
        """True while the Footer asks which keys this screen offers (``active_bindings``):
        the app answers as with this screen on top, under a dialog too (``check_action``)."""
        self._laid_out_at: Size | None = None
        """The size of the screen's last whole layout (``_screen_resized``)."""
        self._text_panes: set[str] | None = None
        """The text panes composed so far (None: the screen is not composed yet)."""
        self._strips: set[str] = set()
        """The strips composed so far (``STRIPS``)."""
        self._panels: list[ViewPanel] = []
        """The panels handed each frame's view, in the order they were mounted."""

    def compose(self) -> ComposeResult:
        self._take_size_classes(self.app.size)
        view = self._handed
        # The strips and panes the first view shows (a rate unstable from the start,
        # --compare, --lesson, --step); the others when first shown (``_open_late``).
        strips = [strip for strip in STRIPS if self.view and strip_wanted(strip, self.view)]
        self._strips = set(strips)
        yield view(StatusBar())
        if "forecast" in strips:
            yield view(make_strip("forecast"))
        with KeptHorizontal(id="main"):
            with KeptVertical(id="chart-column"):
                if "banner" in strips:
                    yield view(make_strip("banner"))
                chart = FitChart(
                    self._dataset,
                    self._untrained,
                    ascii_markers=self._ascii,
                    web=self.app.is_web,  # a browser's terminal draws some marks poorly
                    id="fit-chart",
                )
                yield view(chart)
            with Sidebar(id="sidebar"):
                yield view(ParameterPanel("weight", id="weight-panel"))
                yield view(ParameterPanel("bias", id="bias-panel"))
                yield view(LossPanel(ascii_markers=self._ascii, web=self.app.is_web))
        if "race-row" in strips:
            yield view(make_strip("race-row"))
        # The explanation's slot, shared with the lesson.
        wanted = [pane for pane in TEXT_PANES if self.view and pane_wanted(pane, self.view)]
        self._text_panes = set(wanted)
        with KeptVertical(id="pane"):
            if "lesson" in wanted:
                yield view(make_pane("lesson"))
            with KeptHorizontal(id="pane-row"):  # the code beside the explanation, or in its place
                for pane in ("explain", "code"):
                    if pane in wanted:
                        yield view(make_pane(pane))
        if too_small(self.app.size):
            yield too_small_notice()
        yield TrainerFooter(compact=True)

    def _handed(self, panel: Panel) -> Panel:
        """``panel``, to be handed each frame's view from when it is mounted (as Textual's
        ``data_bind`` would bind it: the current view once its messages start, then every
        frame's, after the screen's own ``watch_view``)."""

        viewer = cast("ViewPanel", panel)

        def bind() -> None:
            self._panels.append(viewer)
            viewer.take_view(self.view)

        panel.call_later(bind)
        return panel

    def watch_view(self, view: View | None) -> None:
        """The classes the layout reads, and the landscape in the fit chart's place; then
        the view to every panel (``ViewPanel.take_view``)."""
        if view is not None:
            self._arrange(view)
        for panel in self._panels:
            if not panel._closing:  # type: ignore[attr-defined]  # (as Textual's watchers)
                panel.take_view(view)

    def _arrange(self, view: View) -> None:
        """The classes the layout reads, the strips and panes ``view`` opens, and the
        landscape in the fit chart's place."""
        # Folded (w), the lesson is one line: the charts are laid out as without a lesson
        # (the loss history back on a short screen), the explanation still closed there
        # (the -explaining rules are those of short screens only).
        folded = view.display.lesson_folded
        self._take_layout_classes(
            {
                "-explaining": view.explaining and not (view.lesson and folded),
                "-lesson": view.lesson is not None and not folded,
                "-lesson-folded": view.lesson is not None and folded,
                "-coding": view.display.code,
            }
        )
        self._open_strips(view)
        self._open_text_panes(view)
        if view.display.landscape != self._landscape:
            self._show_landscape(view)
        if view.lesson is not None or view.explaining:  # else no text pane is on show
            self.call_after_refresh(self._fit_text_panes)  # once they have measured this frame

    def _take_layout_classes(self, classes: dict[str, bool]) -> None:
        """Set the screen's layout classes, restyling only the widgets their rules style.

        A class set on the screen restyles every node under it (Textual's ``set_class``):
        opening or closing the explanation ([, e) restyled the status line, both charts,
        every Footer key… ~40 nodes, ~12 ms of CPU of the ~50 a press cost (issue 20 goal
        3), to move the four panels ``app.tcss`` rules on these classes."""
        changed = [name for name, on in classes.items() if self.has_class(name) != on]
        if not changed:
            return
        for name in changed:
            self.set_class(classes[name], name, update=False)
        targets = styled_under(self.app.stylesheet.rules, frozenset(changed))
        if targets is None:
            self.update_node_styles()  # a rule styles the screen itself: all of it, as Textual
            return
        nodes: dict[DOMNode, None] = {}
        for widget in self.query(targets) if targets else ():
            nodes.update(dict.fromkeys(widget.walk_children(with_self=True)))
        self.app.stylesheet.update_nodes(nodes, animate=True)

    def _open_strips(self, view: View) -> None:
        """Compose each strip the first time ``view`` shows it, in its place.

        Hidden, a strip is nothing on screen, but composed it was a widget more to
        mount, style and lay out at start-up (issue 20: ~1.3 ms each), and most
        sessions never diverge or race. Once composed, a strip stays (hidden by its
        own rule when it has nothing to say)."""
        composed = self._strips
        if self._text_panes is None or len(composed) == len(STRIPS):
            return  # not composed yet (``compose`` makes those this view shows), or all are
        for strip in STRIPS:
            if strip in composed or not strip_wanted(strip, view):
                continue
            composed.add(strip)
            widget = self._handed(make_strip(strip))
            if strip == "forecast":
                mounting = self.mount(widget, before="#main")
            elif strip == "banner":
                mounting = self.query_one("#chart-column").mount(widget, before=0)
            else:
                mounting = self.mount(widget, before="#pane")
            self.call_next(self._fit_when_mounted, mounting)

    def _open_text_panes(self, view: View) -> None:
        """Compose each text pane the first time ``view`` opens it, in its place in the slot.

        Closed, a pane is nothing on screen, but composed it was a few widgets more to
        mount, style and lay out at start-up, and its module to import (issue 20): most
        sessions never open the lesson or the code. Once composed, a pane stays (hidden by
        its own rule when closed), keeping what it drew."""
        composed = self._text_panes
        if composed is None:
            return  # not composed yet: ``compose`` makes the panes this view opens
        for pane in TEXT_PANES:
            if pane in composed or not pane_wanted(pane, view):
                continue
            composed.add(pane)
            widget = self._handed(make_pane(pane))
            if pane == "lesson":
                mounting = self.query_one("#pane").mount(widget, before="#pane-row")
            else:
                row = self.query_one("#pane-row")
                first = pane == "explain" and row.children
                mounting = row.mount(widget, before=0 if first else None)
            self.call_next(self._fit_when_mounted, mounting)

    async def _fit_when_mounted(self, mounting: AwaitMount) -> None:
        """Once a pane or strip composed late has drawn (and so knows the rows it needs), fit the
        panes again: the fit asked for by the frame that opened it came before it."""
        await mounting
        self.call_after_refresh(self._fit_text_panes)

    def _fit_text_panes(self) -> None:
        """Give the lesson and the explanation the rows their words need, within the room the
        charts keep (``tui.widgets.pane_rows``); the charts take every other row."""
        if not self.size.height:
            return
        lesson = cast("LessonPane | None", self._composed("lesson"))
        explain = cast("ExplainPanel | None", self._composed("explain"))
        fixed = (
            self.size.height
            - self.query_one("#main").region.height
            - self.query_one("#pane").region.height
        )
        heights = pane_heights(
            screen=self.size.height,
            fixed=fixed,
            tall=self.has_class("-tall"),
            lesson=lesson.need if lesson is not None and lesson.display else None,
            explanation=explain.need if explain is not None and explain.display else None,
        )
        for pane, rows in zip((lesson, explain), heights, strict=True):
            if (
                pane is not None
                and rows
                and (pane.styles.height is None or pane.styles.height.value != rows)
            ):
                pane.styles.height = rows

    def _composed(self, pane: str) -> Widget | None:
        """The text pane ``pane`` if it has been composed (``_open_text_panes``)."""
        found = self.query(f"#{pane}")
        return found.first() if found else None

    def _show_landscape(self, view: View) -> None:
        """Swap the fit chart for the loss landscape (built on first use: importing and
        shading it costs tens of milliseconds that most sessions never need) and back."""
        from tui.widgets.landscape_chart import LandscapeChart

        self._landscape = showing = view.display.landscape
        if showing and not self.query(LandscapeChart):
            landscape = LandscapeChart(
                view.trainer.surface,
                view.trainer.untrained,
                ascii_markers=self._ascii,
                id="landscape",
            )
            self.query_one("#chart-column").mount(self._handed(landscape))
        self.query_one("#fit-chart").display = not showing
        for landscape in self.query(LandscapeChart):
            landscape.display = showing

    def offer_keys(self, shows: frozenset[str], on: frozenset[str]) -> None:
        """The Footer offers the actions ``shows`` (``on``: those whose toggle is on), in this
        frame (``TrainerFooter.show_now``); Textual's other readers of the bindings are told."""
        self.footer_shows, self.footer_on = shows, on
        for footer in self.query_children(TrainerFooter):
            footer.show_now()
        self.refresh_bindings()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the Footer shows: as with this screen on top, even under a dialog, where
        the Footer is part of the tinted trainer (none of whose keys act through a dialog)."""
        self.listing_keys = True
        try:
            active = super().active_bindings
        finally:
            self.listing_keys = False
        return keys.for_footer(active, self.footer_shows, self.footer_on)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(self.size.width >= BESIDE_COLUMNS, "-beside")
        if too_small(event.size) and not self.query("#too-small"):
            self.mount(too_small_notice(), before=self.query_one(TrainerFooter))
        self.post_message(self.Resized())

    _covered = False
    """Whether another screen went over this one since it was last on top."""
    _repainted_on_resume = False
    """Set when the screen comes back on top from under another (Textual repaints it whole
    then), until the layout Textual asks for next has been done (see ``refresh``)."""

    def on_screen_suspend(self) -> None:
        self._covered, self._repainted_on_resume = True, False

    _been_on_top = False
    """Whether the screen has been on top before (``on_screen_resume``)."""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self._covered, self._repainted_on_resume = False, self._covered
        if not self._been_on_top:
            # Textual styles every widget as it mounts, then again when the screen is
            # first shown (``Screen._on_screen_resume``, called after this handler): at
            # start-up each of the ~70 nodes was styled twice, ~7 ms (issue 20). Nothing
            # the styles read changes in between: a class set later restyles by itself.
            self._been_on_top = True
            event.refresh_styles = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """The first layout asked of the whole screen after it came back on top repaints
        only what the layout moves.

        Textual repaints a screen whole as it comes back on top (the tint of the dialog
        over it must go), and then, once it has removed the closed dialog, asks the screen
        for a layout and a whole repaint again (``App._prune``): the trainer was drawn and
        sent whole twice per dialog closed (issue 20 goal 2). A layout repaints the regions
        it changes itself (``Compositor.reflow``), and a panel whose content changes
        repaints itself.
        """
        if layout and repaint and not regions and not recompose and self._repainted_on_resume:
            repaint = False  # (Textual asks twice, from both ends of the removal: AwaitRemove)
            if self.is_mounted:  # the layout asked for: then every repaint is as asked
                self.call_after_refresh(self._after_resume)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _after_resume(self) -> None:
        self._repainted_on_resume = False

    def _take_size_classes(self, size: Size) -> None:
        """The classes the layout reads from the terminal's size (Textual's breakpoints, and
        ``-beside``), before the first layout.

        Textual gives a screen its breakpoint classes when the first Resize arrives, after
        the first layout and paint: at start-up every widget was styled and the whole
        screen laid out and painted again (issue 20). Given here, from the size the
        terminal already has, the Resize finds them in place and changes nothing.
        """
        classes = breakpoint_classes(self, size)
        classes["-beside"] = size.width >= BESIDE_COLUMNS
        self.update_classes(classes)

    def _screen_resized(self, size: Size) -> None:
        """Lay out again only for a new size.

        Textual calls this on every screen under the top one each time the top one is
        sized, which is at every push of a dialog: the whole trainer was laid out again,
        at the size it already had, under each dialog opened (issue 20). A layout that
        a change under the dialog asks for still happens, when the dialog closes; on top,
        it lays out as Textual does (its new size is already its own when this is called).

        Nor at the size of the layout it has: at start-up the screen is laid out and
        painted when it is first shown, then the terminal's first Resize arrives with the
        same size, and Textual laid it all out and painted it again (issue 20). A change
        that needs a layout asks for one itself.
        """
        if size == self._laid_out_at:
            return
        if self.is_current or size != self._size:
            super()._screen_resized(size)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        super()._refresh_layout(size, scroll)
        if not scroll:  # a whole layout, not a scroll's
            self._laid_out_at = self.outer_size if size is None else size
