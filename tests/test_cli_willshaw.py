"""``superposition willshaw`` end to end: a small curve as JSON, artefacts with a figure and compiling LaTeX, bad input."""

import json

import pytest
from test_cli_derive import superposition

SMALL = ["--m-min", "16", "--m-max", "64", "--points", "3", "--trials", "2", "--probes", "64", "--bootstrap", "100"]


@pytest.mark.slow
def test_willshaw_json_reports_fits_theory_and_statement():
    result = superposition("willshaw", *SMALL, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    capacities = [row["capacity"] for row in payload["measurements"]]
    assert [row["m"] for row in payload["measurements"]] == [16, 32, 64]
    assert capacities == sorted(capacities)
    assert payload["raw_fit"]["exponent"] > 1.2 and payload["corrected_fit"]["n_points"] == 3
    assert payload["theory"]["corrected_exponent"]["srepr"] == "Integer(2)"
    assert payload["compressed_sensing"]["exponent"] == 1
    assert "What it does not show" in payload["statement"]
    assert payload["provenance"]["seed"] == 0 and payload["provenance"]["backend"] == "numpy"


@pytest.mark.slow
def test_willshaw_writes_figure_and_latex_that_compiles(tmp_path, latex_compiles):
    result = superposition("willshaw", *SMALL, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "corrected exponent" in result.stdout and "does not show" in result.stdout
    for name in ("willshaw_capacity.pdf", "willshaw_capacity.png", "table_willshaw.tex", "table_willshaw.json"):
        assert (tmp_path / name).exists(), name
    fragment = (tmp_path / "table_willshaw.tex").read_text()
    assert r"\label{tab:willshaw}" in fragment and r"\label{tab:willshaw-exponents}" in fragment
    latex_compiles(tmp_path / "table_willshaw_standalone.tex")


@pytest.mark.parametrize("arguments, words", [
    (["--m-min", "4"], "--m-min must be at least 8, got 4"),
    (["--m-min", "64", "--m-max", "32"], "--m-max must be larger than --m-min (64), got 32"),
    (["--points", "1"], "--points must be at least 2"),
    (["--points", "two"], "--points: must be a whole number"),
    (["--m-min", "16", "--max-wrong-units", "20"], "--max-wrong-units must be below m - k = 12"),
    (["--max-wrong-units", "0"], "--max-wrong-units: must be > 0"),
    (["--cs-density", "1"], "--cs-density: must lie in (0, 1)"),
    (["--backend", "tpu"], "--backend: invalid choice"),
])
def test_bad_input_is_one_line_and_exit_2(arguments, words):
    result = superposition("willshaw", *arguments)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
