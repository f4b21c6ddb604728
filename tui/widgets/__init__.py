"""The panels of the trainer's screen, one per module, each drawing its part of the ``View``.

A panel is bound to ``MainScreen.view`` (``tui.screens.main``) and never asks the trainer
for a number of its own, so two panels cannot disagree. ``panel`` has their common base;
``ticks`` and ``line_breaks`` are the charts' axes and the lesson pane's line breaking.
A new panel is one module here and one ``yield`` in ``MainScreen.compose``.
"""
