"""The console script end to end: derive and verify, and one-line errors with exit status 2."""

import json
import subprocess
import sys

import pytest


def superposition(*arguments, cwd=None):
    """Run the installed console script (falls back to the module when it is not on PATH)."""
    import shutil

    command = [shutil.which("superposition")] if shutil.which("superposition") else [sys.executable, "-m", "superposition.cli.main"]
    return subprocess.run([*command, *arguments], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_derive_k2_prints_the_seed_table():
    result = superposition("derive", "--k", "2")
    assert result.returncode == 0, result.stderr
    assert "2*F/(d_model*n_layer)" in result.stdout
    assert "n_layer/4" in result.stdout


def test_derive_json_cells_carry_latex_and_srepr():
    result = superposition("derive", "--k", "3/2", "--json")
    payload = json.loads(result.stdout)
    row = {r["key"]: r for r in payload["rows"]}["features_per_neuron"]
    assert row["ratio_b_over_a"]["srepr"] == "Rational(3, 2)"
    assert payload["provenance"]["package"] == "scaling-superposition"


def test_derive_writes_latex_that_compiles(tmp_path, latex_compiles):
    result = superposition("derive", "--k", "2", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    fragment = (tmp_path / "table_model_ab.tex").read_text()
    assert r"\toprule" in fragment and r"\label{tab:model-ab}" in fragment and "% git_commit:" in fragment
    latex_compiles(tmp_path / "table_model_ab_standalone.tex")


def test_derive_warns_on_fractional_layers():
    result = superposition("derive", "--k", "2", "--d-model", "512", "--n-layer", "6")
    assert result.returncode == 0
    assert "not a whole number" in result.stderr


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["--k", "0"], "--k: must be > 0, got 0"),
        (["--k", "-2"], "--k: must be > 0"),
        (["--k", "two"], "--k: must be a number"),
        (["--k", "__import__('os')"], "--k: must be a number"),
        (["--neurons", "glial"], "--neurons: invalid choice: 'glial'"),
        (["--d-model", "-512", "--n-layer", "4"], "--d-model: must be > 0"),
        (["--d-model", "512"], "--n-layer is needed too"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(arguments, words):
    result = superposition("derive", *arguments)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unwritable_out_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = superposition("derive", "--out", str(blocker / "sub"))
    assert result.returncode == 2
    assert "--out must be a writable folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
