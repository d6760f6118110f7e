"""Three pictures of superposition (counting, m^2 variant, interference) derived from the Model A/B table."""

import json

import pytest
import sympy as sp

from cli_in_process import in_process
from theory import superposition_pictures as pictures
from theory.model_table import derive_model_table
from theory.symbols import k
from theory.validation import InvalidParameter


def test_welch_bound_is_the_frobenius_bound_on_a_gram_matrix():
    """(n - m)/(m (n - 1)); zero at n = m (an orthonormal basis); tends to 1/m."""
    assert pictures.welch_bound(1000, 10) == sp.Rational(990, 9990)
    assert pictures.welch_bound(7, 7) == 0
    assert pictures.overlap_many_features(10) == sp.Rational(1, 10)


def test_welch_bound_is_attained_by_a_simplex_and_respected_by_random_vectors():
    """The n = m + 1 simplex in R^m is a tight frame: its squared overlaps all equal 1/m^2 = the Welch bound."""
    np = pytest.importorskip("numpy")
    m = 5
    simplex = np.eye(m + 1) - 1 / (m + 1)
    simplex /= np.linalg.norm(simplex, axis=1, keepdims=True)  # m + 1 unit vectors in an m-dim subspace
    gram = simplex @ simplex.T
    off = gram[~np.eye(m + 1, dtype=bool)] ** 2
    assert off.mean() == pytest.approx(float(pictures.welch_bound(m + 1, m)), rel=1e-12)
    vectors = np.random.default_rng(0).standard_normal((200, 20))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    gram = vectors @ vectors.T
    assert (gram[~np.eye(200, dtype=bool)] ** 2).mean() >= float(pictures.welch_bound(200, 20))


def test_each_picture_ratio_follows_from_the_table_rows():
    """B/A rebuilt by hand from the table's ratios: width k, layers 1/k^2, features per layer k^2."""
    table = derive_model_table()
    width, layers, per_layer = (table.row(key).ratio for key in ("neurons_per_layer", "layers", "features_per_layer"))
    assert (width, layers, per_layer) == (k, k**-2, k**2)
    result = pictures.derive_pictures()
    expected = {
        "counting": layers * width,                                 # L m f(p)
        "quadratic": layers * width**2,                             # L m^2 f(p)
        "interference": layers * per_layer / width,                 # L n_l (1/m)
        "interference_coactive": layers * per_layer**2 / width,     # L (n_l p)^2 (1/m)
    }
    for key, ratio in expected.items():
        assert sp.simplify(result.picture(key).ratio - ratio) == 0, key


def test_only_the_m2_variant_agrees_with_the_scaling_laws():
    result = pictures.derive_pictures()
    assert result.scaling_law_ratio == 1
    assert [row.key for row in result.pictures if result.agrees_with_scaling_laws(row.key)] == ["quadratic"]


def test_values_at_k_2_and_the_capacity_model_b_needs():
    result = pictures.derive_pictures(k=2)
    assert {row.key: row.ratio for row in result.pictures} == {
        "counting": sp.Rational(1, 2), "quadratic": 1, "interference": sp.Rational(1, 2), "interference_coactive": 2}
    assert result.picture("counting").needed == 2 and result.picture("quadratic").needed == 1
    assert result.picture("interference_coactive").per_layer_ratio == 8


def test_bad_k_names_the_parameter():
    with pytest.raises(InvalidParameter) as error:
        pictures.derive_pictures(k=0)
    assert error.value.name == "k"


def test_cli_json_and_latex(capsys):
    status, stdout, _ = in_process(capsys, "derive", "superposition-pictures", "--k", "3", "--json")
    assert status == 0
    payload = json.loads(stdout)
    rows = {row["key"]: row for row in payload["pictures"]}
    assert rows["counting"]["ratio_at_k"]["text"] == "1/3" and rows["interference_coactive"]["ratio_at_k_float"] == 3
    assert rows["quadratic"]["agrees_with_scaling_laws"] is True and rows["interference"]["agrees_with_scaling_laws"] is False
    assert payload["density_needed"]["p_a"] == 0.1 and 0 < payload["density_needed"]["p_b"] < 0.1
    assert "disagree" in payload["summary"] and payload["provenance"]["package"] == "scaling-superposition"
    status, stdout, _ = in_process(capsys, "derive", "superposition-pictures", "--format", "latex")
    assert status == 0 and r"\label{tab:superposition-pictures}" in stdout


@pytest.mark.slow
def test_out_writes_latex_that_compiles(tmp_path, latex_compiles, capsys):
    status, _, _ = in_process(capsys, "derive", "superposition-pictures", "--out", str(tmp_path))
    assert status == 0
    latex_compiles(tmp_path / "table_superposition_pictures_standalone.tex")


def test_a_count_growing_like_d_cubed_changes_the_table_and_the_pictures():
    """With N ~ d^3 L (injected count), Model B has 1/k^3 the layers: counting gives k^-2, the m^2 variant 1/k."""
    result = pictures.derive_pictures(parameter_count=lambda d, layers: d**3 * layers)
    assert result.picture("counting").ratio == k**-2 and result.picture("quadratic").ratio == 1 / k
