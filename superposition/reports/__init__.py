"""Presentation of results: JSON payloads, LaTeX tables and terminal tables, one module per artefact."""
