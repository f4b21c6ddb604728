"""Notices that the app takes down itself, one at a time, instead of Textual's clock.

A module of its own because it works around Textual rather than wiring the trainer:
Textual expires a notice by the wall clock, and a screen that opens re-creates the
toasts of live notices, checking that each has time left and then reading the time
left again. A notice that runs out in between arms its toast's timer with a negative
interval, and Textual's timer then spins forever without yielding (issue 14: the app
froze at 100 % CPU after a few thousand mashed keys). Here every notice is given a
shelf life no clock reaches, and one one-shot timer of the app's removes it.
"""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel
from textual.timer import Timer

NOTICE_SHELF_LIFE = 7 * 24 * 3600.0
"""The timeout Textual is given for a notice, so that by its clock none ever runs out:
the app's own timer removes each (see ``TimedNotices.notify``)."""


OVER_TEXT_TIMEOUT = 2.5
"""Seconds a notice stays where it covers the text a learner is reading (the lesson or
the code, below 34 rows at 80 columns) if the screen says its gist too (``Outcome.echoed``):
a "Race" notice hid three lines of the lesson for five seconds."""


class TimedNotices(App[None]):
    """An app whose notices expire on its own timer; a new notice replaces the last."""

    _notice_timer: Timer | None = None
    """The one-shot timer that will take the notice on screen down."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show one notice at a time (a new one replaces the last) for ``timeout`` seconds.

        The app's own one-shot timer removes it (see the module docstring for why
        not Textual's clock). Textual's own notices (ctrl+c, the theme,
        screenshots) come here too.
        """
        seconds = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self.clear_notifications()
        for screen in self.screen_stack:
            # Textual removes a cleared notice's toast but leaves its holder in the rack,
            # holding the toast's last layout: one more widget kept for every notice.
            screen.query("ToastHolder").remove()
        if self._notice_timer is not None:
            self._notice_timer.stop()
            self._notice_timer = None
        if not seconds > 0:  # as in Textual: a notice with no time left is not shown
            return
        super().notify(
            message, title=title, severity=severity, timeout=NOTICE_SHELF_LIFE, markup=markup
        )
        seconds = min(seconds, NOTICE_SHELF_LIFE)
        self._notice_timer = self.set_timer(seconds, self.clear_notifications, name="notice")
