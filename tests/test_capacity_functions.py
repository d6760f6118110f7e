"""The capacity-function registry: every record keeps its own promises, and every consumer reads the registry."""

import pathlib
import re

import numpy as np
import pytest
import sympy as sp

from proofs.catalogue import CAPACITY_PREMISES
from superposition.reports.proofs import CAPACITY_NOTES
from theory.capacity import p
from theory.capacity_functions import (
    CAPACITY_FUNCTIONS, REFERENCE, REGISTRY, SYMBOLIC_PREMISES, for_signal, get, required_density,
)
from theory.l1_phase_transition import SIGNALS
from theory.validation import InvalidParameter

RECORDS = list(REGISTRY.values())
ROOT = pathlib.Path(__file__).resolve().parents[1]


def sample_densities(record, points=12):
    """Densities spread over the record's decreasing branch, away from its ends."""
    return np.geomspace(1e-4, record.branch_end() * 0.97, points)


def test_keys_are_derived_from_the_records():
    assert CAPACITY_FUNCTIONS == tuple(record.key for record in RECORDS)
    assert all(REGISTRY[key].key == key for key in REGISTRY)
    assert REFERENCE is REGISTRY[REFERENCE.key]


def test_names_and_colours_are_distinct():
    for field in ("label", "symbol_latex", "heading_latex", "colour"):
        values = [getattr(record, field) for record in RECORDS]
        assert len(set(values)) == len(values), field


@pytest.mark.parametrize("record", RECORDS, ids=CAPACITY_FUNCTIONS)
def test_decreasing_on_its_branch_and_above_its_floor(record):
    values = np.array([record.evaluate(float(density)) for density in sample_densities(record)])
    assert np.all(np.diff(values) < 0)
    assert np.all(values > record.floor())


@pytest.mark.parametrize("record", RECORDS, ids=CAPACITY_FUNCTIONS)
@pytest.mark.parametrize("factor", [0.8, 2.0, 5.0])
def test_shift_solves_the_equation(record, factor):
    for density in sample_densities(record, 4):
        try:
            p_b = required_density(float(density), factor, record.key)
        except InvalidParameter:
            assert factor < 1  # k f(p_A) below the floor near the branch end
            continue
        assert record.evaluate(p_b) == pytest.approx(factor * record.evaluate(float(density)), rel=1e-8)
        assert (p_b < density) == (factor > 1)


@pytest.mark.parametrize("record", [r for r in RECORDS if r.expression is not None], ids=lambda r: r.key)
def test_expression_agrees_with_the_evaluator(record):
    for density in sample_densities(record, 5):
        assert float(record.expression(sp.Float(density))) == pytest.approx(record.evaluate(float(density)), rel=1e-12)


@pytest.mark.parametrize("record", [r for r in RECORDS if r.small_density_form is not None], ids=lambda r: r.key)
def test_small_density_form_is_the_leading_term(record):
    """The ratio of f to its small-p form tends to 1 (logarithmically slowly: within 5% at p = 1e-200)."""
    assert record.evaluate(1e-200) / float(record.small_density_form(sp.Float(1e-200))) == pytest.approx(1, rel=0.05)
    assert record.small_density_form(p).free_symbols == {p}


def test_each_signal_model_has_its_l1_function():
    assert {for_signal(signal).signal for signal in SIGNALS} == set(SIGNALS)


def test_unknown_function_is_refused_by_its_parameter_name():
    with pytest.raises(InvalidParameter, match="^function must be one of note, l1-signed, l1-nonneg"):
        get("hopfield")


def test_symbolic_premises_are_the_registry_expressions_and_the_misprint():
    assert set(SYMBOLIC_PREMISES) == {key for key, r in REGISTRY.items() if r.expression is not None} | {"printed"}
    assert set(CAPACITY_PREMISES) == set(SYMBOLIC_PREMISES)
    assert set(CAPACITY_NOTES) == set(SYMBOLIC_PREMISES)  # the proof document describes every premise
    assert all(isinstance(note, str) and note for note in CAPACITY_NOTES.values())  # a record's premise_note is set


def test_no_consumer_singles_out_a_function_by_its_key():
    """Reports, figures, CLI and proofs read the registry instead of comparing with literal keys."""
    pattern = re.compile(r"""[!=]= ?["'](note|l1-signed|l1-nonneg)["']|\{"note": |"l1-" *\+|f"l1-\{""")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for folder in ("superposition", "numerics", "proofs", "theory")
                 for path in (ROOT / folder).rglob("*.py") if path.name != "capacity_functions.py"
                 for number, line in enumerate(path.read_text().splitlines(), start=1) if pattern.search(line)]
    assert offenders == []
