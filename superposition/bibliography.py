"""BibTeX of the note, the works it rests on, and this package (``references.bib``, written by ``verify``)."""

from importlib import resources


def references_bib() -> str:
    """The text of the package's ``references.bib``."""
    return resources.files("superposition").joinpath("references.bib").read_text(encoding="utf-8")
