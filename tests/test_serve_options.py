"""``c2f-tui serve``'s command line: defaults, trainer options passed on, every refusal one
line and exit status 2 — and the plain trainer never loading any of it."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli.main import main
from tui.cli.options import parse_settings
from tui.serve.options import build_parser, is_loopback, parse_options
from tui.serve.process import ONE_THREAD_EACH, client_environment, server_environment


def refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``c2f-tui ARGV``; check it was refused (status 2, one line on stderr); the line."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "error:" in lines[0] and "Traceback" not in captured.err
    return lines[0]


def test_defaults_are_a_loopback_class_of_40() -> None:
    ssh, web = parse_options(["ssh"]), parse_options(["web"])
    assert (ssh.host, ssh.port, ssh.max_sessions, ssh.idle_timeout) == ("127.0.0.1", 2222, 40, 1800)
    assert (web.host, web.port) == ("127.0.0.1", 8000)
    assert ssh.loopback and not ssh.no_auth
    assert ssh.host_key is None and ssh.authorized_keys is None and ssh.password_file is None


def test_the_servers_trainer_options_reach_every_session() -> None:
    options = parse_options(["ssh", "--step", "--port", "0", "--bias", "-1e-3", "--lr", "2e-4"])
    assert options.port == 0
    settings = parse_settings(list(options.trainer_arguments))
    assert settings.step_mode and not settings.served  # served: said by the entry point only
    assert (settings.bias, settings.learning_rate) == (-1e-3, 2e-4)
    assert settings.fps == 1  # served sessions draw fewer frames ...
    fps = parse_options(["web", "--fps", "5"]).trainer_arguments
    assert parse_settings(list(fps)).fps == 5  # ... unless the teacher says otherwise


def test_only_the_session_entry_point_makes_a_session_served(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 21 item 11: ``--served`` was an option anyone could type, and it skipped the
    refusal of screen-only options with --headless. Now the command line cannot say it
    (an unknown option), and the entry point every session runs does."""
    line = refusal(["--served", "--headless", "--step"], capsys)
    assert line == "c2f-tui: error: unrecognized arguments: --served"
    session = subprocess.run(
        [sys.executable, "-m", "tui.serve.session", "--headless", "--step"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert (session.returncode, session.stdout) == (2, "")
    assert session.stderr == (
        "c2f-tui: error: argument --headless: not with serve "
        "(every learner gets the trainer on screen)\n"
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["serve"], "say what to serve: c2f-tui serve ssh or c2f-tui serve web"),
        (["serve", "telnet"], "unknown protocol 'telnet'"),
        (["serve", "ssh", "--headless"], "argument --headless: not with serve"),
        (["serve", "web", "--export", "run.csv"], "argument --export: not with serve"),
        (["serve", "ssh", "--lr", "0"], "argument --lr/--learning-rate: must be a finite number"),
        (["serve", "ssh", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["serve", "ssh", "--port", "70000"], "argument --port: must be a port number"),
        (["serve", "web", "--max-sessions", "0"], "argument --max-sessions: must be a whole"),
        (["serve", "ssh", "--idle-timeout", "-1"], "argument --idle-timeout: must be a number"),
        (["serve", "ssh", "--data", "/nonexistent/c.csv"], "--data:"),
        (
            ["serve", "ssh", "--password-file", "p", "--authorized-keys", "k"],
            "not allowed with argument",
        ),
        (["serve", "web", "--password-file", "p"], "unrecognized arguments: --password-file"),
        (["serve", "web", "--allowed-host", "evil.example:80"], "argument --allowed-host: must be"),
        (["serve", "web", "--allowed-host", "*"], "argument --allowed-host: must be a host name"),
        (["serve", "ssh", "--allowed-host", "x"], "unrecognized arguments: --allowed-host x"),
    ],
)
def test_bad_serve_options_are_refused_in_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert expected in refusal(argv, capsys)


@pytest.mark.parametrize(
    ("option", "digits"),
    [("--port", "١"), ("--port", "２２２２"), ("--max-sessions", "٥"), ("--idle-timeout", "٣٠")],
)
def test_server_numbers_are_ascii_as_the_trainers_are(
    option: str, digits: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's int() reads '١' as 1 (the server started on port 1); the trainer's options
    refuse other scripts' digits, and the server's are read by the same reader."""
    with pytest.raises(SystemExit) as exit_info:
        parse_options(["ssh", option, digits])
    assert exit_info.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"c2f-tui serve ssh: error: argument {option}: must be")
    assert "is not ASCII; type numbers in ASCII" in line
    with pytest.raises(SystemExit):
        parse_settings(["--seed", digits])
    assert "is not ASCII; type numbers in ASCII" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["ssh", "--no"], ["web", "--no", "3"], ["ssh", "--i", "5"], ["web", "--a"]]
)
def test_a_prefix_is_no_option_on_serves_command_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--no is the server's --no-auth cut short, or the trainer's --noise; --i its
    --idle-timeout or the trainer's --iterations: only whole names count, on either side."""
    with pytest.raises(SystemExit) as exit_info:
        parse_options(argv)  # (not main: a command read wrongly would start serving)
    assert exit_info.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(f"error: unrecognized arguments: {' '.join(argv[1:])}")


def test_the_help_calls_every_loopback_address_safe_not_only_127_0_0_1() -> None:
    """127.0.0.2 and ::1 need no authentication either: the help said "127.0.0.1 … anything
    else needs authentication"."""
    help_text = " ".join(build_parser("ssh").format_help().split())
    assert "A loopback address (127.0.0.0/8, ::1, localhost) needs no authentication" in help_text
    assert "anything else needs authentication" not in help_text
    assert parse_options(["ssh", "--host", "127.0.0.2"]).loopback


def test_allowed_hosts_are_names_in_lower_case_or_addresses() -> None:
    options = parse_options(
        ["web", "--allowed-host", "Teacher-Laptop.Local.", "--allowed-host", "[::1]"]
    )
    assert options.allowed_hosts == ("teacher-laptop.local", "::1")
    assert parse_options(["web"]).allowed_hosts == ()


@pytest.mark.parametrize(
    "refused",
    [["--password-file", "/nonexistent/password"], ["--authorized-keys", "/nonexistent/keys"]],
)
def test_a_refused_server_start_makes_no_host_key_and_says_one_line(
    refused: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Everything is checked before the host key is made: a refusal leaves nothing in the
    config directory and prints only its own line (not the new key's fingerprint first)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["serve", "ssh", "--port", "0", *refused]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"c2f-tui serve ssh: error: {refused[0]} ")
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_cannot_listen_makes_no_host_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "ssh", "--port", str(port)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"c2f-tui serve ssh: error: cannot listen on 127.0.0.1 port {port}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("protocol", ["ssh", "web"])
def test_a_non_loopback_address_without_authentication_is_refused(
    protocol: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refusal(["serve", protocol, "--host", "0.0.0.0"], capsys)
    assert "--host 0.0.0.0 is not a loopback address" in line and "--no-auth" in line
    if protocol == "web":
        assert "proxy with authentication" in line
    assert parse_options([protocol, "--host", "0.0.0.0", "--no-auth"]).no_auth
    assert not parse_options(["ssh", "--host", "0.0.0.0", "--password-file", "p"]).loopback


def test_only_loopback_addresses_count_as_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("")
    assert not is_loopback("192.0.2.7") and not is_loopback("no-such-host.invalid")


@pytest.mark.parametrize(("protocol", "library"), [("ssh", "asyncssh"), ("web", "textual_serve")])
def test_without_the_serve_extra_one_line_says_how_to_install_it(
    protocol: str, library: str
) -> None:
    probe = (
        f"import sys; sys.modules[{library!r}] = None; "
        f"from tui.cli.main import main; sys.exit(main(['serve', {protocol!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        'c2f-tui serve: error: serving needs the serve extra: pip install "c2f-tui[serve]"\n'
    )


def test_the_plain_trainer_never_loads_the_server() -> None:
    probe = (
        "import sys, tui.cli.main, tui.cli.options, tui.app; "
        "tui.cli.options.parse_settings(['--step']); "
        "print(sorted(m for m in sys.modules if m.startswith(('tui.serve', 'asyncssh', "
        "'textual_serve', 'aiohttp'))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_session_gets_a_short_environment_and_only_safe_client_variables() -> None:
    server = server_environment(
        {"PATH": "/bin", "HOME": "/h", "SSH_AUTH_SOCK": "/s", "TOKEN": "t", "OMP_NUM_THREADS": "8"}
    )
    assert server == {"PATH": "/bin", "HOME": "/h"} | ONE_THREAD_EACH
    assert ONE_THREAD_EACH["OPENBLAS_NUM_THREADS"] == ONE_THREAD_EACH["OMP_NUM_THREADS"] == "1"
    client = client_environment(
        "xterm-256color",
        {
            "LANG": "zh_CN.UTF-8",
            "LC_TIME": "de_DE@euro",
            "LC_ALL": "$(reboot)",
            "LANGUAGE": "en",
            "LD_PRELOAD": "/tmp/evil.so",
            "PATH": "/tmp",
        },
    )
    assert client == {"TERM": "xterm-256color", "LANG": "zh_CN.UTF-8", "LC_TIME": "de_DE@euro"}
    assert client_environment("xterm; rm -rf /", {})["TERM"] == "xterm-256color"
    assert client_environment(None, {})["TERM"] == "xterm-256color"
