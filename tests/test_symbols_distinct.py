"""Distinct quantities are distinct SymPy symbols: a Symbol with another's name and assumptions would *be* it."""

import ast
import importlib
import itertools
import pathlib

import sympy as sp

THEORY = pathlib.Path(__file__).resolve().parents[1] / "theory"


def defined_symbols():
    """(module.name, symbol) for every module-level ``name = sp.Symbol(...)`` / ``sp.symbols(...)`` in theory/."""
    found = []
    for path in sorted(THEORY.glob("*.py")):
        module = importlib.import_module(f"theory.{path.stem}")
        for node in ast.parse(path.read_text()).body:
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "attr", None) in ("Symbol", "symbols")):
                continue
            targets = node.targets[0].elts if isinstance(node.targets[0], ast.Tuple) else node.targets
            found += [(f"{path.stem}.{target.id}", getattr(module, target.id)) for target in targets]
    return found


def test_every_exported_symbol_is_distinct_from_every_other():
    symbols = defined_symbols()
    assert len(symbols) > 30 and all(isinstance(symbol, sp.Symbol) for _, symbol in symbols)
    aliases = [(a, b) for (a, x), (b, y) in itertools.combinations(symbols, 2) if x == y]
    assert aliases == []
