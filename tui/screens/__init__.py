"""Screens: the trainer's own (main), and those shown over it: help, the learning-rate dialog,
the command palette."""
