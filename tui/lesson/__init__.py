"""Lesson mode: the tutorial, chapter by chapter, on the live trainer.

``chapters`` reads the words (one Markdown file per language), ``stages`` says
what each chapter sets up and which steps it checks, ``progress`` watches the
frames for those steps (``state`` holds what it reports, which the frame
carries), and ``placeholders`` fills the live numbers into the words. The
session's owner (``tui.model.controller``) opens and turns the chapters; the
pane that shows them is ``tui.widgets.lesson_pane``. Nothing here imports Textual.
"""
