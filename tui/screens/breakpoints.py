"""The classes a screen takes from the terminal's size, given before its first layout.

Textual gives a screen its breakpoint classes (``-narrow``, ``-short`` …) when its first
``Resize`` arrives, after the first layout and paint; the trainer's screen and the kept
dialogs take them as they are made, so that the ``Resize`` finds them in place and
nothing is styled or laid out twice (issue 20). Both ask this module, which computes
them as ``Screen._on_resize`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.screen import Screen


def breakpoint_classes(screen: Screen[Any], size: Size) -> dict[str, bool]:
    """Each breakpoint class of ``screen`` (its own breakpoints, else the app's), True for
    the one Textual would give it at ``size`` in each direction, False for the others."""
    app = screen.app
    horizontal = (
        app.HORIZONTAL_BREAKPOINTS
        if screen.HORIZONTAL_BREAKPOINTS is None
        else screen.HORIZONTAL_BREAKPOINTS
    ) or []
    vertical = (
        app.VERTICAL_BREAKPOINTS
        if screen.VERTICAL_BREAKPOINTS is None
        else screen.VERTICAL_BREAKPOINTS
    ) or []
    classes = {name: False for _, name in horizontal + vertical}
    for dimension, breakpoints in ((size.width, horizontal), (size.height, vertical)):
        passed = [(at, name) for at, name in breakpoints if dimension >= at]
        if passed:
            classes[max(passed)[1]] = True  # the highest passed, as Textual's sorted(reverse)
    return classes
