"""The lesson's chapters file: every chapter complete, every placeholder real, bad files refused.

A teacher edits ``tui/lesson/<language>.md`` by hand; these checks say, in one
line, what is wrong with a file before a learner ever sees it.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest

import tui.i18n
from tui.lesson.chapters import Chapter, LessonFileError, languages, load, parse
from tui.lesson.placeholders import NAMES, _percent
from tui.lesson.stages import STAGES


@pytest.mark.parametrize("language", languages())
def test_every_chapter_has_its_parts_and_matches_what_the_app_does_for_it(language: str) -> None:
    chapters = load(language)
    assert [chapter.slug for chapter in chapters] == [stage.slug for stage in STAGES]
    for chapter, stage in zip(chapters, STAGES, strict=True):
        assert chapter.title and chapter.paragraphs and chapter.done, chapter.slug
        assert len(chapter.steps) == len(stage.steps), f"{chapter.slug}: one step per check"
        assert (chapter.hint is not None) == (stage.hint is not None), chapter.slug


@pytest.mark.parametrize("language", languages())
def test_every_placeholder_a_chapter_uses_exists(language: str) -> None:
    for chapter in load(language):
        unknown = chapter.placeholders() - NAMES
        assert not unknown, f"{chapter.slug} uses {sorted(unknown)}"


@pytest.mark.parametrize("language", languages())
def test_the_file_lists_every_placeholder_for_the_teacher(language: str) -> None:
    text = resources.files("tui.lesson").joinpath(f"{language}.md").read_text(encoding="utf-8")
    header = text[: text.index("-->")]
    for name in NAMES:
        assert f" {name}" in header or f"{name}," in header, f"{name} is not described"


def test_the_lesson_is_there_in_simplified_chinese() -> None:
    assert "zh" in languages()
    chapters = load("zh")
    assert chapters != load("en")
    assert chapters[0].title == "任务和数据" and "神经元" in chapters[0].paragraphs[0]


@pytest.mark.parametrize("language", languages())
def test_a_translation_has_the_same_chapters_numbers_and_keys_as_english(language: str) -> None:
    """The same chapters in the same order, each naming the same live numbers and asking for
    the same keys (the **bold** keys of its steps, last words and hint), in the same order."""
    for english, translated in zip(load("en"), load(language), strict=True):
        assert translated.slug == english.slug
        assert translated.placeholders() == english.placeholders(), english.slug
        assert keys(translated) == keys(english), english.slug


def keys(chapter: Chapter) -> list[str]:
    """The keys a chapter's steps, last words and hint show in bold."""
    texts = (*chapter.steps, chapter.done, chapter.hint or "")
    return [key for text in texts for key in re.findall(r"\*\*(.+?)\*\*", text)]


def test_english_is_there_and_another_language_falls_back_to_it() -> None:
    assert "en" in languages()
    assert load("xx") == load("en")


CHAPTER = """
# Title {#one}

A paragraph
on two lines.

Another with {weight}.

## Try this {#try}

- First step
  continued.
- Second step.

## Done {#done}

Done text.
"""


def test_a_chapter_is_read_as_a_teacher_wrote_it() -> None:
    (chapter,) = parse(CHAPTER)
    assert chapter.slug == "one" and chapter.title == "Title"
    assert chapter.paragraphs == ("A paragraph on two lines.", "Another with {weight}.")
    assert chapter.steps == ("First step continued.", "Second step.")
    assert chapter.done == "Done text." and chapter.hint is None
    assert chapter.placeholders() == {"weight"}


@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        (CHAPTER.replace("## Done {#done}\n\nDone text.\n", ""), "has no {#done} text"),
        (CHAPTER.replace("- First step\n  continued.\n- Second step.\n", ""), "no '- ' steps"),
        (CHAPTER.replace("{#try}", "{#tries}"), "unknown section {#tries}"),
        (CHAPTER.replace("# Title {#one}", "# Title"), "a heading needs an id"),
        (CHAPTER + CHAPTER, "a second chapter with id 'one'"),
        ("Some words\n" + CHAPTER, "text before the first chapter"),
    ],
)
def test_a_broken_file_is_refused_in_one_line_naming_where(broken: str, complaint: str) -> None:
    with pytest.raises(LessonFileError) as error:
        parse(broken)
    assert complaint in str(error.value)
    assert "\n" not in str(error.value)


def test_comments_are_for_teachers_and_not_shown() -> None:
    (chapter,) = parse("<!-- a note\n# not a chapter -->\n" + CHAPTER)
    assert chapter.slug == "one"


DRAWN = """
# Drawn {#drawn}

Words before.

```
celsius {celsius:<9} × weight
  # a comment in code, not a heading
```

## Try this {#try}

- A step.

## Done {#done}

Done.
"""


def test_a_drawing_keeps_its_lines_and_columns_and_its_hash_lines_are_not_headings() -> None:
    (chapter,) = parse(DRAWN)
    assert chapter.paragraphs == (
        "Words before.",
        "celsius {celsius:<9} × weight\n  # a comment in code, not a heading",
    )
    assert chapter.placeholders() == {"celsius"}


def test_a_drawing_never_closed_is_refused() -> None:
    with pytest.raises(LessonFileError) as error:
        parse(DRAWN.replace("  # a comment in code, not a heading\n```\n", ""))
    assert "never closed" in str(error.value)


def test_a_share_short_of_the_whole_never_reads_100_percent() -> None:
    """The training chapter's "of its way" beside a bar not yet full: 99.96 % is cut to
    99.9 %, never rounded up to 100 %; the whole way is 100 %."""
    assert _percent(0.9996) == "99.9 %"
    assert _percent(0.995) == "99.5 %"
    assert _percent(0.994) == "99 %"
    assert _percent(1.0) == "100 %"
    assert _percent(0.5) == "50 %"


@pytest.mark.parametrize("language", languages())
def test_the_tutorial_is_introduced_in_the_first_chapter_and_the_palette_named_by_its_entry(
    language: str,
) -> None:
    """Chapters name "the tutorial" from chapter 8 on: the first chapter says which one. The
    last tells how to close the lesson by the palette entry's own title."""
    tutorial = {"en": "tutorial", "zh": "教程"}[language]
    tui.i18n.set_language(language)
    try:
        close = tui.i18n._("Close the lesson")  # the palette's entry (tui.app)
    finally:
        tui.i18n.set_language("en")
    chapters = load(language)
    first = next(c for c in chapters if any(tutorial in text for text in c.texts()))
    assert first.slug == "data"
    assert "Single neuron neural network on Python" in " ".join(first.paragraphs)
    assert close in chapters[-1].done
