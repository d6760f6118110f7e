"""``superposition toy intro|capacity`` end to end: JSON, artefacts with provenance, one-line errors."""

import json

import pytest

from tests.cli_in_process import in_process as run_cli
from tests.test_cli_derive import superposition


def test_intro_json_counts_features_per_density_with_provenance(capsys):
    status, out, _ = run_cli(capsys, "toy", "intro", "--densities", "1,0.01", "--steps", "4000", "--lr", "0.01",
                             "--json")
    payload = json.loads(out)
    assert status == 0
    assert [cell["features_represented"] for cell in payload["instances"]] == [2, 5]
    assert payload["provenance"]["backend"] == "numpy" and payload["settings"]["steps"] == 4000
    assert len(payload["loss_curve"]["steps"]) == 40


def test_capacity_writes_table_figure_and_json(tmp_path, capsys, latex_compiles):
    status, _, err = run_cli(capsys, "toy", "capacity", "--m", "2", "--n", "6", "--densities", "0.3,0.1,0.03",
                             "--steps", "50", "--out", str(tmp_path))
    assert status == 0, err
    for name in ("toy_capacity.json", "toy_capacity.tex", "toy_capacity.pdf", "toy_capacity.png"):
        assert (tmp_path / name).exists(), name
    payload = json.loads((tmp_path / "toy_capacity.json").read_text())
    assert payload["provenance"]["seed"] == 0 and set(payload["theory_features_per_neuron"]) == {
        "note", "l1-signed", "l1-nonneg"}
    assert r"\toprule" in (tmp_path / "toy_capacity.tex").read_text()
    latex_compiles(tmp_path / "toy_capacity_standalone.tex")


def test_intro_latex_compiles(tmp_path, capsys, latex_compiles):
    status, _, err = run_cli(capsys, "toy", "intro", "--densities", "1,0.1", "--steps", "20", "--out", str(tmp_path))
    assert status == 0, err
    assert (tmp_path / "toy_intro.png").exists()
    latex_compiles(tmp_path / "toy_intro_standalone.tex")


@pytest.mark.parametrize("arguments, words", [
    (["intro", "--densities", "0,0.1"], "--densities: must lie in (0, 1], got 0.0"),
    (["intro", "--densities", "1.5"], "--densities: must lie in (0, 1]"),
    (["intro", "--model", "sigmoid"], "--model: invalid choice: 'sigmoid'"),
    (["intro", "--steps", "0"], "--steps: must be > 0"),
    (["intro", "--lr", "-1"], "--lr: must be > 0"),
    (["capacity", "--m", "4,x"], "--m: must be a whole number"),
    (["capacity", "--n", "4", "--m", "4"], "--n must exceed every m"),
    (["capacity", "--densities", "0.3,0.1", "--reference-density", "0.01"], "--reference-density must lie within"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, arguments, words):
    status, out, err = run_cli(capsys, "toy", *arguments)
    assert status == 2 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1, err


def test_console_script_help_lists_both_experiments():
    result = superposition("toy", "--help")
    assert result.returncode == 0 and "intro" in result.stdout and "capacity" in result.stdout
