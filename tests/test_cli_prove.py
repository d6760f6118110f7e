"""``superposition prove``: the checklist, proofs.tex (compiles) and proofs.json, exit statuses, the verify stage."""

import json
from collections import Counter

import pytest
import sympy as sp

from proofs.catalogue import NAMES, by_name
from proofs.lemma import CITED, EVIDENCE, LEGEND, PROVED_SMT, PROVED_SYMBOLIC, Lemma
from proofs.tactics import identity
from cli_in_process import in_process
from test_cli_derive import superposition


def test_prove_checks_every_lemma_and_writes_a_document_that_compiles(tmp_path, latex_compiles):
    result = superposition("prove", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    declared = Counter(by_name(name).evidence for name in NAMES)  # test_proofs: each status is exactly its claim
    order = (PROVED_SYMBOLIC, PROVED_SMT, CITED, EVIDENCE)
    assert ", ".join(f"{declared[status]} {status}" for status in order if declared[status]) + " in" in result.stdout
    assert "✓Z3 theorem: (S), (P), (U) and (D) together are unsatisfiable" in result.stdout
    assert result.stdout.count("Z3 answers sat: k = ") == 5 and "Z3 answers unsat" in result.stdout
    assert all(f"{status}:" in result.stdout for status in LEGEND)
    document = (tmp_path / "proofs.tex").read_text()
    assert "% git_commit:" in document and r"\begin{lemma}" in document and "W_{-1}" in document
    assert document.count(r"Z3 answers \textbf{sat}") == 5 and r"Z3 answers \textbf{unsat}" in document
    assert all(status in document for status in LEGEND) and "18 L d" in document
    latex_compiles(tmp_path / "proofs.tex")
    payload = json.loads((tmp_path / "proofs.json").read_text())
    assert payload["status"] == "numerical evidence" and [lemma["name"] for lemma in payload["lemmas"]] == list(NAMES)
    assert set(payload["legend"]) == {*LEGEND, "rule"}
    theorem = payload["lemmas"][-1]
    assert theorem["status"] == "proved (SMT)" and theorem["steps"][0]["smt"]["verdict"] == "unsat"
    assert {"command", "version", "git_commit"} <= set(payload["provenance"])


def test_prove_json_only_one_lemma(tmp_path, capsys):
    status, out, err = in_process(capsys, "prove", "--only", "density-shift", "--json", "--out", str(tmp_path))
    assert status == 0, err
    payload = json.loads(out)
    (lemma,) = payload["lemmas"]
    assert lemma["name"] == "density-shift" and lemma["status"] == "cited"
    assert any("LambertW" in claim["text"] for claim in lemma["statement"])
    assert payload["provenance"]["package"] == "scaling-superposition"


def test_unknown_lemma_is_a_one_line_error_listing_the_names(capsys):
    status, out, err = in_process(capsys, "prove", "--only", "lemma-42")
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "invalid choice: 'lemma-42'" in err and all(name in err for name in NAMES)


def test_an_unwritable_out_folder_is_a_one_line_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status, _, err = in_process(capsys, "prove", "--only", "cylinder", "--out", str(blocker / "sub"))
    assert status == 2 and err.count("\n") == 1 and "--out" in err


def test_a_failing_lemma_exits_1_and_is_listed(tmp_path, monkeypatch, capsys):
    x = sp.Symbol("x", positive=True)
    broken = Lemma("broken", "A wrong identity", (), lambda: [identity("x = x + 1", x, x + 1, conclusion=True)])
    monkeypatch.setattr("proofs.catalogue.ALL", (broken,))
    status, out, _ = in_process(capsys, "prove", "--out", str(tmp_path))
    assert status == 1 and "✗" in out and "x = x + 1" in out
    assert json.loads((tmp_path / "proofs.json").read_text())["counts"]["failed"] == 1


def test_the_printed_capacity_sign_fails_the_lemmas_that_use_f(tmp_path, capsys):
    status, out, _ = in_process(capsys, "prove", "--capacity", "printed", "--json", "--out", str(tmp_path))
    payload = json.loads(out)
    failed = {lemma["name"] for lemma in payload["lemmas"] if lemma["status"] == "failed"}
    assert status == 1 and payload["capacity"] == "printed"
    assert failed == {"capacity-shape", "density-shift", "theorem"}
    assert "1/(p \\ln p)$, the sign some copies" in (tmp_path / "proofs.tex").read_text()


def test_verify_stage_records_one_check_per_lemma_and_compiles_the_document(tmp_path):
    from superposition.artefacts import Artefacts
    from superposition.cli import prove
    from superposition.cli.verify import StageContext
    from superposition.latex import pdflatex_available
    from superposition.provenance import collect

    context = StageContext(Artefacts(tmp_path, collect()), seed=0, backend="numpy")
    checks = {check.name: check for check in prove.verify_stage(context)}
    assert {f"proofs.{name}" for name in NAMES} <= set(checks)
    assert all(checks[f"proofs.{name}"].passed for name in NAMES)
    assert (tmp_path / "proofs.tex").exists() and (tmp_path / "proofs.json").exists()
    if pdflatex_available():
        assert checks["latex.proofs.tex"].passed, checks["latex.proofs.tex"].detail
    else:
        pytest.skip("pdflatex is not installed")
