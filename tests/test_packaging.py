"""What a user of the package as a library relies on: one version everywhere, a typing marker that ships."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("theory", "numerics", "proofs", "superposition")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_citation_cff_versions_equal_the_package_version():
    citation = (ROOT / "CITATION.cff").read_text("utf-8")
    versions = re.findall(r"^\s*version:\s*\"?([^\"\s]+)\"?\s*$", citation, flags=re.MULTILINE)
    assert len(versions) == 2, "CITATION.cff has a version and a preferred-citation version"
    assert set(versions) == {_project()["project"]["version"]}


def test_changelog_has_a_section_for_the_package_version():
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert f"## [{_project()['project']['version']}]" in changelog


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_carries_a_py_typed_marker_listed_as_package_data(package):
    assert (ROOT / package / "py.typed").is_file()
    assert "py.typed" in _project()["tool"]["setuptools"]["package-data"]["*"]
