"""The language: chosen by --lang or the environment, before any text is built, and the
command line's help and refusals in it (argparse's own words included)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from core import OPTIMIZERS
from tui import i18n
from tui.cli.main import main
from tui.cli.parser import wrap_cells
from tui.serve.process import client_environment, server_environment


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "zh"}, "zh"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        # gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES, LANG; the first set and not empty.
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
        ({"LANGUAGE": "zh_CN", "LC_ALL": "C"}, "zh"),
        # LANGUAGE lists languages; gettext takes the first it has a catalog for.
        ({"LANGUAGE": "fr:zh_CN:en"}, "zh"),
        ({"LANGUAGE": "en:zh_CN"}, "en"),
        ({"LANGUAGE": "fr:de", "LANG": "zh_CN.UTF-8"}, "en"),
        # An odd value selects nothing (and never becomes part of a path).
        ({"LANG": "../../../../tmp/zh"}, "en"),
    ],
)
def test_the_environment_chooses_the_language_as_gettext_would(
    environ: dict[str, str], language: str
) -> None:
    assert i18n.from_environment(environ) == language


@pytest.mark.parametrize(
    ("arguments", "language"),
    [
        (["--lang", "en"], "en"),
        (["--lang=en"], "en"),
        (["--lan", "en"], "en"),  # argparse takes an unambiguous prefix: so does the pre-scan
        (["--step", "--lang", "zh", "--lang", "en"], "en"),  # the last one wins, as in argparse
        (["--lang", "fr"], "zh"),  # refused by the parser: the refusal is in the environment's
        (["--", "--lang", "en"], "zh"),
        (["--step"], "zh"),
    ],
)
def test_lang_on_the_command_line_beats_the_environment(
    arguments: list[str], language: str
) -> None:
    assert i18n.choose(arguments, {"LANG": "zh_CN.UTF-8"}) == language


def test_a_learner_whose_ssh_client_sends_lang_zh_gets_chinese() -> None:
    """What a served session's environment is built from (tui.serve.process): the server's
    own LANGUAGE or LANG never reach it, the client's checked LANG does."""
    environment = server_environment({"LANGUAGE": "en", "LANG": "en_US.UTF-8"})
    environment |= client_environment("xterm", {"LANG": "zh_CN.UTF-8"})
    assert i18n.from_environment(environment) == "zh"


def test_help_is_chinese_from_the_environment_even_when_lang_comes_later(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("用法：c2f-tui [-h]")
    assert "\n选项:\n  -h, --help            显示此帮助信息并退出\n" in text
    assert "单步模式：启动时暂停并打开数学面板" in text
    assert "退出状态（取第一个符合的）" in text
    # Wrapped by cells: nothing wider than the terminal, the usage's lines aligned.
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert lines[1].index("[") == cell_len("用法：c2f-tui ")

    with pytest.raises(SystemExit):
        main(["--help", "--lang", "en"])
    english = capsys.readouterr().out
    assert english.startswith("usage: c2f-tui [-h]")
    assert "show this help message and exit" in english


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["--fps", "0"], "c2f-tui：错误：参数 --fps：必须是 1 到 60 之间的整数，收到的是 '0'"),
        (["--bogus"], "c2f-tui：错误：无法识别的参数：--bogus"),
        (
            ["--optimizer", "sgd"],
            "c2f-tui：错误：参数 --optimizer：无效的选择：'sgd'（可选："
            + ", ".join(f"'{name}'" for name in OPTIMIZERS)
            + "）",
        ),
        (
            ["--lang", "fr"],
            f"c2f-tui：错误：参数 --lang：必须是 {', '.join(i18n.LANGUAGES)} 之一，收到的是 'fr'",
        ),
        (["--json"], "c2f-tui：错误：参数 --json：只能与 --headless 同用（界面无法打印 JSON）"),
    ],
)
def test_refusals_are_one_line_in_the_environments_language(
    arguments: list[str],
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == line + "\n"


def test_an_unknown_lang_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "klingon"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        "c2f-tui: error: argument --lang: must be one of en, zh, got 'klingon'\n"
    )


def test_wrapping_by_cells_keeps_words_and_chinese_punctuation_whole() -> None:
    assert wrap_cells("one two three", 7) == ["one two", "three"]
    # Six Chinese characters are twelve cells: a line of ten holds five.
    assert wrap_cells("训练迭代更新", 10) == ["训练迭代更", "新"]
    # "）" never starts a line: the character before it goes along.
    assert wrap_cells("默认值是（默认：0）", 18) == ["默认值是（默认：", "0）"]
    assert wrap_cells("训练训练（默认", 10) == ["训练训练", "（默认"]
