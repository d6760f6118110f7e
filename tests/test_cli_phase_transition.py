"""``superposition phase-transition`` end to end: artefacts, resume (also after kill -9), Dask, one-line errors."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cli_in_process import in_process
from test_cli_derive import superposition

SMALL = ["--n", "40", "--deltas", "0.3,0.6", "--rhos", "0.1,0.3,0.5,0.7,0.9", "--trials", "4", "--seed", "5"]


def cells_of(folder):
    return {path.name: json.loads(path.read_text()) for path in sorted((folder / "phase-transition-cells").glob("cell-*.json"))}


@pytest.mark.slow
def test_writes_heatmap_csv_json_and_a_latex_table_that_compiles(tmp_path, latex_compiles):
    result = superposition("phase-transition", *SMALL, "--out", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert len(payload["cells"]) == 10 and len(payload["transitions"]) == 2
    assert payload["success_rule"] == "relative l2 error < 0.001"
    assert payload["provenance"]["seed"] == 5 and payload["provenance"]["backend"] == "numpy"
    for name in ("phase_transition_signed_heatmap.pdf", "phase_transition_signed_heatmap.png",
                 "phase_transition_signed_cells.csv", "phase_transition_signed.json"):
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "phase_transition_signed_cells.csv").read_text().startswith("delta,rho,n,m,k,")
    latex_compiles(tmp_path / "phase_transition_signed_standalone.tex")
    manifest = json.loads((tmp_path / "phase-transition-cells" / "manifest.json").read_text())
    assert manifest["config"]["n"] == 40 and manifest["device"] == "cpu" and manifest["git_commit"]


def test_rerun_resumes_and_another_configuration_is_refused(tmp_path, capsys):
    _, first, _ = in_process(capsys, "phase-transition", *SMALL, "--out", str(tmp_path), "--json")
    status, again, notices = in_process(capsys, "phase-transition", *SMALL, "--out", str(tmp_path), "--json")
    assert status == 0 and "10 cells were already done (resumed)" in notices
    assert json.loads(again)["cells"] == json.loads(first)["cells"]
    status, _, refused = in_process(capsys, "phase-transition", *SMALL[:-2], "--seed", "6", "--out", str(tmp_path))
    assert status == 2
    assert refused.count("\n") == 1 and "--out" in refused and "another configuration" in refused


@pytest.mark.slow
def test_kill_minus_9_then_resume_equals_an_uninterrupted_run(tmp_path):
    arguments = ["--n", "200", "--deltas", "0.2,0.4,0.6,0.8", "--rhos", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8", "--trials", "12"]
    command = [sys.executable, "-m", "superposition.cli.main", "phase-transition", *arguments]
    killed = tmp_path / "killed"
    process = subprocess.Popen([*command, "--out", str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(cells_of(killed)) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert len(cells_of(killed)) < 32, "the run finished before it could be killed"
    assert superposition("phase-transition", *arguments, "--out", str(killed)).returncode == 0
    assert superposition("phase-transition", *arguments, "--out", str(tmp_path / "whole")).returncode == 0
    assert cells_of(killed) == cells_of(tmp_path / "whole")
    assert json.loads((killed / "phase_transition_signed.json").read_text())["transitions"] == \
        json.loads((tmp_path / "whole" / "phase_transition_signed.json").read_text())["transitions"]


@pytest.mark.slow
def test_local_dask_cluster_gives_the_serial_numbers(tmp_path):
    pytest.importorskip("distributed")
    serial = superposition("phase-transition", *SMALL, "--out", str(tmp_path / "serial"), "--json")
    dask = superposition("phase-transition", *SMALL, "--workers", "2", "--out", str(tmp_path / "dask"), "--json")
    assert dask.returncode == 0, dask.stderr
    assert json.loads(dask.stdout)["cells"] == json.loads(serial.stdout)["cells"]
    assert cells_of(tmp_path / "dask") == cells_of(tmp_path / "serial")


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["--deltas", "0,0.5"], r"--deltas must lie in (0, 1], got 0.0"),
        (["--rhos", "0.5,1.5"], r"--rhos must lie in (0, 1], got 1.5"),
        (["--rhos", "half"], "--rhos must be a number, got 'half'"),
        (["--deltas", ","], "--deltas: must be a non-empty comma-separated list"),
        (["--trials", "0"], "--trials: must be > 0"),
        (["--signal", "complex"], "--signal: invalid choice"),
        (["--workers", "2", "--scheduler", "tcp://x:1"], "not allowed with argument"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, arguments, words):
    status, _, errors = in_process(capsys, "phase-transition", *SMALL, *arguments, "--out", str(tmp_path))
    assert status == 2
    assert errors.count("\n") == 1 and words in errors, errors
    assert not list(tmp_path.iterdir())


def test_unwritable_output_folder_is_one_line_and_exit_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    status, _, errors = in_process(capsys, "phase-transition", *SMALL, "--out", str(blocker / "out"))
    assert status == 2 and "--out must be a writable folder" in errors and errors.count("\n") == 1
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.slow
def test_scheduler_address_runs_cells_on_that_cluster_with_the_serial_numbers(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    _, serial, _ = in_process(capsys, "phase-transition", *SMALL, "--out", str(tmp_path / "serial"), "--json")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        status, remote, errors = in_process(capsys, "phase-transition", *SMALL, "--scheduler", cluster.scheduler_address,
                                            "--out", str(tmp_path / "remote"), "--json")
    assert status == 0, errors
    assert json.loads(remote)["cells"] == json.loads(serial)["cells"]


@pytest.mark.slow
def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, capsys):
    pytest.importorskip("distributed")
    status, _, errors = in_process(capsys, "phase-transition", *SMALL, "--scheduler", "tcp://127.0.0.1:9",
                                   "--out", str(tmp_path))
    assert status == 2 and errors.count("\n") == 1 and "--scheduler cannot reach a Dask scheduler" in errors, errors
