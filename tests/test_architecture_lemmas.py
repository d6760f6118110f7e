"""The lemmas and the theorem under every architecture family: the same status as under Kaplan's count for each
homogeneous family, failed for the one that is not."""

import pytest

from proofs.catalogue import ALL
from theory.architectures import ARCHITECTURES

COUNT_LEMMAS = [lemma for lemma in ALL if "parameter_count" in lemma.premises]
HOMOGENEOUS = [name for name, family in ARCHITECTURES.items() if family.is_homogeneous]


def test_the_theorem_and_the_shape_lemmas_take_a_parameter_count():
    assert {"parameter-invariance", "neuron-scaling", "exponent-uniqueness", "theorem"} <= {
        lemma.name for lemma in COUNT_LEMMAS}
    assert HOMOGENEOUS == ["kaplan", "swiglu", "gqa", "swiglu-gqa"]


@pytest.mark.parametrize("name", HOMOGENEOUS)
@pytest.mark.parametrize("lemma", COUNT_LEMMAS, ids=lambda lemma: lemma.name)
def test_a_homogeneous_family_leaves_every_status_as_under_kaplans_count(lemma, name):
    assert lemma.check(parameter_count=ARCHITECTURES[name]).status == lemma.check().status != "failed"


@pytest.mark.parametrize("lemma", COUNT_LEMMAS, ids=lambda lemma: lemma.name)
def test_a_fixed_key_value_width_fails_every_lemma_that_rests_on_the_count(lemma):
    assert lemma.check(parameter_count=ARCHITECTURES["gqa-fixed-kv"]).status == "failed"


def test_prove_architecture_checks_the_theorem_under_that_count(capsys, tmp_path):
    import json

    from cli_in_process import in_process

    status, out, err = in_process(capsys, "prove", "--only", "theorem", "--only", "parameter-invariance",
                                  "--architecture", "swiglu-gqa", "--json", "--out", str(tmp_path))
    assert status == 0, err
    payload = json.loads(out)
    assert payload["architecture"]["name"] == "swiglu-gqa" and payload["architecture"]["homogeneous_degree_2_1"]
    assert payload["counts"]["failed"] == 0
    status, out, err = in_process(capsys, "prove", "--architecture", "gqa-fixed-kv", "--out", str(tmp_path))
    assert status == 2 and out == "" and "--architecture must be homogeneous" in err
