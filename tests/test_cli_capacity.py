"""``superposition capacity`` end to end: artefacts with both predictions, resume, one-line errors."""

import json

import pytest

from test_cli_derive import superposition
from cli_in_process import in_process

SMALL = ["--density", "0.1", "--m-grid", "16,32,64", "--trials", "10", "--batch", "10", "--precision", "0.1",
         "--bootstrap", "200", "--seed", "2"]


@pytest.mark.slow
def test_writes_loglog_figure_json_and_a_latex_table_that_compiles(tmp_path, latex_compiles):
    result = superposition("capacity", *SMALL, "--out", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    (fit,) = payload["fits"]
    assert fit["m"] == [16, 32, 64] and len(fit["n_max"]) == 3
    assert set(fit["candidates"]) == {"linear (note: n = m f(p))", "quadratic (n = m^2 f(p))"}
    assert fit["f_note"] == pytest.approx(4.342944819, rel=1e-8)
    assert payload["support_model"].startswith("Bernoulli(p)")
    for name in ("capacity_scaling.pdf", "capacity_scaling.png", "capacity_scaling.json"):
        assert (tmp_path / name).stat().st_size > 0
    latex_compiles(tmp_path / "capacity_scaling_standalone.tex")


@pytest.mark.slow
def test_rerun_resumes_with_the_same_numbers(tmp_path, capsys):
    arguments = ["capacity", *SMALL[:3], "16,32", *SMALL[4:], "--support", "fixed", "--out", str(tmp_path), "--json"]
    status, first, _ = in_process(capsys, *arguments)
    assert status == 0
    status, again, notices = in_process(capsys, *arguments)
    assert "2 cells were already done (resumed)" in notices
    assert json.loads(again)["fits"] == json.loads(first)["fits"]
    assert json.loads(first)["support_model"] == "k = round(p n) active features"


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["--density", "0"], r"--density must lie in (0, 1), got 0.0"),
        (["--density", "1.2"], "--density must lie in (0, 1)"),
        (["--m-grid", "10,x"], "--m-grid must be a whole number, got 'x'"),
        (["--m-grid", "1,10"], "--m-grid must hold whole numbers >= 2, got 1"),
        (["--m-grid", ""], "--m-grid: must be a non-empty comma-separated list"),
        (["--trials", "0"], "--trials: must be > 0"),
        (["--support", "poisson"], "--support: invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, arguments, words):
    status, _, errors = in_process(capsys, "capacity", *SMALL, *arguments, "--out", str(tmp_path))
    assert status == 2
    assert errors.count("\n") == 1 and words in errors, errors
    assert not list(tmp_path.iterdir())
