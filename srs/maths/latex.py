"""LaTeX formulas -> sympy expressions, for the scalar algebra a derivation step can be checked in.

sympy's own LaTeX parser guesses where it should refuse (`K^\\top` becomes K**top, `\\mathrm{softmax}`
a product of letters, `\\sum_{j=1}^n x_j` becomes n*x_j), so formulas are read here by a small
recursive-descent parser that knows exactly what it accepts and raises LatexUnsupported for the rest.
Subscripted letters start as `Indexed`; `parse_many` keeps them indexed only for letters that a sum
runs over (so `x_i` and `\\sum_j x_j` speak of one vector) and makes the others plain symbols (`d_k`).
Every symbol is a real number. sympy is imported inside functions: card kinds import this at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from srs.maths.latex_parser import LENGTH_NAME, REWRITES, TOKEN, LatexUnsupported, Parser

__all__ = [
    "LENGTH_NAME",
    "LatexUnsupported",
    "evaluate_at",
    "normalise",
    "parse_latex",
    "parse_many",
    "right_side",
    "tokenize",
]

if TYPE_CHECKING:
    import sympy


def normalise(tex: str) -> str:
    """Drop what only affects typesetting (`\\left`, spacing, `\\displaystyle`) and unify spellings."""
    for pattern, replacement in REWRITES:
        tex = re.sub(pattern, replacement, tex)
    return tex.strip()


def tokenize(tex: str) -> list[str]:
    """Split LaTeX into commands, letters, numbers and single symbols (whitespace dropped)."""
    return TOKEN.findall(tex)


def parse_latex(tex: str) -> sympy.Expr:
    """One formula (no `=`) as a sympy expression; raises LatexUnsupported for what it cannot read."""
    return parse_many([tex])[0]


def parse_many(texts: Sequence[str]) -> list[sympy.Expr]:
    """Several formulas read together, so that `x_i` means the same thing in all of them."""
    exprs = [Parser(tokenize(normalise(tex))).whole() for tex in texts]
    return [_canonical_bounds(e) for e in _settle_subscripts(exprs)]


def evaluate_at(tex: str, values: Mapping[str, Any]) -> float:
    """Numeric value of a formula (its right side, if it has `=`) at the given symbol values."""
    import sympy as sp

    expr = parse_latex(right_side(tex))
    if expr.has(sp.Symbol(LENGTH_NAME, integer=True, positive=True)):
        raise LatexUnsupported("a sum without bounds (\\sum_j) has no value; write \\sum_{j=1}^{n}")
    symbols = {_loose(s.name): s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    subs = {}
    for key, value in values.items():
        symbol = symbols.get(_loose(str(key)))
        if symbol is None:
            known = ", ".join(sorted(s.name for s in symbols.values())) or "none"
            raise LatexUnsupported(f"the formula has no symbol '{key}' (its symbols: {known})")
        subs[symbol] = sp.sympify(value)
    missing = sorted(s.name for s in symbols.values() if s not in subs)
    if missing:
        raise LatexUnsupported(f"the formula needs a value for {', '.join(missing)}")
    result = expr.xreplace(subs).doit().evalf(30)
    if not (result.is_number and result.is_real and result.is_finite):
        raise LatexUnsupported(f"the formula has no finite real value at these numbers (it gives {result})")
    return float(result)


def right_side(tex: str) -> str:
    """What a formula defines: the text after its last `=` or `:=` outside braces (the `=` of
    `\\sum_{j=1}` does not split it, nor do `<=`, `>=`, `!=`); the whole formula when it has none."""
    math = tex.strip().strip("$").strip()
    depth, cut = 0, 0
    for at, char in enumerate(math):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "=" and depth == 0 and math[at - 1 : at] not in ("<", ">", "!", "\\"):
            cut = at + 1
    return math[cut:].strip()


def _loose(name: str) -> str:
    return re.sub(r"\\(?:text|mathrm|operatorname)|[\\{}\s]", "", name)


def _settle_subscripts(exprs: list[sympy.Expr]) -> list[sympy.Expr]:
    # A letter is a vector when some sum runs over one of its subscripts; others are labels (d_k).
    import sympy as sp

    vectors = set()
    for expr in exprs:
        for op in expr.atoms(sp.Sum, sp.Product):
            bound = {limit[0] for limit in op.limits}
            vectors |= {i.base for i in op.function.atoms(sp.Indexed) if i.free_symbols & bound}
    labels = {}
    for expr in exprs:
        for item in expr.atoms(sp.Indexed):
            if item.base not in vectors:
                labels[item] = sp.Symbol(_label_name(item), real=True)
    return [expr.xreplace(labels) for expr in exprs]


def _label_name(item: sympy.Indexed) -> str:
    parts = [str(index).replace(" ", "") for index in item.indices]
    text = "".join(parts) if all(len(p) == 1 for p in parts) else ",".join(parts)
    return f"{item.base}_{text}" if len(text) == 1 else f"{item.base}_{{{text}}}"


def _canonical_bounds(expr: sympy.Expr, depth: int = 0) -> sympy.Expr:
    # Renaming bound indices by nesting depth makes \sum_j and \sum_k of the same body identical.
    import sympy as sp

    if expr.is_Atom or isinstance(expr, sp.Indexed):
        return expr
    if isinstance(expr, sp.Sum | sp.Product):
        body, limits = expr.function, []
        for n, (var, low, high) in enumerate(expr.limits):
            fresh = sp.Symbol(f"#i{depth}.{n}", integer=True)
            body = body.xreplace({var: fresh})
            limits.append((fresh, _canonical_bounds(low, depth), _canonical_bounds(high, depth)))
        return type(expr)(_canonical_bounds(body, depth + 1), *limits)
    return expr.func(*[_canonical_bounds(arg, depth) for arg in expr.args])


