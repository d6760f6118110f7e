"""Hostile but fair use of the CLI: every case ends in one line and the documented exit status, never a traceback.

Exit 2: bad input. Exit 1: the environment failed (disk full) or a computation diverged. A reader that closes the
pipe early ends the command quietly with status 0.
"""

import json
import os
import subprocess
import sys

import pytest

from cli_in_process import in_process
from test_cli_derive import superposition

SMALL_SWEEP = ["phase-transition", "--n", "20", "--deltas", "0.5", "--rhos", "0.1,0.5,0.9", "--trials", "4"]


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def strict_loads(text: str):
    def refuse(constant):
        raise ValueError(f"bare {constant} in JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("arguments, words", [
    (["derive", "capacity", "--densities", "0.1,,0.2"], "--densities: must be a non-empty comma-separated list without empty items"),
    (["derive", "--d-model", "1.5", "--n-layer", "2"], "--d-model: must be a whole number, got '1.5'"),
    (["toy", "capacity", "--m", "4,8.5"], "--m: must be a whole number, got '8.5'"),
    (["shapes", "--data", ""], "--data must be"),
    ([*SMALL_SWEEP, "--scheduler", "not-an-address"], "--scheduler cannot reach a Dask scheduler at 'not-an-address'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, arguments, words):
    if "--scheduler" in arguments:
        pytest.importorskip("distributed")
    result = superposition(*arguments, "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and words in one_line(result.stderr)


@pytest.mark.parametrize("arguments, line", [
    (["capacity", "--density", "1.5"], "superposition capacity: error: --density must lie in (0, 1), got 1.5"),
    (["capacity", "--m-grid", "1,4"], "superposition capacity: error: --m-grid must hold whole numbers >= 2, got 1"),
    (["phase-transition", "--rho-window", "0.01", "--n", "20", "--deltas", "0.5", "--rhos", "0.9"],
     "superposition phase-transition: error: --rho-window leaves no rho of the grid near rho(delta), got 0.01"),
    (["toy", "ab", "--n", "2", "--m", "3"],
     "superposition toy: error: --n must exceed --m = 3 (more features than dimensions), got 2"),
    (["recover", "--batch", "1000", "--max-memory", "100M"],
     "superposition recover: error: --batch needs about 315.9 MiB for 1000 sensing matrices of 100 x 200 and their "
     "signals, above the memory limit of 100.0 MiB (set by --max-memory); --batch 316 would fit"),
])
def test_library_errors_in_python_names_reach_the_user_in_flags(capsys, tmp_path, arguments, line):
    """numerics raises ``densities``, ``m_grid``, ``n_a`` and mentions `m_a`, `max_memory`; the user reads flags."""
    status, _, stderr = in_process(capsys, *arguments, "--out", str(tmp_path / "out"))
    assert status == 2 and one_line(stderr) == line


def test_no_flag_is_named_below_the_cli():
    """Library code names Python parameters: no string in theory/, numerics/ or proofs/ starts with ``--``."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    flags = [f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
             for package in ("theory", "numerics", "proofs") for path in sorted((root / package).rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text("utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("--")]
    assert flags == []


def test_a_diverging_toy_run_is_one_line_exit_1_and_prints_no_result(tmp_path):
    result = superposition("toy", "intro", "--lr", "1e10", "--steps", "100", "--batch-size", "16", "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert "training diverged: instance 0 (density 1" in one_line(result.stderr)


def test_json_output_is_strict_nan_becomes_null_with_its_reason(capsys):
    from superposition.cli import output

    output.print_json({"deviation": float("nan"), "rows": [1.0, float("-inf")]})
    payload = strict_loads(capsys.readouterr().out)
    assert payload["deviation"] is None and payload["rows"] == [1.0, None]
    assert payload["null_reasons"] == {"deviation": "NaN (undefined)", "rows[1]": "-inf (overflowed or unbounded)"}


def test_an_ascii_terminal_gets_question_marks_not_an_encoding_error():
    result = subprocess.run([sys.executable, "-m", "superposition", "shapes"], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=300)
    assert result.returncode == 0 and b"Traceback" not in result.stderr


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly():
    process = subprocess.Popen([sys.executable, "-m", "superposition", "shapes"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert len(process.stdout.read(20)) == 20
    process.stdout.close()
    assert process.wait(timeout=300) == 0
    assert process.stderr.read() == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_one_line_and_exit_1():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "superposition", "shapes", "--json"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=300)
    assert result.returncode == 1 and "No space left on device" in one_line(result.stderr)


def test_artefacts_get_the_umask_mode_and_a_dead_writer_s_temporary_file_is_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".table_shapes.json.abc12345.tmp"  # written by a version without the PID: always stale
    dead = out / f".table_shapes.tex.{2**22 + 12345}.abc12345.tmp"  # a PID above Linux's pid_max: not running
    alive = out / f".table_shapes.tex.{os.getpid()}.abc12345.tmp"
    for path in (stale, dead, alive):
        path.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "superposition", "shapes", "--out", str(out)], capture_output=True,
                            timeout=300, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and not dead.exists() and alive.exists()
    assert {oct(path.stat().st_mode & 0o777) for path in out.iterdir() if not path.name.startswith(".")} == {"0o644"}


def test_a_tampered_cell_is_named_quarantined_and_the_published_numbers_equal_a_clean_run(tmp_path, capsys):
    status, clean, _ = in_process(capsys, *SMALL_SWEEP, "--out", str(tmp_path / "clean"), "--json")
    assert status == 0
    assert in_process(capsys, *SMALL_SWEEP, "--out", str(tmp_path / "run"))[0] == 0
    cell = tmp_path / "run" / "phase-transition-cells" / "cell-00002.json"
    record = json.loads(cell.read_text())
    record["result"]["successes"] = record["result"]["trials"] = 20
    cell.write_text(json.dumps(record))
    status, tampered, stderr = in_process(capsys, *SMALL_SWEEP, "--out", str(tmp_path / "run"), "--json")
    assert status == 0
    assert f"{cell} fails its checksum" in stderr and "1 cell files quarantined" in stderr
    assert strict_loads(tampered)["cells"] == strict_loads(clean)["cells"]


def test_changing_only_the_bootstrap_reanalyses_without_recomputing(tmp_path, capsys):
    capacity = ["capacity", "--m-grid", "4,8", "--density", "0.2", "--trials", "4", "--batch", "4",
                "--out", str(tmp_path)]
    assert in_process(capsys, *capacity, "--bootstrap", "50")[0] == 0
    status, _, stderr = in_process(capsys, *capacity, "--bootstrap", "60")
    assert status == 0 and "0 cells, 0 problems" in stderr and "2 cells were already done" in stderr
