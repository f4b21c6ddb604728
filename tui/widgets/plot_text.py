"""plotext's picture as Textual strips, each distinct line made and cut once (issue 20).

textual-plotext has plotext write its picture as ANSI text and turns it into Rich text
with ``Text.from_ansi`` at every render, and Textual then cuts the whole text into strips
and repaints the whole widget: together about twice plotext's own build. ``PlotText``
has plotext build its matrix of characters and colours (plotext stays the renderer) and
reads each row straight from it, as runs of one colour: the text plotext would write for
it, without writing it out and decoding it again. Between two pictures most rows are the
same (the axes, the rows the lines do not cross): each distinct row becomes Rich text
once, the strip Textual cuts from it is kept for each row, and only the rows that changed
are repainted. The strips are those Textual cuts from ``Text.from_ansi`` of plotext's
output (tests/test_tui_light_frame.py).

Most of a chart stays while it trains (the axes, the truth, the untrained line): a chart
that says what that part is drawn from (``PlotText.under``) has plotext build it once and
keep its matrix (``Under``); the lines that move are drawn over a copy of it by plotext's
own routines, as plotext's ``build_plot`` draws each signal, in the same order: the
picture of the whole figure, cell for cell (tests/test_tui_chart_layers.py), for ~1/3 of
the fit chart's build.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import plotext._utility as ut  # type: ignore[import-untyped]
from plotext._utility import colors_to_ansi
from rich.ansi import AnsiDecoder
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual._context import active_app
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual_plotext import PlotextPlot

from tui.widgets.kept_rows import KeptRows, PlainRows
from tui.widgets.panel import at_row

if TYPE_CHECKING:
    from typing_extensions import Self  # Textual's own (typing.Self is Python 3.11's)

Colours = tuple[Any, Any, Any]
"""A cell's foreground, style and background as plotext's matrix holds them."""
Line = tuple[tuple[str, Colours], ...]
"""One row of plotext's picture: its runs of characters of one colour, left to right."""
Drawn = tuple[
    tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], bool
]
"""What plotext draws a signal from on a given canvas (``drawn_from``)."""


@lru_cache(maxsize=256)
def run_style(colours: Colours) -> RichStyle | None:
    """The style ``AnsiDecoder`` gives a run: plotext writes each run as its colours' ANSI
    codes, its characters and a reset (``_matrix.set_canvas``), so every run starts from no
    style and the next line starts from none."""
    decoder = AnsiDecoder()
    decoder.decode_line(colors_to_ansi(*colours))
    return decoder.style or None


@lru_cache(maxsize=2048)
def line_text(line: Line) -> Text:
    """A row as the Rich text ``AnsiDecoder`` makes of the line plotext writes for it."""
    text = Text()
    for characters, colours in line:
        text.append(characters, run_style(colours))
    return text


@lru_cache(maxsize=2048)
def row_line(
    markers: tuple[str, ...],
    foreground: tuple[Any, ...],
    styles: tuple[Any, ...],
    background: tuple[Any, ...],
) -> Line:
    """One row of plotext's matrix as its runs (where plotext's ANSI text changes colour)."""
    cells = zip(markers, zip(foreground, styles, background, strict=True), strict=True)
    return tuple(
        ("".join(marker for marker, _colours in run), colours)
        for colours, run in groupby(cells, key=itemgetter(1))
    )


def picture_of(plot: Any) -> tuple[Line, ...]:
    """plotext's picture, top row first: ``Figure.build`` but for writing it out as text
    (``set_canvas``): the rows are read from the matrix it built. Its text ends each row
    with a newline, so ``Text.from_ansi`` ends with an empty line: so does the picture."""
    plot._set_sizes()
    plot._build_matrix()
    matrix = plot.monitor.matrix
    return (*(matrix_row(matrix, row) for row in reversed(matrix.Rows)), ())


def matrix_row(matrix: Any, row: int) -> Line:
    """Row ``row`` of plotext's matrix (counted from the bottom, as plotext does) as its runs."""
    return row_line(
        tuple(matrix.marker[row]),
        tuple(matrix.fullground[row]),
        tuple(matrix.style[row]),
        tuple(matrix.background[row]),
    )


SIGNAL_SETTINGS = frozenset(
    [
        "xside",
        "yside",
        "x",
        "y",
        "signals",
        "lines",
        "marker",
        "color",
        "past_colors",
        "style",
        "fillx",
        "filly",
        "label",
    ]
)
"""What plotext's monitor holds of each signal (``monitor.draw_init``)."""


def keep_signals(monitor: Any, count: int) -> None:
    """plotext's figure with its first ``count`` signals only, as ``clear_data`` and those
    signals' ``plot`` or ``scatter`` left it (``monitor.draw``; the colours used so far,
    which only pick a colour for a signal given none, are left)."""
    for name in SIGNAL_SETTINGS - {"signals", "past_colors"}:
        del getattr(monitor, name)[count:]
    monitor.signals = count


def frame_of(monitor: Any) -> dict[str, Any]:
    """Everything plotext draws a figure from but its signals: labels, scales, ticks,
    limits, axes, the theme's colours, user lines and texts (its size is the widget's)."""
    return {
        name: value
        for name, value in vars(monitor).items()
        if name not in SIGNAL_SETTINGS and name not in ("default", "matrix", "date", "size")
    }


class Under:
    """plotext's matrix of a figure's first signals and everything around them (axes,
    ticks, user lines): the part of a chart that stays while its last signals move.

    plotext draws a figure's signals one after the other over what it drew before
    (``build_plot``), after the axes and before any legend or text: so the picture of the
    whole figure is this matrix with the remaining signals drawn over it in order, each as
    ``build_plot`` draws a signal (``over``).
    """

    def __init__(self, monitor: Any, frame: dict[str, Any]) -> None:
        matrix = monitor.matrix
        self.frame = frame
        """The figure's ``frame_of`` as it was before plotext built it."""
        self.signals = len(monitor.x)
        """How many signals the figure drawn had: the whole figure's first ones."""
        self.cells = tuple(
            [row[:] for row in rows]
            for rows in (matrix.marker, matrix.fullground, matrix.background, matrix.style)
        )
        """plotext's markers, foreground, background and style of each cell (a copy)."""
        self.size = (matrix.cols, matrix.rows)
        self.canvas = (matrix.Cols_canvas, matrix.Rows_canvas)
        """Where the data are drawn: the columns and rows inside the axes."""
        self.limits = (list(monitor.xlim[0]), list(monitor.ylim[0]))
        """The lower x and left y axes' limits as plotext drew them."""
        self.lines = tuple(matrix_row(matrix, row) for row in matrix.Rows)
        """Each row's runs, bottom row first."""
        default = monitor.default
        self.plain = (
            default.xside[0] in monitor.xside
            and default.yside[0] in monitor.yside
            and not any(label is not None for label in monitor.label)
            and not monitor.text
        )
        """A signal on the lower x and left y axes, which plotext draws (with their ticks)
        as for the whole figure, and nothing drawn after the signals (a legend, texts)."""
        self.last: tuple[tuple[Drawn, ...], tuple[Line, ...]] | None = None
        """What the moving signals were last drawn from (``drawn_from``) and the picture
        drawn: plotext's drawing of a signal follows from that alone, so while a moving line
        stays on the same dots (a few frames in two while the neuron learns) the picture is
        the one drawn, and plotext's walk of the line is not done again."""

    def over(self, monitor: Any) -> tuple[Line, ...] | None:
        """The picture of ``monitor``'s figure, whose first signals and all else are this
        layer's, with its other signals drawn as ``build_plot`` draws them; None if it
        would draw them otherwise (another frame, a log scale, the upper or right axes, a
        fill, a legend: then plotext builds it whole)."""
        xlim, ylim = self.limits
        first = self.signals
        default = monitor.default
        if not (
            self.plain
            and len(monitor.x) >= first
            and not any(label is not None for label in monitor.label[first:])
            and frame_of(monitor) == self.frame
            and monitor.xscale[0] == default.xscale[0]
            and monitor.yscale[0] == default.yscale[0]
            and all(side == default.xside[0] for side in monitor.xside[first:])
            and all(side == default.yside[0] for side in monitor.yside[first:])
            and not any(fill is not False for fill in monitor.fillx[first:])
            and not any(fill is not False for fill in monitor.filly[first:])
        ):
            return None
        canvas = (len(self.canvas[0]), len(self.canvas[1]))
        moving = range(first, len(monitor.x))
        dots = [signal_dots(monitor, signal, canvas, xlim, ylim) for signal in moving]
        given = tuple(
            drawn_from(monitor, signal, x, y) for signal, (x, y) in zip(moving, dots, strict=True)
        )
        if self.last is not None and self.last[0] == given:
            return self.last[1]
        matrix = monitor.matrix
        matrix.set_size(*self.size)
        matrix.set_canvas_area(
            self.canvas[0].start, self.canvas[0].stop, self.canvas[1].start, self.canvas[1].stop
        )
        matrix.marker, matrix.fullground, matrix.background, matrix.style = (
            [row[:] for row in rows] for rows in self.cells
        )
        changed: set[int] = set()
        for signal, (x, y) in zip(moving, dots, strict=True):
            changed.update(draw_signal(monitor, signal, matrix, x, y))
        rows = (
            matrix_row(matrix, row) if row in changed else self.lines[row]
            for row in reversed(matrix.Rows)
        )
        picture = (*rows, ())
        self.last = (given, picture)
        return picture


def signal_dots(
    monitor: Any, signal: int, canvas: tuple[int, int], xlim: list[float], ylim: list[float]
) -> tuple[list[Any], list[Any]]:
    """A signal's points on the dots of a canvas of ``canvas`` (columns, rows) cells, in
    dots of the signal's finest marker (braille: 2 × 4 a cell), as plotext 5.3.2's
    ``build_plot`` puts them (``_build.py``, "Expand Canvas to accommodate HD markers")."""
    width, height = canvas
    markers = monitor.marker[signal]
    x_factor = max([ut.marker_factor(m, 2, 2, 2) for m in markers], default=1)
    y_factor = max([ut.marker_factor(m, 2, 3, 4) for m in markers], default=1)
    dots_wide, dots_high = width * x_factor, height * y_factor
    on_canvas = dots_wide * dots_wide  # sic: plotext tests the width twice
    x = ut.get_matrix_data(monitor.x[signal], xlim, dots_wide) if on_canvas else []
    y = ut.get_matrix_data(monitor.y[signal], ylim, dots_high) if on_canvas else []
    return x, y


def drawn_from(monitor: Any, signal: int, x: list[Any], y: list[Any]) -> Drawn:
    """All ``draw_signal`` draws a signal from, given its points on the canvas's dots
    (``signal_dots``): those, its markers, colours and styles, and whether plotext joins
    the points; two signals alike in these are drawn alike on one canvas."""
    return (
        tuple(x),
        tuple(y),
        _frozen(monitor.marker[signal]),
        _frozen(monitor.color[signal]),
        _frozen(monitor.style[signal]),
        bool(monitor.lines[signal]),
    )


def _frozen(values: list[Any]) -> tuple[Any, ...]:
    """A signal's list of markers, colours or styles, comparable and hashable (a colour
    may be a list of red, green and blue)."""
    return tuple(tuple(value) if isinstance(value, list) else value for value in values)


def draw_signal(monitor: Any, signal: int, matrix: Any, x: list[Any], y: list[Any]) -> set[int]:
    """Draw one signal of a figure already built onto its matrix, as plotext 5.3.2's
    ``build_plot`` draws each signal on the lower x and left y axes at a linear scale,
    without fill (``_build.py``, from "Expand Canvas to accommodate HD markers" to "Add Data
    to Canvas"), with plotext's own routines, from its points on the canvas's dots
    (``signal_dots``); the rows drawn on."""
    columns, rows = matrix.Cols_canvas, matrix.Rows_canvas
    width, height = len(columns), len(rows)
    m, c, st = monitor.marker[signal], monitor.color[signal], monitor.style[signal]
    if monitor.lines[signal]:
        x, y, m, c, st = ut.get_lines(x, y, m, c, st)
    x, y, m, c, st = ut.brush(x, y, m, c, st)
    x_factors = [ut.marker_factor(marker, 2, 2, 2) for marker in m]
    y_factors = [ut.marker_factor(marker, 2, 3, 4) for marker in m]
    if max(x_factors, default=1) * max(y_factors, default=1) != 1:
        x, y, grouped = ut.hd_group(x, y, x_factors, y_factors)
    else:
        grouped = []
    m = [ut.get_hd_marker(grouped[i]) if m[i] in ut.hd_symbols else m[i] for i in range(len(x))]
    x, y, m, c, st = ut.remove_outsiders(x, y, width, height, m, c, st)
    x, y, m, c, st = ut.brush(x, y, m, c, st)
    for i in range(len(x)):
        matrix.insert_element(x[i] + columns.start, y[i] + rows.start, m[i], c[i], st[i])
    return {row + rows.start for row in y}


def joined(lines: tuple[Line, ...]) -> Text:
    """The lines as one Rich text (``Text.from_ansi``'s)."""
    texts = [line_text(line) for line in lines]
    return Text("\n", tab_size=8).join(texts)  # join copies: the kept lines stay as they are


@lru_cache(maxsize=8192)
def cell_style(
    base: Style, style: RichStyle | None, theme: TerminalTheme | None, x: int, y: int
) -> RichStyle:
    """The style Textual gives the cells of a run of ``style`` starting at (``x``, ``y``) on
    ``base``, as ``Content.from_rich_text`` and ``Content.render_strips`` make it (the
    run's style on the base, and its place, which selecting text reads): a run of the same
    colours in the same place, as most are from one picture to the next, is styled once."""
    spans = [base] if style is None else [base, Style.from_rich_style(style, theme)]
    return (base + Style.combine(spans)).rich_style_with_offset(x, y)


@lru_cache(maxsize=2048)
def row_pieces(line: Line) -> tuple[tuple[str, RichStyle | None], ...] | None:
    """A row's runs as Textual renders its text: each run of a style on its own, runs of no
    style together (between two spans); None if a character takes other than one cell."""
    pieces: list[tuple[str, RichStyle | None]] = []
    for characters, colours in line:
        style = run_style(colours)
        if style is None and pieces and pieces[-1][1] is None:
            pieces[-1] = (pieces[-1][0] + characters, None)
        else:
            pieces.append((characters, style))
    plain = "".join(characters for characters, _colours in line)
    return tuple(pieces) if cell_len(plain) == len(plain) else None


def row_strip(
    line: Line, y: int, width: int, base: Style, theme: TerminalTheme | None
) -> Strip | None:
    """Row ``y``'s strip as Textual cuts it from the row's text (``Content.render_strips``),
    made from its runs in the app's ANSI colours ``theme`` (``ansi_theme``); None where
    Textual would do more than style it: a row wider than ``width`` (wrapped), an empty
    one, or one with characters of other than one cell."""
    pieces = row_pieces(line)
    if not pieces:
        return None
    segments = []
    x = 0
    for characters, style in pieces:
        segments.append(Segment(characters, cell_style(base, style, theme, x, y)))
        x += len(characters)
    return Strip(segments, x) if x <= width else None


class KeptStrips:
    """The strips a widget's lines were cut into, for one width and base style."""

    def __init__(self) -> None:
        self.made_for: tuple[int, Style] | None = None
        self.strips: dict[tuple[int, Line], Strip] = {}
        """Each row's strip, by the row and its line."""


class PlotLines(Visual):
    """A chart's picture: Textual's strips of each line, cut once per line and kept by
    the widget while its width and style stay (``kept``)."""

    def __init__(self, lines: tuple[Line, ...], kept: KeptStrips) -> None:
        self.lines = lines
        self._kept = kept

    def __str__(self) -> str:
        return str(joined(self.lines))

    @property
    def text(self) -> Text:
        """The picture as Rich text (``Text.from_ansi`` of plotext's output)."""
        return joined(self.lines)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if options.selection is not None:  # a selection paints over lines: cut them afresh
            return Content.from_rich_text(self.text).render_strips(width, height, style, options)
        lines = self.lines if height is None else self.lines[:height]
        if self._kept.made_for != (width, style):
            self._kept.made_for, self._kept.strips = (width, style), {}
        kept = self._kept.strips
        rules = options.rules
        plain = (  # nothing but styles between a row's text and its strip (else Textual cuts)
            options.post_style is None
            and rules.get("text_align", "left") in ("left", "start")
            and not rules.get("line_pad", 0)
        )
        try:
            theme = active_app.get().ansi_theme
        except LookupError:
            theme = None
        strips = []
        for row in enumerate(lines):
            strip = kept.get(row)
            if strip is None:
                y, line = row
                strip = row_strip(line, y, width, style, theme) if plain else None
                if strip is None:
                    content = Content.from_rich_text(line_text(line))
                    strip = at_row(content.render_strips(width, 1, style, options)[0], y)
                kept[row] = strip
            strips.append(strip)
        if len(kept) > 4 * len(lines):  # forget the lines no longer drawn
            self._kept.strips = {row: kept[row] for row in enumerate(lines)}
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line_text(line).cell_len for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines)


class PlotText(KeptRows, PlainRows, PlotextPlot):
    """A textual-plotext plot drawn line by line (``PlotLines``): plotext builds the
    picture when its figure or size changed (``redraw``), and only the rows that differ
    from the picture shown are repainted."""

    _built: tuple[object, tuple[Line, ...]] | None = None
    """The picture last built and what it was built for (size and theme)."""
    _stale = True
    """The figure changed since the picture was built."""
    _kept: KeptStrips | None = None
    _figure_size: Size | None = None
    """The size the figure was last put together for (``fill``): what a chart hands plotext
    depends on its size (series reduced to its dots, ticks to its rows)."""

    _under: tuple[object, Under] | None = None
    """The picture of the part of the figure that stays, and what it was drawn from."""

    _figure_kept = False
    """Set while the widget is repainted for what is not its figure (``figure_unchanged``)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        # A picture holds no links: Textual need not look for them each time it renders the
        # widget (with them on, it restyles every cell of every row: ~1/3 of a repaint).
        self.set_reactive(Widget.auto_links, False)

    @contextmanager
    def figure_unchanged(self) -> Iterator[None]:
        """Whole repaints asked for in this block are not of the figure (a border's titles,
        which Textual repaints the whole widget for): the picture built is kept."""
        self._figure_kept = True
        try:
            yield
        finally:
            self._figure_kept = False

    _filled: tuple[object, int] | None = None
    """What the part of the figure that stays was last put together for (the size and
    ``under``'s value) and how many signals it has, while plotext's figure holds it as
    ``fill_under`` put it together (None: not known to)."""

    def fill(self) -> None:
        """Put the figure together for the present size (each chart its own): for a chart
        with a part that stays (``under``), that part and the signals over it."""
        self.fill_under()
        what = self.under()
        plot: Any = self.plt  # plotext's figure (textual-plotext's type names no monitor)
        self._filled = None if what is None else ((self.size, what), len(plot.monitor.x))
        self.fill_over()

    def fill_over(self) -> None:
        """Put together the signals drawn over the part that stays (see ``under``)."""

    def under(self) -> object | None:
        """What the part of the figure that stays is drawn from, besides the size and the
        theme; None (the default) if the chart is built whole each time.

        A chart that returns a value has ``fill_under`` put together the figure's first
        signals and everything but signals exactly as ``fill`` does; the picture kept of
        that (``Under``) is built again only when this value, the size or the theme
        changes, and ``fill``'s other signals are drawn over it."""
        return None

    def fill_under(self) -> None:
        """Put together the part of the figure that stays (see ``under``)."""

    def replot(self) -> None:
        """Put the figure together again and repaint the rows that changed."""
        self._fill_for_size()
        self.redraw()

    def _fill_for_size(self) -> None:
        """``fill``; but where the figure already holds the part that stays as ``fill_under``
        put it together for the same size and ``under`` value, only the signals over it are
        put together again (while the neuron learns only its line moves: the axes, ticks,
        truth, data and untrained line were put together anew at each of its frames)."""
        size = self._figure_size = self.size
        filled = self._filled
        if filled is not None and filled[0] == (size, self.under()):
            plot: Any = self.plt
            keep_signals(plot.monitor, filled[1])
            self.fill_over()
        else:
            self.fill()

    def on_resize(self) -> None:
        """A new size, a new figure. At start-up a chart is first shown before it has a size,
        the first render puts its figure together at the size laid out (``_picture``), and the
        first Resize then brings the same size: nothing to do (it built each chart twice)."""
        if self.size != self._figure_size:
            self.replot()

    def _picture(self) -> tuple[Line, ...]:
        """The picture for the figure, size and theme now, built only if one changed (and
        the figure put together again first if it was for another size)."""
        theme = self._get_plotext_theme_name(self.app.theme)
        size = self.size
        made_for = (size, theme)
        if self._built is None or self._stale or self._built[0] != made_for:
            if self._figure_size != size:
                self._fill_for_size()
            # textual-plotext's PlotextPlot.render, but for the ANSI text and its decoding.
            plot = self.plt
            plot.plotsize(size.width, size.height)
            plot._set_size(size.width, size.height)
            plot.theme(theme)
            lines = self._over(made_for)
            if lines is None:
                lines = picture_of(plot)
                self._filled = None  # plotext's build changes what the figure holds
            self._built = (made_for, lines)
            self._stale = False
        return self._built[1]

    def _over(self, made_for: object) -> tuple[Line, ...] | None:
        """The picture drawn over the part kept (``under``), which is built first if it is
        missing or was drawn from something else; None for a chart built whole."""
        what = self.under()
        if what is None:
            return None
        key = (made_for, what)
        plot: Any = self.plt  # plotext's figure (textual-plotext's type names no monitor)
        if self._under is None or self._under[0] != key:
            self.fill_under()
            frame = copy.deepcopy(frame_of(plot.monitor))
            picture_of(plot)
            self._under = (key, Under(plot.monitor, frame))
            self.fill()  # the whole figure again (plotext's build changed what it holds)
        return self._under[1].over(plot.monitor)

    def render(self) -> PlotLines:
        if self._kept is None:
            self._kept = KeptStrips()
        return PlotLines(self._picture(), self._kept)

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Textual's ``refresh``; a repaint of the whole widget draws the figure as it is now
        (plotext builds it again), whoever asks for it: code that changes the figure and
        refreshes, as textual-plotext's users do, shows what it drew."""
        if repaint and not regions and not self._figure_kept:
            self._stale = True
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def redraw(self) -> None:
        """The figure changed: repaint the rows whose line changed (all of them when the
        size or the theme changed, or before the first picture)."""
        self._stale = True
        before = self._built
        if before is None or not self.is_mounted or not self.size:
            self.refresh()
            return
        lines = self._picture()
        if lines is before[1]:
            return  # the moving lines were drawn from the same dots (``Under.last``)
        if self._built is None or self._built[0] != before[0] or len(lines) != len(before[1]):
            super().refresh()  # the picture just built is the one to show
            return
        width = self.size.width
        pairs = zip(before[1], lines, strict=True)
        changed = [Region(0, y, width, 1) for y, (old, new) in enumerate(pairs) if old != new]
        if changed:
            self.refresh(*changed)
