"""The names ``superposition derive --help`` lists without SymPy (:mod:`theory.names`) are exactly the keys of
the registries that hold the records, in the same order."""

from theory import architectures, capacity_functions, names, scaling_laws, shapes


def test_capacity_function_names_are_the_registry_keys():
    assert names.CAPACITY_FUNCTIONS == tuple(capacity_functions.REGISTRY)
    assert all(key == record.key for key, record in capacity_functions.REGISTRY.items())


def test_architecture_summaries_are_the_families_summaries():
    assert {name: family.summary for name, family in architectures.ARCHITECTURES.items()} == names.ARCHITECTURE_SUMMARIES
    assert tuple(architectures.ARCHITECTURES) == tuple(names.ARCHITECTURE_SUMMARIES)


def test_chinchilla_constant_names_are_the_fits_keys_and_the_compute_is_the_printed_budget():
    assert tuple(scaling_laws.CHINCHILLA_FITS) == names.CHINCHILLA_CONSTANTS
    assert scaling_laws.CHINCHILLA_COMPUTE == 576 * 10**21


def test_neuron_definitions_are_what_shapes_counts():
    assert shapes.NEURON_DEFINITIONS == names.NEURON_DEFINITIONS
