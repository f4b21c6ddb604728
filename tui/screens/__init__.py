"""Screens: the trainer's own (``main``, which places the panels), and those shown over it:
help, the dialogs that ask for a value (``ask`` and its rate, sample and seek dialogs), and
the command palette. A dialog returns its answer to the app, which hands it to the
controller; no screen reaches into the app."""
