"""The note's argument as machine-checked lemmas (SymPy), each with a LaTeX statement."""
