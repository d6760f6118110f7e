"""``superposition derive capacity`` and ``derive density-shift`` end to end: text, JSON, LaTeX, bad input."""

import json

import pytest

from tests.cli_in_process import in_process
from tests.test_cli_derive import superposition


def test_capacity_text_states_the_sign_finding_and_the_small_p_constant(capsys):
    status, out, _ = in_process(capsys, "derive", "capacity", "--densities", "0.1,0.01")
    assert status == 0
    assert "is negative on Interval.open(0, 1)" in out
    assert "lim p->0 f_l1/f_note = 1/2" in out
    assert "a = beta" in out


def test_capacity_json_carries_the_findings_and_provenance(capsys):
    status, out, _ = in_process(capsys, "derive", "capacity", "--json", "--k", "3", "--densities", "0.1",
                                "--functions", "note")
    assert status == 0
    payload = json.loads(out)
    assert payload["sign_finding"]["negative_on_unit_interval"] is True
    assert payload["capacity"] == [{"p": 0.1, "note": pytest.approx(4.342944819, rel=1e-9)}]
    ratios = {(total["pooling"], total["a"]): total["ratio_b_over_a"]["text"] for total in payload["total_capacity"]}
    assert ratios[("per-layer", 1)] == "1/3" and ratios[("per-layer", 2)] == "1" and ratios[("cross-layer", 1)] == "1/3"
    assert payload["uniqueness"]["invariant_exponent_a"]["text"] == "beta_d"
    assert payload["provenance"]["package"] == "scaling-superposition"


def test_density_shift_for_one_density_json():
    result = superposition("derive", "density-shift", "--p", "0.1", "--k", "2", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    rows = {row["function"]: row for row in payload["rows"]}
    assert rows["note"]["p_b"] == pytest.approx(0.034067985758, rel=1e-10)
    assert all(row["p_b"] < 0.1 for row in rows.values())
    assert payload["substitution_residual"]["text"] == "0"


@pytest.mark.parametrize("topic, stem, label, figure", [
    ("capacity", "table_capacity", r"\label{tab:capacity}", "figure_capacity"),
    ("density-shift", "table_density_shift", r"\label{tab:density-shift}", "figure_density_shift"),
])
def test_out_writes_booktabs_that_compiles_and_a_figure(tmp_path, latex_compiles, topic, stem, label, figure):
    result = superposition("derive", topic, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    fragment = (tmp_path / f"{stem}.tex").read_text()
    assert r"\toprule" in fragment and label in fragment and "% git_commit:" in fragment
    assert "provenance" in json.loads((tmp_path / f"{stem}.json").read_text())
    latex_compiles(tmp_path / f"{stem}_standalone.tex")
    assert (tmp_path / f"{figure}.pdf").stat().st_size > 0 and (tmp_path / f"{figure}.png").stat().st_size > 0


def test_density_shift_latex_on_stdout(capsys):
    status, out, _ = in_process(capsys, "derive", "density-shift", "--format", "latex", "--densities", "0.2,0.05")
    assert status == 0
    assert out.startswith(r"\begin{table}") and r"W_{-1}" in out


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["density-shift", "--p", "1.5"], "--p: must lie in (0, 1), got 1.5"),
        (["density-shift", "--p", "0"], "--p: must lie in (0, 1)"),
        (["density-shift", "--p", "0.5"], "p_A must lie in (0, 1/e) = (0, 0.367879) for f = note"),
        (["density-shift", "--p", "0.1", "--k", "0"], "--k: must be > 0, got 0"),
        (["density-shift", "--p", "0.3", "--k", "1/2"], "k too small"),
        (["capacity", "--densities", "0.1,1"], "--densities: must lie in (0, 1), got 1.0"),
        (["capacity", "--functions", "note,hopfield"], "--functions: must be one of note, l1-signed, l1-nonneg"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, arguments, words):
    status, _, error = in_process(capsys, "derive", *arguments)
    assert status == 2
    assert words in error
    assert len(error.strip().splitlines()) == 1


def test_dense_features_are_allowed_for_l1(capsys):
    status, out, _ = in_process(capsys, "derive", "density-shift", "--p", "0.5", "--functions", "l1-signed", "--json")
    assert status == 0
    assert json.loads(out)["rows"][0]["p_b"] < 0.5
