"""Shared test configuration: Hypothesis profiles, the LaTeX compiler fixture, and GPU skipping.

Profiles: ``dev`` (default, randomized) and ``ci`` (derandomized, no deadline, so CI cannot flake);
``.ci/run`` selects ``ci`` through ``HYPOTHESIS_PROFILE``.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=50, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _gpu_available() -> bool:
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def pytest_collection_modifyitems(config, items):
    if _gpu_available():
        return
    skip = pytest.mark.skip(reason="needs CuPy and a CUDA device; none here")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def latex_compiles():
    """Assert that a standalone .tex file compiles with pdflatex (skips with the reason where it is absent)."""
    from superposition.latex import compile_pdf, pdflatex_available

    if not pdflatex_available():
        pytest.skip("pdflatex is not installed (CI installs texlive-latex-base and texlive-latex-recommended)")

    def check(path):
        process = compile_pdf(path)
        assert process.returncode == 0, process.stdout[-3000:]

    return check
