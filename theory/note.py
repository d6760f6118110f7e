"""What the note prints: the claims under test, kept apart from what the package derives.

These are the seed's table cells at k = 2 (Katta 2024, "On Implications of Scaling Laws on Feature
Superposition", arXiv:2407.01459, the Model A/B table), transcribed as printed. The package derives the
table itself (:mod:`theory.model_table`) and checks it against these cells; nothing is computed from them.

The seed's "Total Parameters" row drops the constant 12 of N = 12 n_layer d_model**2: it prints
d_model**2 n_layer, which is N up to that constant.
"""

import sympy as sp

from theory.names import NOTE_K  # noqa: F401 (the width factor of the note's Model B, defined without SymPy)
from theory.symbols import F, d_model, n_layer

#: Row key -> (Model A cell, Model B cell), exactly as the seed prints them.
NOTE_TABLE = {
    "total_parameters": (d_model**2 * n_layer, d_model**2 * n_layer),
    "neurons_per_layer": (d_model, 2 * d_model),
    "layers": (n_layer, n_layer / 4),
    "total_neurons": (d_model * n_layer, d_model * n_layer / 2),
    "total_features": (F, F),
    "features_per_layer": (F / n_layer, 4 * F / n_layer),
    "features_per_neuron": (F / (d_model * n_layer), 2 * F / (d_model * n_layer)),
}


def compare_with_note(table) -> dict:
    """Row key -> (derived/printed for Model A, derived/printed for Model B), simplified.

    A row that matches the note cell by cell gives (1, 1); the parameter row gives the constant the note drops.

    >>> from theory.model_table import derive_model_table
    >>> compare_with_note(derive_model_table(k=NOTE_K))["total_parameters"]
    (12, 12)
    """
    return {
        key: tuple(sp.simplify(derived / printed) for derived, printed in zip((row.model_a, row.model_b), NOTE_TABLE[key]))
        for key, row in ((row.key, row) for row in table.rows)
    }
