"""docs/api.md runs: its Python blocks, top to bottom, as one script in a fresh interpreter."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "docs" / "api.md"


def python_blocks(markdown: str) -> list:
    return re.findall(r"^```python\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


def test_the_api_page_has_an_example_for_every_promised_topic():
    headings = re.findall(r"^## (.*)$", API.read_text("utf-8"), flags=re.MULTILINE)
    assert len(headings) == len(python_blocks(API.read_text("utf-8"))) == 7


def test_every_example_of_the_api_page_runs(tmp_path):
    script = tmp_path / "api_examples.py"
    script.write_text("\n\n".join(python_blocks(API.read_text("utf-8"))))
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    process = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=environment, capture_output=True,
                             text=True, timeout=600)
    assert process.returncode == 0, process.stderr[-3000:]
    assert "29*d_model**2*n_layer/2" in process.stdout
    assert "'problem': 0" in process.stdout
