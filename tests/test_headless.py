"""``c2f-tui --headless``: core's numbers on stdout, as text or JSON, and a clean Ctrl+C."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from core import Dataset, ExportError, Trainer
from tui.cli import headless
from tui.cli.main import main

REQUIRED_KEYS = {"weight", "bias", "loss", "iterations"}
OUR_KEYS = {
    "target_iterations",
    "optimum_weight",
    "optimum_bias",
    "minimum_loss",
    "distance_weight",
    "distance_bias",
    "seconds",
    "interrupted",
    "signal",
    "diverged",
    "diverged_at",
    "learning_rate",
    "max_stable_learning_rate",
    "condition_number",
    "optimizer",
    "standardize",
    "gradient",
    "seed",
    "samples",
    "initial_weight",
    "initial_bias",
    "data",
    "noise",
    "export",
    "schema",
    "stable",
    "spectral_radius",
    "has_closed_form",
    "diverges_at",
    "iterations_to_target",
    "weight_tolerance",
    "bias_tolerance",
}


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    status = main(["--headless", "--json", *argv])
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.count("\n") == 1, "one JSON object on one line, nothing else"
    return status, json.loads(captured.out)


def test_the_text_summary_shows_what_was_reached_and_where_the_optimum_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--headless"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "", "no progress bar when stderr is not a terminal"
    reference = Trainer(seed=0)
    reference.run(10_000)
    lines = captured.out.splitlines()
    assert lines[0] == "status      done"
    assert lines[1] == "iterations  10,000 of 10,000"
    assert lines[2].split() == [
        "weight",
        f"{reference.weight:.10g}",
        "optimum",
        "1.8",
        "distance",
        f"{1.8 - reference.weight:.10g}",
    ]
    assert lines[3].split()[:4] == ["bias", f"{reference.bias:.10g}", "optimum", "32"]
    assert lines[4].split()[:2] == ["loss", f"{reference.loss:.10g}"]
    assert lines[5].startswith("wall time   ") and lines[5].endswith(" s")
    assert lines[6] == "run         gd, raw inputs, seed 0, 100 samples"
    assert lines[7] == "rate        1e-4 (stable < 1.2e-3)"
    assert max(len(line) for line in lines) <= 80, "fits an 80-column terminal"


def test_json_numbers_equal_core_driven_directly_with_the_same_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    options = ["--seed", "7", "--lr", "2e-5", "--iterations", "300000"]
    data = ["--celsius-range", "-20", "60", "--samples", "40", "--noise", "1.5"]
    status, result = run_json([*options, *data], capsys)
    assert status == 0
    assert set(result) == REQUIRED_KEYS | OUR_KEYS
    dataset = Dataset.synthetic(-20, 60, 40, noise=1.5, seed=7)
    reference = Trainer(dataset, learning_rate=2e-5, seed=7)
    assert reference.run(300_000) == 300_000
    assert result["weight"] == reference.weight
    assert result["bias"] == reference.bias
    assert result["loss"] == reference.loss
    assert result["iterations"] == reference.iteration == 300_000
    surface = reference.surface
    assert result["optimum_weight"] == surface.optimum_weight
    assert result["optimum_bias"] == surface.optimum_bias
    assert result["minimum_loss"] == surface.minimum_loss > 0
    assert (result["distance_weight"], result["distance_bias"]) == reference.distance
    assert result["seed"] == 7 and result["learning_rate"] == 2e-5 and result["samples"] == 40
    assert result["noise"] == 1.5 and result["data"] is None
    assert (result["interrupted"], result["diverged"], result["diverged_at"]) == (
        False,
        False,
        None,
    )
    assert result["seconds"] >= 0
    assert (result["optimizer"], result["standardize"]) == ("gd", False)


def test_json_with_an_optimizer_and_standardised_inputs_equals_core(
    capsys: pytest.CaptureFixture[str],
) -> None:
    options = ["--optimizer", "adam", "--lr", "0.1", "--standardize", "--iterations", "500"]
    status, result = run_json(options, capsys)
    assert status == 0
    reference = Trainer(seed=0, learning_rate=0.1, optimizer="adam", standardize=True)
    reference.run(500)
    assert (result["weight"], result["bias"]) == (reference.weight, reference.bias)
    assert (result["optimizer"], result["standardize"]) == ("adam", True)
    assert result["condition_number"] == 1.0
    assert result["max_stable_learning_rate"] is None, "Adam has no curvature limit"


def test_json_on_a_data_file_reports_that_files_least_squares_optimum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kitchen.csv"
    path.write_text("celsius,fahrenheit\n0,31.2\n20,68.9\n37,98.1\n100,212.6\n")
    status, result = run_json(["--data", str(path), "--iterations", "2000"], capsys)
    assert status == 0
    reference = Trainer(Dataset([0, 20, 37, 100], [31.2, 68.9, 98.1, 212.6]), seed=0)
    reference.run(2000)
    assert (result["weight"], result["bias"], result["loss"]) == (
        reference.weight,
        reference.bias,
        reference.loss,
    )
    slope = (reference.surface.optimum_weight, reference.surface.optimum_bias)
    assert (result["optimum_weight"], result["optimum_bias"]) == slope
    assert slope != (1.8, 32.0)
    assert result["data"] == str(path) and result["noise"] is None


def test_divergence_is_reported_with_exit_status_3(capsys: pytest.CaptureFixture[str]) -> None:
    status, result = run_json(["--lr", "5e-3"], capsys)
    assert status == 3
    assert (result["diverged"], result["diverged_at"], result["iterations"]) == (True, 4, 4)
    assert main(["--headless", "--lr", "5e-3"]) == 3
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "status      DIVERGED at iteration 4: learning rate 5e-3 is above the stable limit 1.2e-3"
    )


def test_a_non_finite_loss_is_null_and_the_json_stays_valid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Celsius up to 1e12 and an absurd rate: the first update's loss overflows to infinity.
    status, result = run_json(["--lr", "1e250", "--celsius-range", "0", "1e12"], capsys)
    assert status == 3
    assert result["loss"] is None and result["diverged"] is True
    assert isinstance(result["weight"], float)


def test_json_is_refused_without_headless(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--json"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        "c2f-tui: error: argument --json: only with --headless (the screen cannot print JSON)\n"
    )


def test_headless_never_imports_textual() -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from tui.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = main(['--headless', '--json', '--iterations', '10'])\n"
        "ui = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'textual', 'textual_plotext', 'plotext', 'rich'})\n"
        "print(status, ','.join(ui))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["0"]


def test_a_progress_bar_goes_to_stderr_only_when_it_is_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(headless, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["--headless", "--iterations", "300000"]) == 0
    captured = capsys.readouterr()
    assert "300,000/300,000 iterations" in captured.err
    assert captured.err.endswith("\r\x1b[K"), "the bar is erased before the summary"
    assert "[" not in captured.out and captured.out.startswith("status      done")


def test_an_export_path_that_cannot_be_written_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    trained: list[int] = []
    monkeypatch.setattr(Trainer, "run", lambda self, n: trained.append(n) or 0)
    assert main(["--headless", "--export", str(blocker / "run.csv")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and trained == []
    assert captured.err == (
        f"c2f-tui: error: --export: cannot write {blocker / 'run.csv'}: "
        "part of its folder path is not a folder\n"
    )


def test_an_export_failing_after_training_still_prints_the_summary_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: object, trainer: object) -> Path:
        raise ExportError(f"cannot write {path}: No space left on device")

    monkeypatch.setattr(headless, "export_run", full_disk)
    target = tmp_path / "run.csv"
    status, result = run_json_allowing_errors(["--export", str(target)], capsys)
    assert status == 1  # the output asked for could not be written (not a usage error)
    assert result["iterations"] == 10_000 and result["export"] is None
    assert not target.exists()


def run_json_allowing_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    status = main(["--headless", "--json", *argv])
    captured = capsys.readouterr()
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("c2f-tui: error: --export: cannot write ")
    return status, json.loads(captured.out)


def test_headless_export_writes_the_run_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "run.json"
    status, result = run_json(["--iterations", "5000", "--export", str(target)], capsys)
    assert status == 0 and result["export"] == str(target)
    written = json.loads(target.read_text())
    assert written["rows"][-1][:3] == [5000, result["weight"], result["bias"]]
    assert main(["--headless", "--iterations", "5000", "--export", str(target)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"exported    {len(written['rows']):,} rows to {target}"
    )


# -- the real command, interrupted ---------------------------------------------


def start_endless_run(*argv: str) -> tuple[subprocess.Popen[bytes], int]:
    """``python -m tui --headless`` for 10^12 Adam iterations, its stderr on a pseudo-terminal.

    The terminal makes the progress bar appear, which proves training has
    started (and the Ctrl+C handler is in place) before the signal is sent.
    Adam, because gradient descent jumps to 10^12 in closed form in a millisecond.
    """
    master, slave = os.openpty()
    endless = ["--iterations", "1000000000000", "--optimizer", "adam"]
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--headless", *endless, *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    os.close(slave)
    return process, master


def wait_for_progress(master: int, timeout: float = 60.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while b"iterations" not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no progress bar: {seen!r}"
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            seen += os.read(master, 4096)
    return seen


def interrupt(*argv: str) -> tuple[int, str]:
    process, master = start_endless_run(*argv)
    try:
        wait_for_progress(master)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    finally:
        process.kill()
        os.close(master)
    return process.returncode, out.decode()


def test_ctrl_c_ends_a_headless_run_with_the_summary_reached_and_status_130() -> None:
    status, out = interrupt()
    assert status == 130
    lines = out.splitlines()
    assert lines[0] == "status      INTERRUPTED by Ctrl+C"
    reached = int(lines[1].split()[1].replace(",", ""))
    assert 0 < reached < 10**12
    assert lines[1].endswith(" of 1,000,000,000,000")
    assert lines[2].startswith("weight      ")
    assert "Traceback" not in out


def test_ctrl_c_with_json_prints_one_object_of_what_was_reached(tmp_path: Path) -> None:
    target = tmp_path / "interrupted.csv"
    status, out = interrupt("--json", "--export", str(target))
    assert status == 130
    result = json.loads(out)
    assert result["interrupted"] is True and result["diverged"] is False
    reference = Trainer(seed=0, optimizer="adam")  # Adam's own default rate, 0.1
    assert result["learning_rate"] == 0.1
    reference.run(result["iterations"])
    assert (result["weight"], result["bias"]) == (reference.weight, reference.bias)
    rows = target.read_text().splitlines()
    assert rows[0].startswith("iteration,") and rows[-1].startswith(f"{result['iterations']},")


def test_a_reader_that_leaves_early_is_no_traceback() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tui", "--headless"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # like `| head -0`: nobody reads the summary
        error = process.stderr.read().decode()
        process.wait(timeout=60)
    assert "Traceback" not in error and error == ""
    assert process.returncode == 1


def test_a_stdout_that_cannot_be_written_is_one_line_and_exit_1() -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tui", "--headless", "--iterations", "10"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "c2f-tui: error: cannot write the results: No space left on device"
    )
