"""c2f-tui's Textual front end: it renders what ``core`` yields and sends keys back.

The layers, each importing only those before it (``tests/test_layers.py`` checks):

* ``model/``   – a session's state without Textual: the ``Controller`` that owns it, the
  driver that pulls ``core``'s step generator, the race, and the ``View`` of each frame;
  ``lesson/`` (the chapters, and the learner's progress in them) belongs to this layer;
* ``widgets/`` and ``screens/`` – the panels, each drawing its part of the ``View``, and
  the screens (the trainer's own, help, the dialogs, the palette);
* ``app.py``   – the Textual app: keys bound to the controller, its answers shown;
* ``cli/``     – the command line, headless runs, and starting the app on a terminal;
* ``serve/``   – ``c2f-tui serve ssh|web``, which runs the command line for each learner.

Beside them: ``keys`` (every key: bindings, Footer, help, palette), ``i18n`` (every
user-facing string), ``format`` (numbers as the screen writes them), ``settings`` (one
run's options), ``themes``, ``notices`` and ``key_order`` (two ways around Textual's
own behaviour), ``core_words`` (core's words, for the catalog).
"""
