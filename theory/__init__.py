"""Symbolic theory for Katta (2024), "On Implications of Scaling Laws on Feature Superposition".

Every formula the package uses lives in exactly one module here and is imported, never retyped,
by :mod:`numerics`, :mod:`proofs` and the command line.

>>> from theory.model_table import derive_model_table
>>> table = derive_model_table(k=2)
>>> table.row("features_per_neuron").ratio
2
"""
