"""The loss landscape: shaded bands of log-loss over (bias, weight), the path, the optimum;
in hands mode (``h``) also the hand's path and the way downhill (−gradient) from the neuron."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len as cells

from core import LossSurface
from core.landscape import Window, loss_bands, loss_grid, valley_window
from core.types import FloatArray
from tui.format import number
from tui.i18n import _
from tui.model.view import Charts, View
from tui.widgets.panel import ViewPanel
from tui.widgets.plot_text import PlotText
from tui.widgets.ticks import labels, nice_ticks

PATH_COLOR = (240, 228, 66)
"""Okabe & Ito's yellow."""
NOW_COLOR = (230, 159, 0)
"""Okabe & Ito's orange: the neuron now, as on the fit chart."""
OPTIMUM_COLOR = "default"
"""The terminal's own foreground: the brightest mark on the bands."""
BAND_COLORS = (60, 67, 74, 110, 153)
"""256-colour shades from the high walls (dim) to the valley floor (bright)."""
ARROW_COLOR = (213, 94, 0)
"""Okabe & Ito's vermillion: the way downhill in hands mode."""
ARROW_SHARE = 0.3
"""The arrow's length, as a share of the chart's smaller side (in cells): it shows the
gradient's direction; its size is in the parameter panels."""


@dataclass(frozen=True)
class Shading:
    """Marks for each band, from the walls (band 0) to the floor, and for the points."""

    bands: tuple[str, ...]
    path: str
    now: str
    optimum: str
    legend_path: str
    """How the legend writes the path's mark."""
    hand: str
    """The points the hand set (hands mode)."""
    tips: tuple[str, ...]
    """The arrow's head pointing east, north-east, north, … (counter-clockwise, 45° apart)."""


UNICODE = Shading(
    ("·", "░", "▒", "▓", "█"),
    "braille",
    "●",
    "✕",
    "⠒",
    "+",
    ("→", "↗", "↑", "↖", "←", "↙", "↓", "↘"),
)
ASCII = Shading(
    (".", ":", "+", "#", "@"), "*", "O", "X", "*", "h", (">", "/", "^", "\\", "<", "/", "v", "\\")
)


class LandscapeChart(ViewPanel, PlotText):
    """The loss over (bias, weight) as bands, each a quarter of the excess loss above it.

    x is the bias, y the weight: the valley (along which only the bias is
    poorly determined) runs across the chart, the steep walls (the weight)
    above and below it. The path the parameters took is drawn over the
    bands, with the current point and the optimum. Redraws only when the
    current point moves to another cell or the view changes.
    """

    DEFAULT_CSS = """
    LandscapeChart {
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(
        self,
        surface: LossSurface,
        untrained: tuple[float, float],
        *,
        ascii_markers: bool = False,
        id: str | None = None,  # noqa: A002 - Textual's name for it
    ) -> None:
        super().__init__(id=id)
        self._surface = surface
        self._reference = surface.loss(*untrained)
        self.shading = ASCII if ascii_markers else UNICODE
        """The marks this chart draws with (its legend uses them too)."""
        self._weights: FloatArray = np.array([untrained[0]])
        self._biases: FloatArray = np.array([untrained[1]])
        self._window = valley_window(surface, self._weights, self._biases)
        self._hands: tuple[tuple[float, float], ...] = ()
        """The points the hand set, in hands mode (empty otherwise)."""
        self._drawn: tuple[object, ...] | None = None

    def show(self, view: View) -> None:
        """Draw the run's path over the bands, the last point being the neuron now."""
        trainer = view.trainer
        with self.figure_unchanged():
            self.set_border_text(
                title=_("loss landscape · κ {kappa}").format(
                    kappa=number(trainer.landscape_condition_number, 4)
                ),
                subtitle=self.legend(max(self.size.width - 4, 20), hands=view.hands is not None),
            )
        if view.trajectory is not None and Charts.FIT in view.redraw_charts:
            self._hands = () if view.hands is None else view.hands.path
            self.follow(view.trajectory.weights, view.trajectory.biases)

    def legend(self, width: int, *, hands: bool = False) -> str:
        """What the marks mean, in at most ``width`` cells if it can: brighter bands are
        lower where colour shows it; without colour (NO_COLOR) or in ``--ascii``, the marks
        themselves, from high to low loss. In hands mode, the hand's marks and the arrow."""
        shading = self.shading
        points = _("{path} path {now} now {optimum} optimum").format(
            path=shading.legend_path, now=shading.now, optimum=shading.optimum
        )
        if hands:
            points = _("{hand} hand {now} now {tip} −gradient {optimum} optimum").format(
                hand=shading.hand, now=shading.now, tip=shading.tips[0], optimum=shading.optimum
            )
        coloured = self.is_mounted and not self.app.no_color and shading is UNICODE
        if coloured:
            text = _("brighter is lower") + f" · {points}"
            return points if hands and cells(text) > width else text
        candidates = [
            _("{marks} high → low loss").format(marks=" ".join(shading.bands)) + f" · {points}",
            _("{marks} high→low").format(marks=" ".join(shading.bands)) + f" · {points}",
            _("{marks} high→low").format(marks="".join(shading.bands)) + f" · {points}",
        ]
        return next((text for text in candidates if cells(text) <= width), candidates[-1])

    def follow(self, weights: FloatArray, biases: FloatArray) -> None:
        """Draw the path through these parameters, the last being the current point."""
        finite = np.isfinite(weights) & np.isfinite(biases)
        if not finite.any():
            return
        weights, biases = weights[finite], biases[finite]
        framed_weights, framed_biases = weights, biases
        if self._hands:  # the window holds the hand's points too
            hand_weights, hand_biases = np.array(self._hands).T
            framed_weights = np.concatenate([weights, hand_weights])
            framed_biases = np.concatenate([biases, hand_biases])
        with np.errstate(over="ignore", invalid="ignore"):
            window = valley_window(self._surface, framed_weights, framed_biases)
        if not self._drawable(window):
            return  # a path too far out to draw (a diverged rate near 1e308): keep the last
        self._weights, self._biases, self._window = weights, biases, window
        key = (
            self._cell(self._weights[-1], self._biases[-1]),
            self._window,
            self.size,
            tuple(self._cell(*point) for point in self._hands),
        )
        if key != self._drawn:
            self._drawn = key
            self.replot()

    @staticmethod
    def _drawable(window: Window) -> bool:
        """The window's ends are finite, and so are its width and height, which are > 0."""
        spans = (window.bias_high - window.bias_low, window.weight_high - window.weight_low)
        ends = (window.weight_low, window.weight_high, window.bias_low, window.bias_high)
        return all(math.isfinite(value) for value in (*ends, *spans)) and min(spans) > 0

    def _cell(self, weight: float, bias: float) -> tuple[int, int]:
        """Which character cell of the view a point falls in."""
        window = self._window
        columns, rows = max(self.size.width, 1), max(self.size.height, 1)
        x = (bias - window.bias_low) / (window.bias_high - window.bias_low) * columns
        y = (weight - window.weight_low) / (window.weight_high - window.weight_low) * rows
        return int(x), int(y)

    def fill(self) -> None:
        """The bands, the path and the points, for the present size."""
        plt = self.plt
        plt.clear_data()
        window, shading = self._window, self.shading
        columns, rows = max(self.size.width, 2), max(self.size.height, 2)
        biases = np.linspace(window.bias_low, window.bias_high, columns)
        weights = np.linspace(window.weight_low, window.weight_high, rows)
        losses = loss_grid(self._surface, weights, biases)
        bands = np.minimum(loss_bands(self._surface, losses, self._reference), len(BAND_COLORS) - 1)
        grid_w, grid_b = np.meshgrid(weights, biases, indexing="ij")
        for band, (mark, color) in enumerate(zip(shading.bands, BAND_COLORS, strict=True)):
            chosen = bands == band
            if chosen.any():
                plt.scatter(
                    grid_b[chosen].tolist(), grid_w[chosen].tolist(), marker=mark, color=color
                )
        plt.plot(
            self._biases.tolist(), self._weights.tolist(), marker=shading.path, color=PATH_COLOR
        )
        plt.scatter(
            [self._surface.optimum_bias],
            [self._surface.optimum_weight],
            marker=shading.optimum,
            color=OPTIMUM_COLOR,
        )
        if self._hands:
            self._hand_marks(window, columns, rows)
        plt.scatter(
            [float(self._biases[-1])],
            [float(self._weights[-1])],
            marker=shading.now,
            color=NOW_COLOR,
        )
        self._axes(window)

    def _hand_marks(self, window: Window, columns: int, rows: int) -> None:
        """The points the hand set, and an arrow from the neuron the way the loss falls
        fastest (−gradient), whose direction on the chart is the parameters' own."""
        plt, shading = self.plt, self.shading
        hand_weights, hand_biases = (list(column) for column in zip(*self._hands, strict=True))
        plt.scatter(hand_biases, hand_weights, marker=shading.hand, color=NOW_COLOR)
        weight, bias = float(self._weights[-1]), float(self._biases[-1])
        grad_weight, grad_bias = self._surface.gradient(weight, bias)
        bias_per_cell = (window.bias_high - window.bias_low) / columns
        weight_per_cell = (window.weight_high - window.weight_low) / rows
        # cells are about twice as tall as wide: a row counts as two columns
        across, up = -grad_bias / bias_per_cell, -2.0 * grad_weight / weight_per_cell
        size = math.hypot(across, up)
        if not (math.isfinite(size) and size > 0):
            return  # at the optimum (or beyond float64): no way down to show
        length = ARROW_SHARE * min(columns, 2 * rows)
        tip_bias = bias + across / size * length * bias_per_cell
        tip_weight = weight + up / size * length * weight_per_cell / 2.0
        plt.plot([bias, tip_bias], [weight, tip_weight], marker=shading.path, color=ARROW_COLOR)
        heading = round(math.atan2(up, across) / (math.pi / 4)) % 8
        plt.scatter([tip_bias], [tip_weight], marker=shading.tips[heading], color=ARROW_COLOR)

    def _axes(self, window: Window) -> None:
        plt = self.plt
        plt.xlim(window.bias_low, window.bias_high)
        plt.ylim(window.weight_low, window.weight_high)
        xticks = nice_ticks(window.bias_low, window.bias_high, 5)
        yticks = nice_ticks(window.weight_low, window.weight_high, max(3, self.size.height // 3))
        plt.xticks(xticks, labels(xticks))
        plt.yticks(yticks, labels(yticks))
        # The tutorial's variable names, as in the formulas, in every language: plotext
        # counts characters, and a Chinese one takes two cells (the border says the rest).
        plt.xlabel("bias")
        plt.ylabel("weight")
