"""Start-up: the command line imports a command's heavy dependencies only when that command runs (issue 15).

Checked in a fresh interpreter through ``sys.modules``; times are measured by farm-bench, never asserted here.
"""

import subprocess
import sys

import pytest

HEAVY = ("sympy", "scipy", "matplotlib", "dask", "rich", "sklearn")


def modules_after(code: str) -> set:
    script = f"import sys\n{code}\nprint('MODULES', ' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split("MODULES ")[-1].split())


def test_importing_the_entry_point_imports_no_heavy_package():
    loaded = modules_after("import superposition.cli.main")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_top_level_help_imports_no_command_module_and_no_heavy_package():
    loaded = modules_after(
        "from superposition.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert not loaded & set(HEAVY)
    entry = {"superposition.cli.main", "superposition.cli.streams"}  # the entry point and its stdlib-only stream helpers
    assert not any(name.startswith("superposition.cli.") and name not in entry for name in loaded)


@pytest.mark.parametrize("command", ["recover"])
def test_a_numerical_command_help_needs_no_sympy_matplotlib_or_dask(command):
    loaded = modules_after(
        f"from superposition.cli.main import main\ntry:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass")
    assert not loaded & {"sympy", "matplotlib", "dask"}, loaded & {"sympy", "matplotlib", "dask"}


def test_derive_help_builds_every_topic_parser_without_sympy_scipy_or_matplotlib():
    loaded = modules_after(
        "from superposition.cli.main import main\ntry:\n    main(['derive', '--help'])\nexcept SystemExit:\n    pass")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert not any(name.startswith("superposition.cli.derive_") for name in loaded)  # no topic module either


def test_building_the_derive_parser_loads_no_topic_until_one_runs():
    loaded = modules_after("from superposition.cli.main import build_parser\nbuild_parser(['derive', 'capacity'])")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_every_command_is_listed_with_its_help_and_builds_its_parser():
    from superposition.cli.main import COMMANDS, build_parser

    listing = build_parser(["--help"]).format_help()
    full = build_parser().format_help()
    for command in COMMANDS:
        assert command.name in listing and command.summary.split(":")[0][:20] in listing.replace("\n", " ")
    assert full == listing
