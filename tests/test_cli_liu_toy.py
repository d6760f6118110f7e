"""``superposition toy scaling`` and ``toy ab`` end to end: JSON with provenance, artefacts, one-line errors."""

import json

import pytest

from tests.cli_in_process import in_process as run_cli

TINY_SCALING = ("toy", "scaling", "--n", "30", "--m", "3,5,8", "--alphas", "1", "--decays=-1,1", "--steps", "60",
                "--batch-size", "32")


def test_scaling_json_has_instances_fits_and_provenance(capsys):
    status, out, err = run_cli(capsys, *TINY_SCALING, "--json")
    assert status == 0, err
    payload = json.loads(out)
    assert len(payload["instances"]) == 6 and {fit["regime"] for fit in payload["fits"]} == {"strong", "weak"}
    strong = next(fit for fit in payload["fits"] if fit["regime"] == "strong")
    assert strong["paper_exponent"] == 1.0 and strong["ci_low"] <= strong["exponent"] <= strong["ci_high"]
    assert payload["config"]["n"] == 30 and payload["settings"]["schedule"]["kind"] == "warmup_cosine"
    assert payload["sizes"].startswith("Custom sizes") and payload["provenance"]["seed"] == 0


@pytest.mark.slow
def test_scaling_and_ab_write_tables_figures_and_json(tmp_path, capsys, latex_compiles):
    status, _, err = run_cli(capsys, *TINY_SCALING, "--out", str(tmp_path))
    assert status == 0, err
    status, _, err = run_cli(capsys, "toy", "ab", "--n", "8", "--m", "2", "--densities", "0.1,0.03", "--steps", "40",
                             "--batch-size", "32", "--out", str(tmp_path))
    assert status == 0, err
    for stem in ("toy_scaling", "toy_ab"):
        for suffix in (".json", ".tex", ".pdf", ".png"):
            assert (tmp_path / f"{stem}{suffix}").exists(), stem + suffix
        latex_compiles(tmp_path / f"{stem}_standalone.tex")


def test_ab_json_pairs_models_and_states_the_predictions(capsys):
    status, out, err = run_cli(capsys, "toy", "ab", "--n", "8", "--m", "2", "--densities", "0.1,0.03",
                               "--regimes", "natural", "--steps", "40", "--batch-size", "32", "--json")
    assert status == 0, err
    payload = json.loads(out)
    assert payload["config"]["n_b"] == 32 and payload["config"]["m_b"] == 4
    assert payload["predictions"] == {"counting": 0.5, "interference": 0.5, "interference_coactive": 2.0,
                                      "scaling_laws": 1.0}
    assert len(payload["rows"]) == 3  # 0.1, its p_B 0.0341, 0.03
    row = payload["rows"][0]
    assert row["total_loss_ratio"] == pytest.approx(row["model_b"]["loss_per_feature"] / row["model_a"]["loss_per_feature"])


@pytest.mark.parametrize("arguments, words", [
    (("toy", "scaling", "--decays=2"), "--decays"),
    (("toy", "scaling", "--alphas=-1"), "--alphas"),
    (("toy", "scaling", "--n", "20"), "n must exceed every m"),
    (("toy", "scaling", "--m", "5,5"), "m needs at least two distinct widths"),
    (("toy", "ab", "--regimes", "weak"), "regimes"),
    (("toy", "ab", "--n", "3", "--m", "4"), "--n must exceed --m = 4"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, arguments, words):
    status, _, err = run_cli(capsys, *arguments)
    assert status == 2 and words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
