"""What the user reads, in their language: English by default (Simplified Chinese to come).

Every user-facing string of the TUI and the CLI goes through ``_()`` *when it is
shown*, not when its module is imported, so the language chosen on the command
line applies to all of it:

* text built at run time: ``_("Learning rate")``, ``_("{n} rows written").format(n=...)``
  (placeholders by name, so a translation can reorder them);
* tables defined at module level hold message ids marked with ``N_()`` (which
  returns its argument unchanged, only marking it for extraction) and call
  ``_()`` on them where they are displayed;
* plural forms: ``ngettext("{n} iteration", "{n} iterations", n).format(n=n)``.

Formulas and numbers (``weight ← weight − lr × gradient``) are not sentences and
stay as they are; so do the JSON keys of headless output (an interface).
Do not use ``_`` as a throwaway variable name in modules that translate.
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language() -> str:
    """The current language's code (``en``): text kept outside the catalog, such as the
    lesson's chapters (``tui.lesson``), is chosen by it."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language (itself, in English)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for the count ``n``, in the current language."""
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (module-level tables)."""
    return message
