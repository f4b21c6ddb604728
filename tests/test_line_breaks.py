"""Chinese lines break between characters, never before a closing mark, and fit their cells.

Textual breaks lines only at spaces, so a run of Chinese (written without them) would
be moved whole to the next line or cut before a full stop; ``tui.widgets.line_breaks`` breaks
it the way Chinese is typeset.
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content

from tui.widgets.line_breaks import NO_LINE_END, NO_LINE_START, break_lines

SENTENCE = (
    "例子是 100 个样本：从 -50 到 49 °C 的温度，各配有对应的华氏度。"
    "在图上它们都落在同一条直线上，这就是真值。"
)


def lines(text: str, width: int) -> list[str]:
    return break_lines(Content.from_markup(text), width).plain.split("\n")


def test_a_chinese_run_after_a_number_fills_the_line_instead_of_moving_whole() -> None:
    # Rich alone puts "例子是 100 个样本：从 -50 到 49 °C" on a line of its own (33 cells of 78).
    first, second = lines(SENTENCE, 78)
    assert first.startswith("例子是 100 个样本：从 -50 到 49 °C 的温度")
    assert cell_len(first) >= 77 and second.endswith("这就是真值。")


def test_every_width_keeps_the_words_and_never_starts_a_line_with_a_closing_mark() -> None:
    for width in range(8, 80):
        broken = lines(SENTENCE, width)
        assert all(cell_len(line) <= width for line in broken), width
        assert "".join(broken).replace(" ", "") == SENTENCE.replace(" ", ""), width
        assert not any(line[0] in NO_LINE_START for line in broken[1:]), broken
        assert not any(line[-1] in NO_LINE_END for line in broken[:-1]), broken
        assert not any(line.startswith("°C") for line in broken), "49 °C stays together"


def test_numbers_and_formulas_are_not_cut_and_opening_marks_stay_with_their_words() -> None:
    text = "学习率 lr（这里是 1.5e-3）决定步子：∂损失/∂参数 与 1,000,000 次迭代"
    for width in range(12, 40):
        broken = lines(text, width)
        for token in ("（这", "1.5e-3）", "∂损", "失/∂参", "1,000,000"):
            assert any(token in line for line in broken), (width, broken)


def test_bold_survives_a_break_inside_it() -> None:
    content = break_lines(Content.from_markup("一二三四五[b]六七八九十[/b]"), 12)
    first, second = content.split("\n")
    assert (first.plain, second.plain) == ("一二三四五六", "七八九十")
    assert [(span.start, span.end) for span in first.spans] == [(5, 6)]
    assert [(span.start, span.end) for span in second.spans] == [(0, 4)]


def test_text_without_chinese_is_left_to_textual() -> None:
    content = Content.from_markup("A [b]plain[/b] English sentence, longer than the width.")
    assert break_lines(content, 10) is content


@given(
    st.text(alphabet="一二三四五六七八九十，。（）「」：ab12.- ", max_size=120),
    st.integers(min_value=2, max_value=60),
)
def test_any_text_fits_its_width_and_loses_only_spaces(text: str, width: int) -> None:
    # Text with no wide character is Textual's to wrap (the test above): '111' at width 2
    # comes back whole, and Textual folds it when it renders.
    assume(any(cell_len(character) == 2 for character in text))
    broken = lines(text.replace("\n", ""), width)
    assert all(cell_len(line) <= width for line in broken)
    assert "".join(broken).replace(" ", "") == text.replace(" ", "")
