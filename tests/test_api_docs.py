"""docs/api.md and the README's Python API section run: their Python blocks, top to bottom, each page as one
script in a fresh interpreter."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "docs" / "api.md"
README = ROOT / "README.md"


def python_blocks(markdown: str) -> list:
    return re.findall(r"^```python\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


def test_the_api_page_has_an_example_for_every_promised_topic():
    headings = re.findall(r"^## (.*)$", API.read_text("utf-8"), flags=re.MULTILINE)
    assert len(headings) == len(python_blocks(API.read_text("utf-8"))) == 7


def run_blocks(blocks, folder) -> subprocess.CompletedProcess:
    script = folder / "examples.py"
    script.write_text("\n\n".join(blocks))
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, str(script)], cwd=folder, env=environment, capture_output=True, text=True,
                          timeout=600)


def test_every_example_of_the_api_page_runs(tmp_path):
    process = run_blocks(python_blocks(API.read_text("utf-8")), tmp_path)
    assert process.returncode == 0, process.stderr[-3000:]
    assert "29*d_model**2*n_layer/2" in process.stdout
    assert "'problem': 0" in process.stdout


def test_the_readmes_python_api_section_runs(tmp_path):
    section = README.read_text("utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = python_blocks(section)
    assert blocks and "superposition.testing" in blocks[0]
    process = run_blocks(blocks, tmp_path)
    assert process.returncode == 0, process.stderr[-3000:]
