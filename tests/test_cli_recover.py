"""``superposition recover`` end to end: the report, JSON with provenance, artefacts, one-line errors."""

import json

import pytest

from numerics.recovery import DEFAULT_TOL
from test_cli_derive import superposition

SMALL = ["--m", "40", "--n", "80", "--k", "3", "--batch", "20"]


def test_default_run_reports_success_errors_and_throughput():
    result = superposition("recover", *SMALL)
    assert result.returncode == 0, result.stderr
    for words in ("success", "100.0% (20/20)", f"relative l2 error < {DEFAULT_TOL:g}", "problems/s", "amp on numpy"):
        assert words in result.stdout


@pytest.mark.parametrize("solver", ["amp", "fista", "omp", "iht", "lp"])
def test_json_has_the_result_the_ensemble_and_provenance(solver):
    result = superposition("recover", *SMALL, "--solver", solver, "--shared-matrix", "--json", "--seed", "3")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["result"]["solver"] == solver and payload["result"]["success_rate"] == 1.0
    assert payload["result"]["tol"] == DEFAULT_TOL
    assert payload["problems"]["shared_matrix"] is True and payload["problems"]["dtype"] == "float64"
    assert payload["provenance"]["seed"] == 3 and payload["provenance"]["backend"] == "numpy"


def test_same_seed_same_errors_and_out_writes_json_with_provenance(tmp_path):
    runs = [json.loads(superposition("recover", "--m", "40", "--n", "80", "--density", "0.04", "--batch", "10",
                                     "--values", "uniform", "--nonnegative", "--json", "--out", str(tmp_path)).stdout)
            for _ in range(2)]
    assert runs[0]["result"]["relative_error_quantiles"] == runs[1]["result"]["relative_error_quantiles"]
    written = json.loads((tmp_path / "recover.json").read_text())
    assert written["result"]["nonnegative"] is True and "git_commit" in written["provenance"]


def test_float32_is_stated():
    result = superposition("recover", *SMALL, "--dtype", "float32", "--tol", "1e-2")
    assert result.returncode == 0 and "float32" in result.stdout and "single precision" in result.stderr


@pytest.mark.parametrize("arguments, words", [
    (["--m", "10", "--n", "20", "--k", "11"], "--k must be <= --m = 10, got 11"),
    (["--m", "30", "--n", "20"], "--m must be <= --n = 20"),
    (["--solver", "cosamp"], "argument --solver: invalid choice: 'cosamp'"),
    (["--noise", "nan"], "argument --noise: must be finite"),
    (["--noise", "-1"], "argument --noise: must lie in [0, inf)"),
    (["--tol", "0"], "argument --tol: must be > 0"),
    (["--density", "1.5"], "argument --density: must lie in (0, 1]"),
    (["--k", "3", "--density", "0.1"], "not allowed with argument --k"),
    (["--batch", "0"], "argument --batch: must be > 0"),
    (["--values", "cauchy"], "argument --values: invalid choice"),
    (["--m", "1000", "--n", "2000", "--batch", "1000", "--max-memory", "4G"],
     "--batch needs about 29.9 GiB for 1000 sensing matrices of 1000 x 2000 and their signals, above the memory "
     "limit of 4.0 GiB (set by --max-memory); --batch 133 would fit"),
    (["--m", "30000", "--n", "30000", "--shared-matrix", "--max-memory", "4G"],
     "--n needs about 15.2 GiB for 1000 signals of length 30000 beside one 30000 x 30000 sensing matrix"),
    (["--max-memory", "lots"], "argument --max-memory: must be a size such as 4G"),
])
def test_bad_input_is_one_line_and_exit_2(arguments, words):
    result = superposition("recover", *arguments)
    assert result.returncode == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_verify_stage_checks_every_solver_against_the_lp_and_writes_its_json(tmp_path):
    from superposition.artefacts import Artefacts
    from superposition.cli import recover, verify

    context = verify.StageContext(Artefacts(tmp_path, {"seed": 1}), seed=1, backend="numpy")
    checks = recover.verify_stage(context)
    assert [check.name for check in checks] == [
        "recover.amp.matches_lp", "recover.fista.matches_lp", "recover.omp.matches_lp", "recover.iht.matches_lp",
        "recover.lp.recovers",
    ]
    assert all(check.passed for check in checks), [check.detail for check in checks]
    written = json.loads((tmp_path / "recover_check.json").read_text())
    assert written["solvers"]["amp"]["success_rate"] == 1.0 and written["provenance"]["seed"] == 1


def test_backend_auto_without_a_gpu_falls_back_to_numpy_with_a_one_line_notice():
    from numerics.backend import resolve
    from theory.validation import InvalidParameter

    try:
        resolve("cupy")
        pytest.skip("CuPy works here: auto picks it")
    except InvalidParameter:
        pass
    result = superposition("recover", *SMALL, "--backend", "auto")
    assert result.returncode == 0 and "amp on numpy" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "using NumPy on the CPU" in lines[0] and "Warning" not in lines[0]
