"""Every catalog (one per row of ``tui.i18n.TABLE`` that has one, today Chinese): complete,
nothing fuzzy or empty, placeholders intact, and the committed ``.mo`` compiled from the
committed ``.po`` (docs/translating.md says how to update both); every language's files."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tui import i18n

TUI = Path(i18n.__file__).parent
SOURCES = (TUI, TUI.parent / "core" / "optimizers.py")
"""What docs/translating.md's ``pybabel extract`` reads: the app, and core's optimizers,
whose titles and summaries are marked where they are written."""

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
"""What marks a message, as docs/translating.md's ``pybabel extract -k`` options say."""

MessageId = str | tuple[str, ...]


def _key(message_id: str | tuple[str, ...] | list[str]) -> MessageId:
    return message_id if isinstance(message_id, str) else tuple(message_id)


def po(locale: str) -> Path:
    return i18n.LOCALE_DIR / locale / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


@pytest.fixture(scope="module", params=sorted(i18n.CATALOGS.values()))
def catalog(request: pytest.FixtureRequest) -> Catalog:
    with po(request.param).open("rb") as source:
        return read_po(source, locale=request.param)


def extracted() -> set[MessageId]:
    """Every message id the code marks, as Babel's extractor (pybabel extract) finds them."""
    found = [
        message
        for _, _, message, _, _ in extract_from_dir(
            str(TUI), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    ]
    for path in SOURCES[1:]:
        with path.open("rb") as source:
            found += [message for _, message, _, _ in extract("python", source, KEYWORDS)]
    return {_key(message) for message in found}


def marked_in_source() -> dict[MessageId, str]:
    """Every literal the code passes to ``_``, ``N_`` or ``ngettext``, found by Python's own
    parser, which also sees inside f-strings (where Babel's extractor does not)."""
    found: dict[MessageId, str] = {}
    for path in [*sorted(TUI.rglob("*.py")), *SOURCES[1:]]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            count = {"_": 1, "N_": 1, "ngettext": 2}.get(node.func.id)
            arguments = node.args[:count] if count else []
            if arguments and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in arguments
            ):
                strings = tuple(a.value for a in arguments)  # type: ignore[attr-defined]
                key = strings[0] if len(strings) == 1 else strings
                found.setdefault(key, f"{path.relative_to(TUI.parent)}:{node.lineno}")
    return found


def test_every_marked_message_is_extracted() -> None:
    """A message marked inside an f-string is invisible to pybabel: it would never reach
    the catalog (and an update would drop its translation)."""
    seen = extracted()
    hidden = {key: where for key, where in marked_in_source().items() if key not in seen}
    assert not hidden, f"marked where gettext's extractor cannot see it: {hidden}"


def test_the_catalog_has_every_message_and_nothing_else(catalog: Catalog) -> None:
    in_catalog = {_key(message.id) for message in catalog if message.id}
    missing = extracted() - in_catalog
    obsolete = in_catalog - extracted()
    assert not missing, f"not in the catalog (extract and update: docs/translating.md): {missing}"
    assert not obsolete, f"in the catalog but no longer in the code: {obsolete}"


def test_no_translation_is_fuzzy_or_empty(catalog: Catalog) -> None:
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    strings = {_key(message.id): message.string for message in catalog if message.id}
    empty = [key for key, string in strings.items() if not string or not all(string)]
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not empty, f"not translated: {empty}"
    assert catalog.plural_forms == "nplurals=1; plural=0;"


PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]*)(?:![rsa])?(?::[^}]*)?\}")
MARKUP = re.compile(r"\[/?(?:b|dim|i)?(?: ?\$[a-z-]+)?\]")


def test_translations_keep_placeholders_and_markup(catalog: Catalog) -> None:
    """``{rate}`` and ``[b]…[/b]`` survive translation: a lost placeholder would raise
    KeyError on screen, lost markup would show brackets."""
    broken = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        marks = sorted(MARKUP.findall(ids[-1]))
        for string in strings:
            if sorted(set(PLACEHOLDER.findall(string))) != wanted:
                broken.append((ids[0], "placeholders"))
            if sorted(MARKUP.findall(string)) != marks:
                broken.append((ids[0], "markup"))
    assert not broken


@pytest.mark.parametrize("locale", sorted(i18n.CATALOGS.values()))
def test_the_committed_mo_is_the_po_compiled(locale: str) -> None:
    with po(locale).open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    mo = po(locale).with_suffix(".mo")
    assert mo.read_bytes() == compiled.getvalue(), (
        f"{mo} is not its .po compiled: run pybabel compile (docs/translating.md)"
    )


def test_every_language_is_its_row_its_catalog_and_its_lesson() -> None:
    """A language is one row of ``i18n.TABLE`` and its files: each row's catalog (compiled)
    and lesson exist, and no catalog or lesson file lacks a row (it would never be chosen)."""
    from tui.lesson.chapters import languages as lessons

    for language in i18n.TABLE:
        if language.catalog is not None:
            assert (
                po(language.catalog).is_file() and po(language.catalog).with_suffix(".mo").is_file()
            )
    catalogs = {path.name for path in i18n.LOCALE_DIR.iterdir() if path.is_dir()}
    assert catalogs == set(i18n.CATALOGS.values())
    assert set(lessons()) == set(i18n.LANGUAGES)
    for language in i18n.TABLE:
        for part in language.environment:
            value = f"{part}_XX.UTF-8" if len(part) == 2 else part.upper()
            assert i18n.from_environment({"LANG": value}) == language.code, value


def test_chinese_is_loaded_from_the_package_by_language_code() -> None:
    i18n.set_language("zh")
    assert i18n.language() == "zh"
    assert i18n._("Learning rate") == "学习率"
    plural = i18n.ngettext("≈ {n} iteration to go", "≈ {n} iterations to go", 2)
    assert plural == "≈ 还需 {n} 次迭代"
    i18n.set_language("en")
    assert i18n._("Learning rate") == "Learning rate"
    with pytest.raises(ValueError):
        i18n.set_language("../zh")


def test_every_optimizers_words_are_translated(catalog: Catalog) -> None:
    """Core describes its optimizers in English (marked with ``N_`` in core/optimizers.py): a
    new optimizer, or a changed sentence, must reach the catalog, not the screen in English."""
    from core import OPTIMIZERS

    translated = {message.id: message.string for message in catalog if message.id}
    for optimizer in OPTIMIZERS.values():
        for text in (optimizer.title, optimizer.summary):
            assert translated.get(text), f"{optimizer.__name__}: {text!r} is not in the catalog"
