"""``superposition derive scaling-laws`` and ``derive cylinder`` end to end: text, JSON, LaTeX that compiles, bad input."""

import json

import pytest
import sympy as sp

from cli_in_process import in_process
from test_cli_derive import superposition


@pytest.mark.slow
def test_scaling_laws_text_states_the_misprint_and_the_exponents():
    result = superposition("derive", "scaling-laws")
    assert result.returncode == 0, result.stderr
    assert "0.4516 = 14/31" in result.stdout and "0.5484 = 17/31" in result.stdout
    assert "(D_c/D)**(alpha_D**2)" in result.stdout
    assert "misprint" in result.stdout and "does not silently correct it" in result.stdout


def test_scaling_laws_json_rebuilds_expressions(capsys):
    status, stdout, _ = in_process(capsys, "derive", "scaling-laws", "--k", "3", "--compute", "1e21", "--json")
    assert status == 0
    payload = json.loads(stdout)
    eq1 = payload["note_eq1"]
    assert sp.sympify(eq1["printed_limit_n"]["srepr"]) == sp.sympify(eq1["loss_of_data"]["srepr"]) ** sp.Symbol("alpha_D", positive=True)
    assert eq1["printed_matches_loss_of_data"] is False and eq1["kaplan_matches_loss_of_data"] is True
    rows = {row["key"]: row for row in payload["compute_optimal"]["rows"]}
    assert rows["n_exponent"]["chinchilla"]["srepr"] == "Rational(14, 31)"
    assert payload["compute_optimal"]["at_compute"]["compute"] == pytest.approx(1e21)
    assert all(check["holds"] for check in payload["shape_invariance"])
    assert payload["k"]["text"] == "3" and payload["provenance"]["package"] == "scaling-superposition"


@pytest.mark.slow
@pytest.mark.parametrize("topic, stem", [("scaling-laws", "table_scaling_laws"), ("cylinder", "table_cylinder")])
def test_out_writes_latex_that_compiles(tmp_path, latex_compiles, topic, stem):
    result = superposition("derive", topic, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    fragment = (tmp_path / f"{stem}.tex").read_text()
    assert r"\toprule" in fragment and "% git_commit:" in fragment
    assert "provenance" in json.loads((tmp_path / f"{stem}.json").read_text())
    latex_compiles(tmp_path / f"{stem}_standalone.tex")


def test_scaling_laws_latex_format_prints_the_fragment(capsys):
    status, stdout, _ = in_process(capsys, "derive", "scaling-laws", "--format", "latex")
    assert status == 0
    assert r"\label{tab:scaling-laws}" in stdout and r"\neq L(D)" in stdout


def test_cylinder_text_and_json(capsys):
    status, stdout, _ = in_process(capsys, "derive", "cylinder", "--k", "3/2", "--aspect", "1/100")
    assert status == 0
    assert "15/4" in stdout  # the total surface shrinks only above a = k (k + 1)
    payload = json.loads(in_process(capsys, "derive", "cylinder", "--json")[1])
    assert payload["lateral_ratio"]["text"] == "1/2" and payload["volume_ratio"]["text"] == "1"
    assert payload["total_ratio"]["text"] == "(a + 8)/(2*(a + 1))"


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["scaling-laws", "--k", "0"], "--k: must be > 0, got 0"),
        (["scaling-laws", "--compute=-1e21"], "--compute: must be > 0"),
        (["scaling-laws", "--compute", "lots"], "--compute: must be a number"),
        (["cylinder", "--aspect", "0"], "--aspect: must be > 0"),
        (["cylinder", "--k", "__import__('os')"], "--k: must be a number"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, arguments, words):
    status, _, stderr = in_process(capsys, "derive", *arguments)
    assert status == 2
    assert words in stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


def test_scaling_laws_constants_besiroglu_json(capsys):
    status, stdout, _ = in_process(capsys, "derive", "scaling-laws", "--constants", "besiroglu", "--json")
    assert status == 0
    payload = json.loads(stdout)
    assert payload["constants"] == "besiroglu"
    rows = {row["key"]: row for row in payload["compute_optimal"]["rows"]}
    assert rows["n_exponent"]["chinchilla"]["srepr"] == "Rational(1829, 3568)"
    fits = {row["key"]: row for row in payload["fits_compared"]}
    assert fits["hoffmann"]["n_exponent_float"] == pytest.approx(0.4516, abs=1e-4)
    assert fits["besiroglu"]["n_exponent_float"] == pytest.approx(0.5126, abs=1e-4)
    assert fits["besiroglu"]["at_model_compute"]["compute"] == pytest.approx(5.88e23)


def test_scaling_laws_unknown_constants_is_one_line(capsys):
    status, _, stderr = in_process(capsys, "derive", "scaling-laws", "--constants", "kaplan")
    assert status == 2 and "--constants" in stderr and "Traceback" not in stderr
