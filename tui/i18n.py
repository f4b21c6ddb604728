"""What the user reads, in their language: one of ``TABLE``'s (English is the default).

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

The language is chosen once, before any text is built (``tui.cli.main.main``): ``--lang CODE``,
else the environment in gettext's order (``choose``). The catalogs are gettext's
(``tui/locale/<locale>/LC_MESSAGES/c2f-tui.po``, compiled to ``.mo`` beside it; see
docs/translating.md), loaded by an explicit language code: a value from the
environment only ever selects one of ``LANGUAGES``, it never becomes part of a path.

A language is one row of ``TABLE``, its catalog and its lesson (``tui/lesson/<code>.md``);
everything that lists languages (``--lang``, its help, the environment's reading, the
tests) reads the table.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DOMAIN = "c2f-tui"
"""The gettext domain: the catalogs are ``<lang>/LC_MESSAGES/c2f-tui.mo``."""
LOCALE_DIR = Path(__file__).parent / "locale"
"""Where the catalogs are, inside the package (installed with it)."""


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (module-level tables)."""
    return message


@dataclass(frozen=True)
class Language:
    """One language the app speaks."""

    code: str
    """What ``--lang`` takes, and the name of its lesson file, ``tui/lesson/<code>.md``."""
    name: str
    """Its name in English, for ``--help`` (a message id)."""
    catalog: str | None
    """Its catalog's locale, ``tui/locale/<catalog>/``; None: the message ids themselves."""
    environment: tuple[str, ...]
    """The language parts of environment values (``zh`` of ``zh_CN.UTF-8``) that mean it."""


TABLE = (
    Language("en", N_("English"), None, ("en", "c", "posix")),
    Language("zh", N_("Simplified Chinese"), "zh_CN", ("zh",)),
)
"""Every language; the first is the default, and what an environment no row claims means."""
LANGUAGES = tuple(language.code for language in TABLE)
"""The languages the user may choose, as ``--lang`` takes them."""
CATALOGS = {language.code: language.catalog for language in TABLE if language.catalog}
"""The catalog of each language that has one (English is the message ids themselves)."""
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""The variables gettext reads, in its order: the first one set (and not empty) decides."""

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = LANGUAGES[0]


def language() -> str:
    """The current language's code (one of ``LANGUAGES``): text kept outside the catalog, such
    as the lesson's chapters (``tui.lesson``), is chosen by it."""
    return _language


def set_language(code: str) -> None:
    """Show everything from now on in ``code`` (one of ``LANGUAGES``)."""
    global _translations, _language
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; the languages are {', '.join(LANGUAGES)}")
    catalog = CATALOGS.get(code)
    if catalog is None:
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[catalog])
    _language = code


def from_environment(environ: Mapping[str, str]) -> str:
    """The language the environment asks for, read as gettext reads it.

    The first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set and not
    empty decides. ``LANGUAGE`` may list several languages (``fr:zh_CN:en``): the first
    one we have wins, as gettext falls back along the list. A value's language part
    (``zh`` of ``zh_CN.UTF-8``, ``c`` of ``C.UTF-8``) selects the row of ``TABLE`` that
    lists it; a value no row claims is skipped (in a list) or means the default.
    """
    default = LANGUAGES[0]
    for name in ENVIRONMENT:
        value = environ.get(name, "")
        if not value:
            continue
        for entry in value.split(":") if name == "LANGUAGE" else [value]:
            part = entry.split(".")[0].split("@")[0].split("_")[0].lower()
            for language in TABLE:
                if part in language.environment:
                    return language.code
        return default
    return default


def requested(arguments: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` on a command line (``--lang zh`` or ``--lang=zh``),
    read before the command line is parsed, so that ``--help`` and the refusals of options
    given before ``--lang`` are already in its language. None if there is none; the
    parser itself refuses a value that is not a language."""
    value = None
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        name, equals, given = argument.partition("=")
        if not (name.startswith("--la") and "--lang".startswith(name)):  # argparse takes --lan
            continue
        if equals:
            value = given
        elif index + 1 < len(arguments):
            value = arguments[index + 1]
    return value


def choose(arguments: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language of a run: ``--lang`` if it names one of ``LANGUAGES``, else the
    environment's (also while an unknown ``--lang`` is being refused)."""
    asked = requested(arguments)
    return asked if asked in LANGUAGES else from_environment(environ)


def _(message: str) -> str:
    """``message`` in the current language (itself, in English)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for the count ``n``, in the current language."""
    return _translations.ngettext(singular, plural, n)
