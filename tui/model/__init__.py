"""A session's state, without Textual: what the screen shows is built here, once per frame.

* ``controller`` – the one owner of a session's state; one method per command, each
  returning what to tell the learner;
* ``driver``     – one per trainer: pulls ``core``'s step generator at a pace, seeks, holds;
* ``pace``       – how many iterations per second a running trainer advances;
* ``outlook``    – what the closed form predicts (stability, divergence, arrival);
* ``race``       – a second trainer racing the first, and what ``--compare`` names;
* ``view``       – the frozen ``View`` of one frame, which every panel draws from.
"""
