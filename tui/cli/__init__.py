"""The command line: ``c2f-tui [options]`` checked into one ``tui.settings.Settings``, then run.

* ``main``     – the entry point (``c2f-tui``, ``python -m tui``): language, parse, start;
* ``parser``   – argparse as this program needs it (one-line refusals, exit 2);
* ``options``  – every trainer option, checked into ``Settings``;
* ``start``    – data and export checked, then headless or the screen;
* ``headless`` – ``--headless``/``--json``: training without Textual, a summary;
* ``exits``    – exit statuses, signals as requests, crash reports (shared by both runs);
* ``terminal`` – running the Textual app so that every ending restores the terminal;
* ``collector`` – Python's garbage collector paused while the modules load and to the first frame.

It sits above everything else in ``tui``: nothing but ``tui.serve`` (which reuses the parser
and the options) imports it.
"""
