"""``superposition verify`` writes its artefacts and summary, its exit status reflects the checks, and its
headline counts passed, failed, skipped and measured apart, naming the install fix of every skip."""

import json
from pathlib import Path

from superposition.checks import Check, measurement
from superposition.cli import verify
from superposition.latex import PDFLATEX_FIX
from test_cli_derive import superposition


def test_without_pdflatex_the_latex_checks_are_skipped_not_passed_and_name_the_install_command(monkeypatch):
    monkeypatch.setattr(verify, "pdflatex_available", lambda: False)
    checks = verify.latex_checks([Path("table_standalone.tex"), Path("figure_standalone.tex"), Path("table.tex")])
    checks += [Check("derive.x", True, ""), Check("derive.y", False, ""), measurement("toy.z", "ratio 0.5")]
    assert verify.headline(checks) == ("1 passed, 1 failed, 2 skipped (not run: see the fix below), "
                                       "1 measurement (no pass mark) of 5")
    assert verify.fixes(checks) == {PDFLATEX_FIX: ["latex.table_standalone.tex", "latex.figure_standalone.tex"]}
    assert "apt-get install texlive-latex-base" in PDFLATEX_FIX


def test_verify_writes_summary_with_provenance(tmp_path):
    result = superposition("verify", "--out", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["passed"] is True and summary["counts"]["failed"] == 0
    assert {"command", "version", "git_commit", "timestamp", "seed", "backend", "device"} <= set(summary["provenance"])
    names = {check["name"] for check in summary["checks"]}
    assert "model_table.features_per_neuron" in names
    for artefact in ("references.bib", "table_model_ab.tex", "table_model_ab.json"):
        assert (tmp_path / artefact).exists(), artefact
    assert "@article{katta2024implications" in (tmp_path / "references.bib").read_text()
    assert json.loads(result.stdout)["passed"] is True
    counts = summary["counts"]
    assert counts["passed"] + counts["failed"] + counts["skipped"] + counts["measurements"] == len(summary["checks"])
    kinds = {check["name"]: check["kind"] for check in summary["checks"]}
    assert kinds["toy.capacity.doubling_density"] == "measurement"
    assert all(check["fix"] for check in summary["checks"] if check["passed"] is None and check["kind"] == "check")


def test_every_stage_function_of_a_command_module_runs_in_verify_once():
    """The stages come from the one command list: each ``verify_*stage`` function of superposition/cli is named by
    exactly one COMMANDS entry, under a distinct stage name."""
    import ast

    from superposition.cli.main import COMMANDS

    folder = Path(verify.__file__).parent
    defined = {f"{path.stem}:{node.name}" for path in folder.glob("*.py")
               for node in ast.parse(path.read_text("utf-8")).body
               if isinstance(node, ast.FunctionDef) and node.name.startswith("verify_") and node.name.endswith("stage")}
    defined -= {f"{path.stem}:verify_stage" for path in folder.glob("derive_*.py")}  # derive's topics: derive's stage
    named = [target for command in COMMANDS for _, target in command.stages]
    assert sorted(named) == sorted(defined)
    assert len({name for command in COMMANDS for name, _ in command.stages}) == len(named)
    assert [name for name, _ in verify.stages()] == [name for command in COMMANDS for name, _ in command.stages]
