"""Colour themes: Textual's own, and one of high contrast for a projector.

A projector washes out dark backgrounds and pale colours, so ``high-contrast``
is black on white with deep, saturated accents and no translucent text. Any of
Textual's built-in themes can be chosen by name as well (``--theme nord``).
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

HIGH_CONTRAST = "high-contrast"
"""The projector theme's name on the command line and in the palette."""

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#0033B3",
    secondary="#002266",
    accent="#8B008B",
    warning="#8A4B00",
    error="#B00020",
    success="#006B1F",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E6E6E6",
    dark=False,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#0033B3",
        "block-cursor-background": "#0033B3",
        "block-cursor-foreground": "#FFFFFF",
    },
)
"""Black on white; every accent at least 7:1 against the white background."""


LIGHT_SHADE = 0.7
"""On a light background the charts' colours are darkened by this factor: Okabe & Ito's sky
blue and orange are made for dark ones and fade on white (a projector fades them more)."""


def on_background(colour: tuple[int, int, int], *, dark: bool) -> tuple[int, int, int]:
    """``colour`` as drawn on a dark background, or darkened for a light one.

    >>> on_background((86, 180, 233), dark=False)
    (60, 126, 163)
    """
    if dark:
        return colour
    red, green, blue = (round(channel * LIGHT_SHADE) for channel in colour)
    return red, green, blue


def theme_names() -> list[str]:
    """Every theme ``--theme`` accepts, Textual's first."""
    return [*BUILTIN_THEMES, HIGH_CONTRAST]
