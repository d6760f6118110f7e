"""The solver registry: every solver satisfies one protocol, declares exactly the options its constructor takes,
and any other option is refused in one place with one line (the CLI's --max-iter for the LP and OMP included)."""

import inspect

import pytest

from numerics.solvers.base import Solver
from numerics.solvers.registry import CLASSES, SOLVERS, build_solver, check_options
from theory.validation import InvalidParameter
from tests.cli_in_process import in_process


def constructor_options(cls) -> set:
    """Keyword parameters of the constructor, following ``**options`` up the class hierarchy."""
    names = set()
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue
        parameters = inspect.signature(klass.__init__).parameters.values()
        names |= {p.name for p in parameters if p.kind == p.KEYWORD_ONLY}
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            break
    return names - {"nonnegative"}


def test_names_come_from_the_classes():
    assert SOLVERS == tuple(cls.name for cls in CLASSES.values())


@pytest.mark.parametrize("solver", SOLVERS)
def test_each_solver_satisfies_the_protocol_and_declares_its_constructor_options(solver):
    cls = CLASSES[solver]
    assert set(cls.accepts) == constructor_options(cls)
    instance, _ = build_solver(solver, m=20, n=40, sparsity=3)
    assert isinstance(instance, Solver)


@pytest.mark.parametrize("solver", ["lp", "omp"])
def test_an_option_the_solver_does_not_take_is_refused_by_its_name(solver):
    with pytest.raises(InvalidParameter, match=f"^max_iter is not an option of solver '{solver}'"):
        build_solver(solver, m=20, n=40, sparsity=3, max_iter=10)


def test_options_not_given_are_dropped_and_derived_ones_completed():
    assert check_options("amp", {"max_iter": None}) == {}
    _, used = build_solver("amp", m=20, n=40, sparsity=3)
    assert set(used) == {"alpha"}
    _, used = build_solver("omp", m=20, n=40, sparsity=3, rtol=1e-9)
    assert used == {"rtol": 1e-9, "sparsity": 3}


@pytest.mark.parametrize("command", [
    ("phase-transition", "--solver", "lp", "--max-iter", "10", "--n", "20", "--trials", "1"),
    ("capacity", "--solver", "lp", "--max-iter", "10"),
    ("recover", "--solver", "omp", "--max-iter", "10", "--batch", "2"),
    ("recover", "--solver", "lp", "--max-iter", "10", "--batch", "2"),
])
def test_cli_refuses_max_iter_for_a_solver_without_it_in_one_line(tmp_path, capsys, command):
    status, out, err = in_process(capsys, *command, "--out", str(tmp_path / "out"))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--max-iter" in err and "Traceback" not in err
