"""The tutorial's picture, live: truth, untrained and current predictions over Celsius."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from textual.content import Content

from core import Dataset
from core.dataset import celsius_to_fahrenheit
from core.neuron import predict
from core.types import FloatArray
from tui.format import number
from tui.i18n import _
from tui.model.view import Charts, View
from tui.themes import on_background
from tui.widgets.cells import cell_centre, factor, line_art, line_cells, to_dot
from tui.widgets.panel import ViewPanel
from tui.widgets.plot_text import PlotText
from tui.widgets.ticks import labels, nice_ticks, padded

RGB = tuple[int, int, int]
Ends = tuple[float, float] | FloatArray
"""A line's values at its two ends."""

# Okabe & Ito's palette for colour-vision deficiencies: no red/green pair, and each
# line also has its own mark, so the chart reads the same without colour.
SKY_BLUE: RGB = (86, 180, 233)
ORANGE: RGB = (230, 159, 0)
REDDISH_PURPLE: RGB = (204, 121, 167)
VERMILLION: RGB = (213, 94, 0)
BLUISH_GREEN: RGB = (0, 158, 115)
TRUTH_COLOR, UNTRAINED_COLOR, CURRENT_COLOR, SAMPLE_COLOR, RACE_COLOR = (
    SKY_BLUE,
    REDDISH_PURPLE,
    ORANGE,
    VERMILLION,
    BLUISH_GREEN,
)


@dataclass(frozen=True)
class Markers:
    """The plotext marker of each series, and how the legend writes it."""

    truth: str
    untrained: str
    current: str
    points: str
    sample: str
    error: str
    legend: tuple[str, str, str, str]
    """How the legend writes the truth, the data points, the untrained and the current line."""
    race: str = "x"
    """The racing trainer's line (a race, ``c``), written ``xx`` in the legend."""


UNICODE = Markers("braille", "·", "hd", "dot", "●", "braille", ("⠒⠒", "•", "··", "▄▄"))
"""A fine braille truth, a dotted untrained line, a bold block line for the neuron now, and
a line of x for a racing neuron."""
ASCII = Markers("*", ".", "+", "o", "#", "|", ("**", "o", "..", "++"))
"""``--ascii``: plain characters for fonts without braille or block elements."""
LINE_ART = "line art"
"""Not a plotext mark: the line drawn with box-drawing characters (─ ╱ ╲ │), see ``line_art``."""
WEB = Markers(LINE_ART, "·", "●", "•", "◆", "│", ("──", "•", "··", "●●"))
"""In a browser (``c2f-tui serve web``): its terminal (xterm.js) draws box-drawing and block
characters itself, to the pixel, and braille from a font, as faint dots. Half blocks there
are a thick staircase and a braille line a dotted one, like the untrained line's dots. So
a thin ruled truth, a line of beads for the neuron now, each a mark of a whole cell."""

FURNITURE_ROWS = 2
"""Rows of the plot spent on the x axis and its tick labels (no top frame, no axis titles:
the units are on the tick labels, the legend on the border)."""


class FitChart(ViewPanel, PlotText):
    """x = celsius, y = fahrenheit: the truth, the untrained neuron and the neuron now.

    The chart owns its series and redraws itself only on frames that redraw the
    charts and only when a moving line would be drawn on other dots (``_drawn_from``),
    so a converged or paused run costs no output at all. The legend is on the
    lower border, so it never covers the data; the title names the set-up.
    """

    SIZED_BY_LAYOUT = True

    DEFAULT_CSS = """
    FitChart {
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(
        self,
        dataset: Dataset,
        untrained: tuple[float, float],
        *,
        ascii_markers: bool = False,
        web: bool = False,
        id: str | None = None,  # noqa: A002 - Textual's name for it
    ) -> None:
        super().__init__(id=id)
        self._dataset = dataset
        self._untrained = untrained
        self.markers = ASCII if ascii_markers else WEB if web else UNICODE
        """The marks the lines are drawn with (the legend shows the same)."""
        c, f = dataset.celsius, dataset.fahrenheit
        self._x = np.array([float(c.min()), float(c.max())])
        self._x_ends = (float(self._x[0]), float(self._x[1]))
        """The chart's two ends in °C, where its lines are reckoned (``_ends``)."""
        self._xlim = padded(float(self._x[0]), float(self._x[1]), 0.02)
        truth = celsius_to_fahrenheit(self._x)
        low = min(float(f.min()), float(truth.min()))
        high = max(float(f.max()), float(truth.max()))
        self._ylim = padded(low, high, 0.08)
        self._weight, self._bias = untrained
        self._race: tuple[float, float] | None = None
        self._lines: frozenset[str] = frozenset(("truth", "untrained", "now"))
        self._highlight: int | None = None
        self._drawn: tuple[object, ...] | None = None
        self._thinned: tuple[tuple[int, int], FloatArray, FloatArray] | None = None
        self._canvas = (1, 1)
        self._titled: object = None
        """The titles' slice of the view last drawn (``_titles_part``; None: none yet)."""

    def part(self, view: View) -> object:
        if view.race is not None:
            return None  # the legend names what the racer changes
        trainer = view.trainer
        return (
            trainer.mode,
            trainer.condition_number,
            view.display,
            view.sample.index,
            view.sample.celsius,
            Charts.FIT in view.redraw_charts or view.settled,
            trainer.weight.value,
            trainer.bias.value,
            self._dark,
            self._monochrome,
        )

    def show(self, view: View) -> None:
        """Follow the current line and the explained sample, at the charts' own rate."""
        trainer = view.trainer
        self._set_titles(view)
        if not (Charts.FIT in view.redraw_charts or view.settled):
            return
        highlight = view.sample.index if view.display.marking else None
        self._weight, self._bias, self._highlight = (
            trainer.weight.value,
            trainer.bias.value,
            highlight,
        )
        race = view.race
        self._race = None if race is None else (race.weight.value, race.bias.value)
        self._lines = view.display.lines
        self.draw_if_moved()

    def draw_if_moved(self) -> None:
        """Put the figure together and draw it again if what its moving lines are drawn
        from changed (``_drawn_from``): else the picture shown is the one it would draw."""
        drawn_from = self._drawn_from()
        if drawn_from != self._drawn:
            canvas = self._canvas
            self.replot()
            # At the canvas it was drawn on (a first or resized figure sets it: ``fill_under``).
            self._drawn = drawn_from if self._canvas == canvas else self._drawn_from()

    def _drawn_from(self) -> tuple[object, ...]:
        """What the moving lines are drawn from, at the resolution each is drawn: plotext
        draws a line from its ends' dots on the canvas (half blocks: 2 × 2 a cell, one mark:
        a cell), the racer's cells follow from its ends at the neuron's mark's dots, and the
        sample's error from where it reaches. Two frames alike in this draw the same picture:
        the chart is put together and drawn again only when it differs (with the ends in
        braille dots, 49 to 67 of 81 redraws in a walk of small moves drew the picture already
        shown, and some changes were drawn a move late: tests/test_tui_chart_layers.py)."""
        current = self.markers.current
        highlight = self._highlight
        reach = None
        if highlight is not None and "now" in self._lines:
            error_dots = self._canvas[1] * factor(self.markers.error)[1]
            reach = to_dot(self._reach(highlight), self._ylim, error_dots)
        return (
            self._line_dots(self._weight, self._bias, current) if "now" in self._lines else None,
            None if self._race is None else self._line_dots(*self._race, current, ruled=False),
            reach,
            self._lines,
            highlight,
            self.markers,
            self.size,
            self._canvas,
            self._monochrome,
            self._dark,
        )

    def _line_dots(self, weight: float, bias: float, marker: str, *, ruled: bool = True) -> object:
        """The line's part inside the chart (``clip_to_band``) as it is drawn: its ends on
        the canvas's dots for ``marker`` (plotext's ``get_matrix_data``, whose walk between
        them is the line), or, in line art (``ruled``), its cells and characters."""
        segment = clip_to_band(self._x_ends, self._ends(weight, bias), self._ylim)
        if segment is None:
            return None
        xs, ys = segment
        columns, rows = self._canvas
        if marker == LINE_ART and ruled:
            if min(self._canvas) < 1:
                return ()
            return tuple(
                line_art((xs[0], xs[1]), (ys[0], ys[1]), (self._xlim, self._ylim), self._canvas)
            )
        across, down = factor(marker)
        return (
            *(to_dot(x, self._xlim, columns * across) for x in xs),
            *(to_dot(y, self._ylim, rows * down) for y in ys),
        )

    def _ends(self, weight: float, bias: float) -> tuple[float, float]:
        """A line's values at the chart's two ends: ``predict``'s, in Python's floats (the
        same products and sums; numpy's calls cost more than the sums for two values, and
        the moving lines' ends are reckoned at every frame that redraws the chart)."""
        weight, bias = float(weight), float(bias)
        return self._x_ends[0] * weight + bias, self._x_ends[1] * weight + bias

    def _reach(self, index: int) -> float:
        """Where the explained sample's error ends: the neuron's output for it, kept inside
        the chart (at its top if the output is not finite)."""
        output = float(self._dataset.celsius[index]) * float(self._weight) + float(self._bias)
        low, high = self._ylim
        return min(max(output, low), high) if math.isfinite(output) else high

    def _titles_part(self, view: View) -> object:
        """What the titles and the legend are made from (``_set_titles``), comparable with
        ``==``; None in a race (the legend names what the racer changes: drawn each time).
        While training only the line moves, and these stay."""
        if view.race is not None:
            return None
        trainer, display = view.trainer, view.display
        return (
            self.size.width,
            trainer.mode.optimizer,
            trainer.mode.standardized,
            trainer.condition_number,
            display.lines,
            display.marking,
            view.sample.celsius if display.marking else None,
            self._dark,
            self._monochrome,
        )

    def _set_titles(self, view: View) -> None:
        """The formula and the set-up on top, the legend below, each as long as fits; not
        made again while their slice of the view is the one last drawn (every training
        frame: before, both were written out, and the legend coloured, at each)."""
        titles_part = self._titles_part(view)
        if titles_part is not None and titles_part == self._titled:
            return
        self._titled = titles_part
        trainer = view.trainer
        width = max(self.size.width - 4, 10)  # the border's corners and a space each side
        mode = trainer.mode
        kappa = f"κ {number(trainer.condition_number, 4)}"
        inputs = _("standardised") if mode.standardized else _("raw")
        setup = f"{mode.optimizer} · {inputs} · {kappa}"
        titles = (
            f"fahrenheit = weight × celsius + bias · {mode.optimizer} · "
            + (_("standardised celsius") if mode.standardized else _("raw celsius"))
            + f" · {kappa}",
            f"°F = weight × °C + bias · {setup}",
            f"°F = w × °C + b · {setup}",
            f"°F = w × °C + b · {mode.optimizer} · {inputs}",
            setup,
        )
        legend = self._legend(view)
        with self.figure_unchanged():
            self.set_border_text(
                title=next((t for t in titles if _cells(t) <= width), titles[-1]),
                subtitle=next((t for t in legend if _cells(t) <= width), legend[-1]),
            )

    def _legend(self, view: View) -> tuple[str, ...]:
        """Each line's own mark and name, in its colour; the sample when one is explained."""
        truth, points, untrained, now = self.markers.legend
        plain = self._monochrome

        def mark(text: str, colour: RGB) -> str:
            red, green, blue = on_background(colour, dark=self._dark)
            return text if plain else f"[#{red:02x}{green:02x}{blue:02x}]{text}[/]"

        lines = view.display.lines
        entries = [f"{mark(truth, TRUTH_COLOR)} " + _("truth")]
        if "untrained" in lines:
            entries.append(f"{mark(untrained, UNTRAINED_COLOR)} " + _("untrained"))
        if "now" in lines:
            entries.append(f"{mark(now, CURRENT_COLOR)} " + _("now"))
        if not self._dataset.is_exact_line:
            entries.insert(1, f"{mark(points, TRUTH_COLOR)} " + _("data"))
        short = None
        if view.race is not None:
            from tui.widgets.race_row import race_label  # (imported with the first race)

            race = mark(self.markers.race * 2, RACE_COLOR)
            # Too narrow for what the racer changes: the race row under the charts says it.
            short = "  ".join((*entries, f"{race} " + _("race")))
            entries.append(f"{race} {race_label(view.trainer, view.race)}")
        full = "  ".join(entries)
        fallbacks = (full,) if short is None else (full, short)
        if view.display.marking:
            sample = f"{mark(self.markers.sample, SAMPLE_COLOR)} {view.sample.celsius:g} °C"
            return (f"{full}  {sample}", *fallbacks)
        return fallbacks

    @property
    def _monochrome(self) -> bool:
        return self.is_mounted and self.app.no_color

    @property
    def _dark(self) -> bool:
        """The theme's background is dark (the palette's colours as they are)."""
        return not self.is_mounted or self.app.current_theme.dark

    def on_resize(self) -> None:
        """The titles as long as the new width allows (``PlotText.on_resize`` replots)."""
        if self.view is not None:
            self._set_titles(self.view)

    def under(self) -> object:
        """What the truth, the data and the untrained line are drawn with (``fill_under``)."""
        return (
            "untrained" in self._lines,
            self._untrained,
            self.markers,
            self._monochrome,
            self._dark,
        )

    def fill_over(self) -> None:
        """The lines that move (the neuron's, the racer's, the explained sample's), drawn
        over those that stay (``fill_under``)."""
        if "now" in self._lines:
            self._line(self._ends(self._weight, self._bias), self.markers.current, CURRENT_COLOR)
        if self._race is not None:
            self._race_line(self._ends(*self._race))
        if self._highlight is not None:
            self._mark_sample(self._highlight, self.markers)

    def fill_under(self) -> None:
        """The axes, the truth, the untrained line and the data: what stays while the neuron
        learns (``PlotText`` keeps plotext's picture of it and draws the rest over it)."""
        plt = self.plt
        plt.clear_data()
        markers = self.markers
        xticks = nice_ticks(float(self._x[0]), float(self._x[1]), 5)
        # At least 4: on a short chart 2 or 3 may round to a single tick (0 of -72..134).
        most = max(4, min(6, (self.size.height - FURNITURE_ROWS) // 2))
        yticks = nice_ticks(*self._ylim, most)
        ylabels = labels(yticks)
        self._canvas = (
            self.size.width - 1 - max((len(label) for label in ylabels), default=0),  # y axis
            self.size.height - FURNITURE_ROWS,
        )
        self._line(celsius_to_fahrenheit(self._x), markers.truth, TRUTH_COLOR)
        if "untrained" in self._lines:
            self._line(predict(self._x, *self._untrained), markers.untrained, UNTRAINED_COLOR)
        if not self._dataset.is_exact_line:
            c, f = self._samples_to_draw()  # under the neuron's line: it is what moves
            plt.scatter(
                c.tolist(), f.tolist(), marker=markers.points, color=self._colour(TRUTH_COLOR)
            )
        plt.xaxes(True, False)
        plt.yaxes(True, False)
        plt.xlim(*self._xlim)
        plt.ylim(*self._ylim)
        plt.xticks(xticks, _with_unit(labels(xticks), "°C"))
        plt.yticks(yticks, ylabels)  # the title's "°F = …" names this axis

    def _colour(self, colour: RGB) -> RGB | str:
        """The colour, or the terminal's own when colours are off (NO_COLOR turns them to
        greys, some too dark to read)."""
        return "default" if self._monochrome else on_background(colour, dark=self._dark)

    def _line(self, ends: Ends, marker: str, colour: RGB) -> None:
        """Draw the straight line through (x ends, ``ends``), cut to the visible band.

        plotext walks a line dot by dot, so a line whose ends are far off the
        chart (a diverged weight of −2710 reaches ±135,000 °F) would cost
        seconds; only the part inside the y-range is handed to it.
        """
        segment = clip_to_band(self._x, ends, self._ylim)
        if segment is None:
            return
        xs, ys = segment
        if marker != LINE_ART:
            self.plt.plot(xs, ys, marker=marker, color=self._colour(colour))
            return
        if min(self._canvas) < 1:
            return
        ruled = line_art((xs[0], xs[1]), (ys[0], ys[1]), (self._xlim, self._ylim), self._canvas)
        if ruled:
            self.plt.scatter(
                [cell_centre(column, self._xlim, self._canvas[0]) for column, _r, _c in ruled],
                [cell_centre(row, self._ylim, self._canvas[1]) for _c, row, _ch in ruled],
                marker=[character for _c, _r, character in ruled],  # type: ignore[arg-type]
                color=self._colour(colour),
            )

    def _race_line(self, ends: Ends) -> None:
        """The racer's line, on the cells the neuron's line would light with the same
        weights, and over it on every other cell: where the two lines meet, both show.

        A mark of one character rounds on its own, coarser grid (it was drawn a row off the
        neuron's line with identical weights, and hidden under it where they met), so its
        cells come from the neuron's mark's finer grid (``tui.widgets.cells``).
        """
        segment = clip_to_band(self._x, ends, self._ylim)
        if segment is None:
            return
        canvas = self._canvas
        if min(canvas) < 1:
            return
        xs, ys = segment
        limits = (self._xlim, self._ylim)
        cells = line_cells((xs[0], xs[1]), (ys[0], ys[1]), limits, canvas, self.markers.current)
        if "now" in self._lines:
            cells = cells[::2]  # dashed, so that the neuron's line shows between
        self.plt.scatter(
            [cell_centre(column, self._xlim, canvas[0]) for column, _row in cells],
            [cell_centre(row, self._ylim, canvas[1]) for _column, row in cells],
            marker=self.markers.race,
            color=self._colour(RACE_COLOR),
        )

    def _samples_to_draw(self) -> tuple[FloatArray, FloatArray]:
        """One sample per dot the chart can show, so thousands of samples draw as fast as 100.

        plotext's cost grows with the points given (about 0.4 s for 100,000), not
        with the dots lit; samples that would land on the same dot of this
        widget's grid (2×4 braille dots per cell) are drawn once. Recomputed
        only when the widget's size changes.
        """
        size = (max(self.size.width, 1), max(self.size.height, 1))
        if self._thinned is None or self._thinned[0] != size:
            c, f = self._dataset.celsius, self._dataset.fahrenheit
            columns, rows = size[0] * 2, size[1] * 4
            (x_low, x_high), (y_low, y_high) = padded(float(c.min()), float(c.max())), self._ylim
            x = np.clip((c - x_low) / (x_high - x_low) * columns, 0, columns).astype(np.int64)
            y = np.clip((f - y_low) / (y_high - y_low) * rows, 0, rows).astype(np.int64)
            _unique, first = np.unique(x * (rows + 1) + y, return_index=True)
            first.sort()
            self._thinned = (size, c[first], f[first])
        return self._thinned[1], self._thinned[2]

    def _mark_sample(self, index: int, markers: Markers) -> None:
        """The sample as a dot, and a vertical segment from it to the prediction: its error."""
        plt = self.plt
        c = float(self._dataset.celsius[index])
        f = float(self._dataset.fahrenheit[index])
        reach = self._reach(index)
        colour = self._colour(SAMPLE_COLOR)
        if "now" in self._lines:  # the error: only beside a prediction
            plt.plot([c, c], [f, reach], marker=markers.error, color=colour)
        plt.scatter([c], [f], marker=markers.sample, color=colour)


@lru_cache(maxsize=256)
def _cells(markup: str) -> int:
    """The cells a title or legend takes (kept: the same few are measured every frame)."""
    return Content.from_markup(markup).cell_length


def _with_unit(texts: list[str], unit: str) -> list[str]:
    """Tick labels with the unit after the last one: the axes say what they measure."""
    return [*texts[:-1], f"{texts[-1]} {unit}"] if texts else texts


def clip_to_band(
    x: Ends, y: Ends, band: tuple[float, float]
) -> tuple[list[float], list[float]] | None:
    """The part of the segment from (x0, y0) to (x1, y1) with y inside ``band``, or None."""
    x0, x1 = (float(value) for value in x)
    y0, y1 = (float(value) for value in y)
    if not all(math.isfinite(v) for v in (y0, y1)):
        return None
    low, high = band
    if y0 == y1:
        return ([x0, x1], [y0, y1]) if low <= y0 <= high else None
    t_low, t_high = (low - y0) / (y1 - y0), (high - y0) / (y1 - y0)
    start, end = max(0.0, min(t_low, t_high)), min(1.0, max(t_low, t_high))
    if start > end:
        return None
    xs = [x0 + (x1 - x0) * start, x0 + (x1 - x0) * end]
    ys = [y0 + (y1 - y0) * start, y0 + (y1 - y0) * end]
    return xs, ys
