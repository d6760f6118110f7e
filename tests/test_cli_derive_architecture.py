"""``derive --architecture``: the Model A/B table under SwiGLU and grouped-query counts, and the refusal of the rest."""

import json

import pytest

from cli_in_process import in_process


def _json(capsys, *arguments):
    status, out, err = in_process(capsys, "derive", "--json", *arguments)
    assert status == 0, err
    return json.loads(out)


def _ratios(payload):
    return {row["key"]: row["ratio_b_over_a"]["text"] for row in payload["rows"]}


@pytest.mark.parametrize("arguments, count", [
    (("--architecture", "swiglu"), "12*d_model**2*n_layer"),
    (("--architecture", "gqa"), "41*d_model**2*n_layer/4"),
    (("--architecture", "gqa", "--kv-ratio", "1/4"), "21*d_model**2*n_layer/2"),
    (("--architecture", "swiglu-gqa", "--ff-ratio", "43/16"), "165*d_model**2*n_layer/16"),
])
def test_every_homogeneous_family_gives_the_notes_ratios_and_says_why(arguments, count, capsys):
    payload = _json(capsys, "--k", "2", *arguments)
    assert payload["architecture"]["count"]["text"] == count
    assert payload["architecture"]["homogeneous_degree_2_1"] is True
    assert payload["rows"][0]["model_a"]["text"] == count
    assert _ratios(payload) == {"total_parameters": "1", "neurons_per_layer": "2", "layers": "1/4",
                                "total_neurons": "1/2", "total_features": "1", "features_per_layer": "4",
                                "features_per_neuron": "2"}


def test_the_mlp_neurons_of_a_swiglu_table_are_its_own_d_ff(capsys):
    payload = _json(capsys, "--k", "2", "--architecture", "swiglu", "--neurons", "mlp")
    assert payload["rows"][1]["model_a"]["text"] == "8*d_model/3"


def test_the_latex_footnote_names_the_family_and_its_source(capsys):
    status, out, _ = in_process(capsys, "derive", "--k", "2", "--architecture", "swiglu-gqa", "--format", "latex")
    assert status == 0
    assert "Parameter count: swiglu-gqa" in out and "arXiv:2307.09288" in out and "homogeneous of degree 2" in out
    assert "dropping the constant" not in out


@pytest.mark.parametrize("arguments, words", [
    (("--architecture", "gqa-fixed-kv"), "--architecture must be homogeneous of degree 2 in d_model and 1 in n_layer"),
    (("--architecture", "gqa-fixed-kv"), "its term 2048*d_model*n_layer has degree 1 in d_model"),
    (("--kv-ratio", "1/2"), "--kv-ratio needs --architecture"),
    (("--architecture", "gqa", "--kv-ratio", "3/2"), "--kv-ratio must be <= 1"),
    (("--architecture", "mamba"), "argument --architecture: invalid choice: 'mamba'"),
])
def test_a_family_the_argument_cannot_use_is_a_one_line_error(arguments, words, capsys):
    status, out, err = in_process(capsys, "derive", *arguments)
    assert status == 2 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1
