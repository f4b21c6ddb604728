"""The numbers the help screen states, against the engine (issue 23's review of item 7): it
called the tutorial's valley "834 times longer than it is wide", but 834 is κ, the ratio of
the curvatures; the axes' ratio is √κ ≈ 28.9."""

from __future__ import annotations

import io
import math
import re

import pytest
from rich.console import Console

from core import Dataset, LossSurface
from tui import i18n
from tui.screens.help import guide

WORDS = {
    "en": (r"about (\d+) times longer than it is wide", r"curvatures differ (\d+)-fold"),
    "zh": (r"长约为宽 (\d+) 倍", r"曲率相差 (\d+) 倍"),
}


def help_text() -> str:
    """The help screen's guide as it renders, unwrapped."""
    console = Console(width=1000, record=True, file=io.StringIO())
    console.print(guide())
    return console.export_text()


@pytest.mark.parametrize("language", sorted(WORDS))
def test_the_valley_is_root_kappa_times_longer_than_wide_and_its_curvatures_kappa(
    language: str,
) -> None:
    kappa = LossSurface.of(Dataset.tutorial()).condition_number
    assert kappa == pytest.approx(833.75)
    i18n.set_language(language)
    try:
        text = help_text()
    finally:
        i18n.set_language("en")
    axes, curvatures = (re.search(pattern, text) for pattern in WORDS[language])
    assert axes is not None and curvatures is not None, text
    assert int(axes.group(1)) == round(math.sqrt(kappa)) == 29
    assert int(curvatures.group(1)) == round(kappa)
