"""``c2f-tui serve``'s command line: defaults, trainer options passed on, every refusal one
line and exit status 2 — and the plain trainer never loading any of it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.cli.main import main
from tui.cli.options import parse_settings
from tui.serve.options import is_loopback, parse_options
from tui.serve.process import client_environment, server_environment


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


def test_the_servers_trainer_options_reach_every_session_marked_served() -> None:
    options = parse_options(["ssh", "--step", "--port", "0", "--bias", "-1e-3", "--lr", "2e-4"])
    assert options.port == 0
    settings = parse_settings(list(options.trainer_arguments))
    assert settings.served and settings.step_mode
    assert (settings.bias, settings.learning_rate) == (-1e-3, 2e-4)
    assert settings.fps == 1  # served sessions draw fewer frames ...
    fps = parse_options(["web", "--fps", "5"]).trainer_arguments
    assert parse_settings(list(fps)).fps == 5  # ... unless the teacher says otherwise


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
    ],
)
def test_bad_serve_options_are_refused_in_one_line(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert expected in refusal(argv, capsys)


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
    server = server_environment({"PATH": "/bin", "HOME": "/h", "SSH_AUTH_SOCK": "/s", "TOKEN": "t"})
    assert server == {"PATH": "/bin", "HOME": "/h"}
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
