"""``superposition toy phase-diagram|geometry`` end to end: JSON with diagnostics, artefacts, one-line errors."""

import json

import pytest

from tests.cli_in_process import in_process as run_cli


def test_phase_diagram_json_has_both_maps_agreement_and_restarts(capsys):
    status, out, err = run_cli(capsys, "toy", "phase-diagram", "--grid", "2", "--steps", "300", "--restarts", "2",
                               "--json")
    assert status == 0, err
    payload = json.loads(out)
    assert len(payload["cells"]) == 4 and payload["restarts"] == 2
    cell = payload["cells"][0]
    assert {"trained", "exact", "final_loss", "exact_best_loss", "restarts_needed", "restart_losses"} <= set(cell)
    assert payload["agreement"] == sum(c["trained"] == c["exact"] for c in payload["cells"]) / 4
    assert payload["provenance"]["seed"] == 0


def test_geometry_writes_table_figure_and_json_with_references(tmp_path, capsys, latex_compiles):
    status, _, err = run_cli(capsys, "toy", "geometry", "--n", "12", "--m", "3", "--densities", "1,0.1",
                             "--steps", "200", "--dtype", "float32", "--out", str(tmp_path))
    assert status == 0, err
    for name in ("toy_geometry.json", "toy_geometry.tex", "toy_geometry.pdf", "toy_geometry.png"):
        assert (tmp_path / name).exists(), name
    payload = json.loads((tmp_path / "toy_geometry.json").read_text())
    dense = payload["densities"][0]
    assert dense["axis_aligned_loss"] == pytest.approx(9 / 12) and payload["settings"]["dtype"] == "float32"
    assert {"3/4", "2/3", "1/2", "2/5", "all"} <= set(payload["sticky_shares"])
    latex_compiles(tmp_path / "toy_geometry_standalone.tex")


@pytest.mark.parametrize("arguments, words", [
    (["geometry", "--n", "4", "--m", "4"], "--n must exceed --m"),
    (["geometry", "--restarts", "0"], "--restarts: must be > 0"),
    (["phase-diagram", "--init", "zeros"], "--init: invalid choice: 'zeros'"),
    (["phase-diagram", "--dtype", "float16"], "--dtype: invalid choice: 'float16'"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, arguments, words):
    status, out, err = run_cli(capsys, "toy", *arguments)
    assert status == 2 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1, err
