"""Core's words for people, as message ids, so the screen can show them translated.

``core`` is headless and speaks English (its texts are an interface too, for scripts);
the optimizers describe themselves there (``title``, ``summary``). Their texts are
marked here for the catalog, and the TUI passes them through ``_()`` where it shows
them. tests/test_i18n_catalog.py checks that every optimizer's texts are here, so a
changed or new sentence in core is noticed, not shown in English.
"""

from __future__ import annotations

from tui.i18n import N_

OPTIMIZER_WORDS = (
    N_("gradient descent"),
    N_(
        "Plain gradient descent, the tutorial's: each step is the learning rate times the gradient."
    ),
    N_("momentum"),
    N_(
        "Momentum (β 0.9): a velocity accumulates the gradients, so steps along the valley "
        "grow about tenfold."
    ),
    N_("Adam"),
    N_(
        "Adam: each parameter's step is scaled by its own gradient history, about one "
        "learning rate long (Keras' example uses 0.1)."
    ),
)
"""Each optimizer's ``title`` and ``summary`` (core.optimizers), as core writes them."""
