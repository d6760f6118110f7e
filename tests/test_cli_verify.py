"""``superposition verify`` writes its artefacts and summary, and its exit status reflects the checks."""

import json

from test_cli_derive import superposition


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
