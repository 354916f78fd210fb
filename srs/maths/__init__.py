"""LaTeX read into sympy, and derivation steps checked within a time budget."""
