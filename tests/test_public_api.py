"""The public modules of the Python API: names listed in ``__all__``, every listed function fully type-hinted."""

import importlib
import inspect

import pytest

#: Modules docs/api.md uses, plus the strategies: what a user imports.
PUBLIC_MODULES = (
    "theory.architectures", "theory.model_table", "theory.published_shapes", "theory.shapes", "theory.symbols",
    "theory.total_capacity", "theory.validation", "superposition.latex", "superposition.testing",
)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_public_module_lists_its_names_and_each_exists(name):
    module = importlib.import_module(name)
    assert isinstance(module.__all__, list)
    missing = [item for item in module.__all__ if not hasattr(module, item)]
    assert not missing


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_listed_function_has_type_hints_on_its_parameters_and_result(name):
    module = importlib.import_module(name)
    unhinted = []
    for item in module.__all__:
        function = getattr(module, item)
        if not inspect.isfunction(function):
            continue
        signature = inspect.signature(function)
        if signature.return_annotation is inspect.Signature.empty:
            unhinted.append(f"{item} -> ?")
        unhinted += [f"{item}({parameter})" for parameter in signature.parameters.values()
                     if parameter.annotation is inspect.Parameter.empty]
    assert not unhinted, unhinted
