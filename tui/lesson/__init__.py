"""Lesson mode: the tutorial, chapter by chapter, on the live trainer.

``chapters`` reads the words (one Markdown file per language), ``stages`` says
what each chapter sets up and which steps it checks, ``progress`` watches the
frames for those steps, ``placeholders`` fills the live numbers into the words,
and ``control`` puts the app into a chapter's state. The pane that shows it is
``tui.widgets.lesson_pane``.
"""
