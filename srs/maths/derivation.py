"""Derivations: split display math into steps, and check each step with sympy.

A step holds when sympy simplifies the difference of its sides to zero, or else when both sides agree
at several random points (fixed seed; points where a side has no real value are skipped). A step that
disagrees at a point where every symbol is positive is false. One that disagrees only where some
symbol is negative, or whose formulas cannot be read soundly, stays unverified, with the reason.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from srs.maths.latex import LENGTH_NAME, LatexUnsupported, parse_many

if TYPE_CHECKING:
    import sympy

SEED = 20240611
POINTS = 16
"""Random points tried per step; the first third are all positive, the rest mix signs."""
MIN_AGREEING = 4
"""Points at which both sides must have real values before a numeric check counts."""


@dataclass(frozen=True)
class Step:
    """One step of a derivation: `before` becomes `after` (both LaTeX, alignment marks removed)."""

    before: str
    after: str
    reason: str | None
    """Why the step holds, as markdown (from `&& \\text{...}`, a `%` comment, or `because:`)."""
    line: int
    """Line of the step's row, counting from 0 at the start of the text given to split_steps."""
    relation: str = "="
    """`=` for an equality; other relations (`\\approx`, `\\le`, ...) are kept but not checked."""


@dataclass(frozen=True)
class StepVerdict:
    """The outcome of checking one step, with a sentence saying how it was reached."""

    status: Literal["verified", "false", "unverified"]
    detail: str


class DerivationSyntaxError(ValueError):
    """The math of a derivation does not form a chain of steps; `line` counts from 0 like Step.line."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class _Row:
    math: str
    reason: str | None
    line: int


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MATH = re.compile(
    r"\$\$(?P<dollars>.*?)\$\$|\\\[(?P<brackets>.*?)\\\]"
    r"|(?P<bare>\\begin\{(?P<env>align|equation|gather|eqnarray|multline|alignat)\*?\}.*?"
    r"(?:\\end\{(?P=env)\*?\}|\Z))",
    re.S,
)
_ENVIRONMENT = re.compile(
    r"\\(?:begin|end)\{(?:aligned|align|split|gathered|gather|eqnarray|alignat|multline|equation)\*?\}(?:\{\d+\})?"
)
_ROW_BREAK = re.compile(r"\\\\(?:\[[^\]]*\])?")
_COMMENT = re.compile(r"(?<!\\)%(.*)")
_TYPESETTING_ONLY = re.compile(r"\\(?:label|tag)\*?\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])")
_TRAILING_TEXT = re.compile(r"(?:\\q?quad|\\[,;])\s*(\(?\s*\\text\s*\{.*)$", re.S)
_RELATION = re.compile(
    r"\\(?:overset|stackrel)\{(?P<why>(?:[^{}]|\{[^{}]*\})*)\}\{=\}"
    r"|(?P<rel>:=|\\(?:coloneqq|approx|leq?|geq?|neq?|equiv|propto|triangleq|simeq|sim|lt|gt)(?![A-Za-z])|[=<>])"
)


def split_steps(text: str) -> list[Step]:
    """The steps of the derivation in a source's markdown: `$$` blocks or one aligned environment."""
    text = _HTML_COMMENT.sub(_blank, text)
    rows = [row for block in _MATH.finditer(text) for row in _rows(text, block)]
    if not rows:
        raise DerivationSyntaxError("found no display math; write the derivation as $$...$$ blocks or "
                                    "as one aligned environment", 0)
    steps = _chain(rows)
    if not steps:
        raise DerivationSyntaxError("a derivation needs a starting expression and at least one "
                                    "'= ...' after it", rows[0].line)
    return steps


def _blank(match: re.Match[str]) -> str:
    # Blanking instead of deleting keeps every offset, and so every line number, where it was.
    return re.sub(r"[^\n]", " ", match.group())


def _rows(text: str, block: re.Match[str]) -> list[_Row]:
    group = next(name for name in ("dollars", "brackets", "bare") if block.group(name) is not None)
    content, offset = block.group(group), block.start(group)
    comments = [(m.start(), m.group(1).strip()) for m in _COMMENT.finditer(content)]
    for pattern in (_COMMENT, _ENVIRONMENT, _TYPESETTING_ONLY):
        content = pattern.sub(_blank, content)
    ends = [(m.start(), m.end()) for m in _ROW_BREAK.finditer(content)] + [(len(content), len(content))]
    starts, pieces, at = [], [], 0
    for end, after in ends:
        piece = content[at:end]
        if piece.strip():
            starts.append(at + len(piece) - len(piece.lstrip()))
            pieces.append(piece)
        at = after
    rows = []
    for n, (start, piece) in enumerate(zip(starts, pieces, strict=True)):
        following = starts[n + 1] if n + 1 < len(starts) else len(content)
        notes = [note for where, note in comments if (start <= where < following) and note]
        rows.append(_row(piece, notes, text.count("\n", 0, offset + start)))
    return rows


def _row(piece: str, notes: list[str], line: int) -> _Row:
    math, _, column = piece.partition("&&")
    if not column:
        trailing = _TRAILING_TEXT.search(math)
        if trailing:
            math, column = math[: trailing.start()], trailing.group(1)
    reasons = [r for r in (_reason_markdown(column), *notes) if r]
    return _Row(" ".join(math.replace("&", " ").split()), "; ".join(reasons) or None, line)


def _reason_markdown(tex: str) -> str:
    """A reason column as markdown: `\\text{...}` becomes words, anything else inline math."""
    pieces = re.split(r"\\(?:text|textrm|textit|mbox)\s*\{([^{}]*)\}", tex)
    words = []
    for n, piece in enumerate(pieces):
        math = piece if n % 2 else re.sub(r"\\q?quad|\\[,;: ]", " ", piece).strip()
        words.append(math if n % 2 or not math else f"${math}$")
    return " ".join(" ".join(words).split())


def _chain(rows: list[_Row]) -> list[Step]:
    steps: list[Step] = []
    current: str | None = None
    for row in rows:
        first, links = _split_relations(row.math)
        if not links and current is not None:
            raise DerivationSyntaxError(f"'{first}' does not continue the derivation; start it with '= '",
                                        row.line)
        current = current if current is not None else first or None
        if links and current is None:
            raise DerivationSyntaxError("the derivation starts with a relation; write the starting "
                                        "expression first", row.line)
        for relation, why, expression in links:
            if not expression:
                raise DerivationSyntaxError(f"nothing follows '{relation}'", row.line)
            reason = "; ".join(r for r in (_reason_markdown(why), row.reason) if r) or None
            steps.append(Step(str(current), expression, reason, row.line, relation))
            current = expression
    return steps


def _split_relations(math: str) -> tuple[str, list[tuple[str, str, str]]]:
    # Only relations outside braces count: the `=` of \sum_{j=1} is not one.
    depth_at, depth = [], 0
    for char in math:
        depth_at.append(depth)
        depth += {"{": 1, "}": -1}.get(char, 0)
    cuts = [m for m in _RELATION.finditer(math) if depth_at[m.start()] == 0]
    bounds = [m.start() for m in cuts] + [len(math)]
    links = [(m.group("rel") or "=", m.group("why") or "", math[m.end() : bounds[n + 1]].strip())
             for n, m in enumerate(cuts)]
    return math[: bounds[0]].strip(), links


def check(step: Step) -> StepVerdict:
    """Verdict on a whole step: equalities are checked, other relations are left unverified."""
    if step.relation != "=":
        return StepVerdict("unverified", f"srs checks '=' steps only; this step uses '{step.relation}'")
    return check_step(step.before, step.after)


def check_step(before: str, after: str) -> StepVerdict:
    """Does `before = after` hold? Symbolically if sympy can tell, else at random points.

    The verdict depends on nothing else (the random points are seeded), so a build keeps it. sympy
    works under a time budget; a step it cannot settle in time stays unverified, and is not kept, so
    the next build tries again.
    """
    from srs.core.memo import remembered
    from srs.maths.budget import OverBudget, Refused

    try:
        check = lambda: _check_in_helper(before, after)  # noqa: E731
        return remembered("step", [before, after], check, _verdict_json, _verdict)
    except OverBudget as over:
        why = f"{over}, the time srs gives one step; smaller numbers or powers help"
        return StepVerdict("unverified", why)
    except Refused as refused:  # sympy or the LaTeX reader failed in a way it has no verdict for
        return StepVerdict("unverified", f"srs cannot check this step: {refused.kind}: {refused.message}")


def _check_in_helper(before: str, after: str) -> StepVerdict:
    from srs.maths.budget import check_step_within_budget

    return _verdict(check_step_within_budget(before, after))


def _verdict_json(verdict: StepVerdict) -> list[str]:
    return [verdict.status, verdict.detail]


def _verdict(kept: Any) -> StepVerdict:
    status, detail = kept
    if status not in ("verified", "false", "unverified"):
        raise ValueError(f"not a verdict: {status!r}")
    return StepVerdict(status, str(detail))


def _check_step(before: str, after: str) -> StepVerdict:
    try:
        left, right = parse_many([before, after])
    except LatexUnsupported as exc:
        return StepVerdict("unverified", f"srs cannot check this step: {exc.message}")
    return compare(left, right)


def compare(left: sympy.Expr, right: sympy.Expr) -> StepVerdict:
    """Verdict on `left = right` for two parsed formulas."""
    from sympy.core.function import AppliedUndef

    difference = left - right
    if difference == 0 or _simplifies_to_zero(difference):
        return StepVerdict("verified", "sympy simplifies the difference of the two sides to 0")
    opaque = sorted({str(f.func) for f in difference.atoms(AppliedUndef)})
    if opaque:
        return StepVerdict("unverified", f"sympy cannot show the sides equal, and srs cannot evaluate "
                                         f"{', '.join(opaque)} to compare them at numbers")
    return _compare_at_points(left, right)


MAX_EXPANDED_POWER = 8
"""The highest power of a sum that srs lets sympy write out term by term."""


def _simplifies_to_zero(difference: sympy.Expr) -> bool:
    """Does sympy turn the difference into 0? Cheap exact rewrites first, `simplify` last.

    Most steps are settled by expanding or cancelling fractions, in milliseconds; `simplify` tries
    far more (and its first call imports sympy.physics), so it runs only when those give up. A
    high power of a sum, `(1+r)^{360}`, would make expanding and cancelling write out hundreds of
    terms, so such a step goes to `simplify` at once.
    """
    import sympy as sp

    high_power = any(
        power.base.is_Add and power.exp.is_Integer and abs(int(power.exp)) > MAX_EXPANDED_POWER
        for power in difference.atoms(sp.Pow)
    )
    rewrites = (sp.simplify,) if high_power else (sp.expand, sp.cancel, sp.simplify)
    for rewrite in rewrites:
        try:
            if rewrite(difference) == 0:
                return True
        except Exception:  # sympy can fail deep inside; the next rewrite or the numeric check decides
            continue
    return False


def _compare_at_points(left: sympy.Expr, right: sympy.Expr) -> StepVerdict:
    # A step that fails only where some symbol is negative is left unverified, not false: authors
    # often mean positive quantities (\sqrt{\sigma^2} = \sigma) without saying so.
    rng = random.Random(SEED)
    agreed, only_positive = 0, ""
    for n in range(POINTS):
        values = _evaluate_both(left, right, rng, mixed_signs=n >= POINTS // 3)
        if values is None:
            continue
        lhs, rhs, point, positive = values
        if abs(lhs - rhs) <= 1e-9 * max(1.0, abs(lhs), abs(rhs)):
            agreed += 1
            continue
        detail = f"at {point} the left side is {lhs:.6g} but the right side is {rhs:.6g}"
        if positive:
            return StepVerdict("false", detail)
        only_positive = only_positive or detail
    if only_positive:
        return StepVerdict("unverified", f"the step holds for positive values only: {only_positive}; "
                                         "write |x| where the sign matters")
    if agreed < MIN_AGREEING:
        return StepVerdict("unverified", f"sympy cannot simplify the difference to 0, and the sides "
                                         f"have real values at only {agreed} of {POINTS} random points")
    return StepVerdict("verified", f"the two sides agree at {agreed} random points")


def _evaluate_both(
    left: sympy.Expr, right: sympy.Expr, rng: random.Random, mixed_signs: bool
) -> tuple[float, float, str, bool] | None:
    # Integers first (vector lengths, sum bounds, free indices), so sums can be written out.
    import sympy as sp

    integers = _integer_values(left, right, rng)
    sides = [side.xreplace(integers).doit() for side in (left, right)]
    unknowns = sorted(set().union(*(_unknowns(side) for side in sides)), key=str)
    reals: dict[Any, Any] = {}
    for unknown in unknowns:
        value = sp.Rational(rng.randint(30, 300), 100)
        while value in reals.values() or -value in reals.values():
            value += sp.Rational(1, 100)
        reals[unknown] = -value if mixed_signs and rng.random() < 0.5 else value
    lhs, rhs = (_real_number(side, reals) for side in sides)
    if lhs is None or rhs is None:
        return None
    return lhs, rhs, _describe_point(integers, reals), all(v > 0 for v in reals.values())


def _integer_values(left: sympy.Expr, right: sympy.Expr, rng: random.Random) -> dict[Any, Any]:
    import sympy as sp

    sizes: set[Any] = set()
    indices: set[Any] = set()
    for side in (left, right):
        for op in side.atoms(sp.Sum, sp.Product):
            sizes |= {s for limit in op.limits for bound in limit[1:] for s in bound.free_symbols}
        for item in side.atoms(sp.Indexed):
            indices |= {s for s in item.free_symbols if isinstance(s, sp.Symbol) and s != item.base.label}
    indices = {s for s in indices - sizes if not s.name.startswith("#i")}
    values = {s: sp.Integer(rng.randint(3, 5)) for s in sorted(sizes, key=str)}
    values.update({s: sp.Integer(rng.randint(1, 2)) for s in sorted(indices, key=str)})
    return values


def _unknowns(side: sympy.Expr) -> set[Any]:
    import sympy as sp

    found = set(side.atoms(sp.Indexed))
    labels = {item.base.label for item in found}
    return found | {s for s in side.atoms(sp.Symbol) if s not in labels}


def _real_number(expr: sympy.Expr, values: dict[Any, Any]) -> float | None:
    """The real value of `expr` at `values`; None where it or any part of it has no real value."""
    import sympy as sp

    # Judge logs and roots before substituting: sympy folds sqrt(-2)*sqrt(-3) into -sqrt(6).
    for log in expr.atoms(sp.log):
        if not _at_least(log.args[0].xreplace(values), 0, strict=True):
            return None
    for power in expr.atoms(sp.Pow):
        if not power.exp.is_integer and not _at_least(power.base.xreplace(values), 0, strict=False):
            return None
    value = expr.xreplace(values).evalf(30)
    if not value.is_number or value.has(sp.nan, sp.zoo):
        return None
    real, imag = value.as_real_imag()
    if not (real.is_finite and imag.is_finite) or abs(imag) > 1e-20 * (1 + abs(real)):
        return None
    return float(real)


def _at_least(expr: sympy.Expr, bound: int, strict: bool) -> bool:
    value = expr.evalf(30)
    if not (value.is_number and value.is_real):
        return False
    return bool(value > bound) if strict else bool(value >= bound)


def _describe_point(integers: dict[Any, Any], reals: dict[Any, Any]) -> str:
    parts = []
    for symbol, value in [*integers.items(), *reals.items()]:
        name = "vector length" if str(symbol) == LENGTH_NAME else _readable(symbol)
        parts.append(f"{name} = {value}" if value.is_Integer else f"{name} = {float(value):g}")
    return ", ".join(parts) or "every point"


def _readable(symbol: Any) -> str:
    text = str(symbol)
    match = re.fullmatch(r"(.+)\[(.+)\]", text)
    return f"{match[1]}_{match[2]}" if match and "," not in match[2] else text
