"""``c2f-tui serve ssh|web``: one machine serves a whole class, each learner their own trainer.

Imported only when ``c2f-tui serve`` runs (the plain trainer never loads it); this
package file stays empty because every served session's entry point,
``tui.serve.session``, lives below it. The pieces, one purpose each:

* ``options``  – the command line of ``serve`` and what it refuses;
* ``command``  – the entry point: check the ``serve`` extra, run a server until a signal;
* ``hostkey``  – the SSH host key, made once and reused;
* ``sessions`` – how many learners are on, the log line per session, idle time-outs;
* ``process``  – starting a session's own ``c2f-tui`` process and ending it, with no orphan;
* ``ssh``      – the SSH server (asyncssh), a pseudo-terminal per session;
* ``web``      – the browser server (textual-serve);
* ``session``  – what each served process runs first.
"""
