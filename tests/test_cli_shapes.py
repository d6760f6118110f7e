"""``superposition shapes`` end to end: JSON, LaTeX that compiles, and one-line errors with exit status 2."""

import json

import pytest
from test_cli_derive import superposition


def test_shapes_json_reports_counts_pairs_and_disagreements():
    result = superposition("shapes", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    models = {row["model"]: row for row in payload["models"]}
    assert all(abs(row["kaplan_relative_error"]) < 0.005 for name, row in models.items() if name.startswith("Pythia"))
    assert set(payload["disagreements"]) == {"GPT-3 XL", "GPT-3 13B"}
    assert models["GPT-3 13B"]["d_model"] == 5140 and models["GPT-3 13B"]["consistent"] is False
    kaplan = [pair for pair in payload["pairs"] if pair["model_a"] == "Kaplan (48 x 1600)"]
    assert kaplan[0]["features_per_neuron_ratio"]["srepr"] == "Rational(200, 67)"
    assert kaplan[0]["density_b"]["note"]["p_b"] < 0.05
    assert "does not show" in payload["statement"]
    assert payload["provenance"]["package"] == "scaling-superposition"


def test_shapes_text_names_the_disagreeing_rows():
    result = superposition("shapes", "--tolerance", "0.1", "--p-ref", "0.02")
    assert result.returncode == 0, result.stderr
    assert "GPT-3 13B: published numbers disagree" in result.stdout
    assert "within 10%" in result.stdout


def test_shapes_writes_latex_that_compiles(tmp_path, latex_compiles):
    result = superposition("shapes", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    fragment = (tmp_path / "table_shapes.tex").read_text()
    assert r"\label{tab:shapes-models}" in fragment and r"\label{tab:shapes-pairs}" in fragment
    assert "% git_commit:" in fragment
    assert json.loads((tmp_path / "table_shapes.json").read_text())["provenance"]
    assert (tmp_path / "shapes.pdf").exists() and (tmp_path / "shapes.png").exists()
    latex_compiles(tmp_path / "table_shapes_standalone.tex")


def test_shapes_reads_a_user_csv(tmp_path):
    data = tmp_path / "mine.csv"
    header = "family,model,n_layer,d_model,n_heads,d_head,published_params,params_kind,n_vocab,n_ctx,source,notes"
    data.write_text(f"{header}\nX,deep,16,512,,,,none,,,me,\nX,wide,4,1024,,,,none,,,me,\n")
    result = superposition("shapes", "--data", str(data), "--json")
    assert result.returncode == 0, result.stderr
    (pair,) = json.loads(result.stdout)["pairs"]
    assert pair["model_b"] == "wide" and pair["features_per_neuron_ratio"]["srepr"] == "Integer(2)"


@pytest.mark.parametrize("arguments, words", [
    (["--tolerance", "0"], "--tolerance: must be > 0"),
    (["--tolerance", "lots"], "--tolerance: must be a number"),
    (["--p-ref", "1.5"], "--p-ref: must lie in (0, 1)"),
    (["--p-ref", "nan"], "--p-ref: must be finite"),
    (["--format", "xml"], "--format: invalid choice"),
])
def test_bad_input_is_one_line_and_exit_2(arguments, words):
    result = superposition("shapes", *arguments)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_bad_csv_is_one_line_naming_line_and_column(tmp_path):
    data = tmp_path / "bad.csv"
    header = "family,model,n_layer,d_model,n_heads,d_head,published_params,params_kind,n_vocab,n_ctx,source,notes"
    data.write_text(f"{header}\nX,deep,sixteen,512,,,,none,,,me,\n")
    result = superposition("shapes", "--data", str(data))
    assert result.returncode == 2
    assert "--data line 2, column n_layer must be a whole number, got 'sixteen'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    missing = superposition("shapes", "--data", str(tmp_path / "missing.csv"))
    assert missing.returncode == 2 and "--data must be a readable UTF-8 CSV file" in missing.stderr
