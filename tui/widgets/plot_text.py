"""plotext's picture as Rich text, each distinct line decoded once (issue 20).

textual-plotext turns plotext's output into Rich text with ``Text.from_ansi`` at
every render: about as long as plotext takes to build the picture. Between two
renders most lines are the same (the axes, the rows the lines do not cross), so
``PlotText`` decodes each line once, with Rich's own decoder, and keeps it: the
result is ``Text.from_ansi``'s.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rich.ansi import AnsiDecoder
from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual_plotext import PlotextPlot

LINE_END = re.compile(r"(?<=\n)")
"""Where ``AnsiDecoder.decode`` splits the output into lines."""


@lru_cache(maxsize=2048)
def decoded(style: Style, line: str) -> tuple[Text, Style]:
    """One line as ``AnsiDecoder`` decodes it when the style so far is ``style``; and the
    style after it (a line can leave its colour on for the next)."""
    decoder = AnsiDecoder()
    decoder.style = style
    return decoder.decode_line(line), decoder.style


def from_ansi(output: str) -> Text:
    """``Text.from_ansi(output)``, from the lines decoded before where it can."""
    style = Style.null()
    lines = []
    for line in LINE_END.split(output):
        text, style = decoded(style, line.rstrip("\n"))
        lines.append(text)
    return Text("\n", tab_size=8).join(lines)  # join copies: the kept lines stay as they are


class PlotText(PlotextPlot):
    """A textual-plotext plot whose picture becomes text line by line (``from_ansi``)."""

    def render(self) -> RenderableType:
        # textual-plotext's PlotextPlot.render, but for the last line.
        plot = self.plt
        plot.plotsize(self.size.width, self.size.height)
        plot._set_size(self.size.width, self.size.height)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        return from_ansi(plot.build())
