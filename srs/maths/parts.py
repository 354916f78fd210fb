"""The part of a display formula worth asking for on its own, as a span of its LaTeX source.

Knowing `\\hat x = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}` means knowing what it divides by;
knowing `m_t = \\beta m_{t-1} + (1 - \\beta) g_t` means knowing the new gradient's term. `formula_parts`
reads the right side of a formula at the top level only, keeps every character where it was, and
returns the span to hide (formulas written the same way twice share a cloze):

- a sum of two to four terms: the term with most in it; when only one term is more than a lone
  symbol, the part inside it (`w - \\eta \\frac{m}{\\sqrt{v} + \\epsilon}` asks for the denominator);
- a term holding a fraction: its denominator (less a guard `+ \\epsilon` added to it), or its numerator
  over a bare denominator;
- a function of one argument (`\\sqrt{...}`, `\\mathrm{softmax}(...)`, a sum's summand, what
  `\\max(0, ...)` clamps): the part of the argument, or the argument itself;
- a product: its one factor that is more than a lone symbol or a number;
- a min or max (`\\arg\\min_P \\langle P, C \\rangle - \\varepsilon H(P)`): read over the whole objective
  after it, whose last term (a penalty, an entropy) is asked when it has several;
- a chain `a = b = c`: its last side whole, when it works a series out to a closed form or the side
  before out to a shorter form in one step; `<premise> \\Longrightarrow x = <result>`: the result
  (`worked_step` tells these steps of algebra apart, as it does a formula whose two sides open with
  the same function, `\\log(a + b) = \\log(\\ldots)`; they are asked on request only);
- a formula with no part whose left side names it (one symbol, or the derivative of one): its whole
  right side (`asked_side`), which `suggest` shows only with its weakest kinds.

Blind readers found many parts guessed from the rest of the card, so these have none: terms written
alike, terms over one denominator, a denominator that sums its numerator, factors of one symbol, a
part written again inside another, a number written elsewhere in the formula, the middle steps of a
chain, two formulas side by side (or two definitions of one symbol), a mean written out (or its root,
an RMSE), a bracket listing three or more terms, what a density is conditioned on (`x \\mid
\\theta`), a part made only of symbols of the left side, a
part whose subscript a visible symbol repeats (`W_{hz}` beside `b_{hz}`), the `1 - z` weight of a
blend beside `z`, a symbol's coordinates. A formula the reader cannot split (alignment, a chain of
implications, worked numbers, unbalanced brackets) has no parts either. No sympy: this runs on every
display of a notebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

_RELATIONS = re.compile(r"(?<!\\)=|\\approx(?![A-Za-z])|\\leftarrow(?![A-Za-z])|\\gets(?![A-Za-z])|:=")
_INEQUALITIES = re.compile(r"\\le(?:q)?(?![A-Za-z])|\\ge(?:q)?(?![A-Za-z])|(?<!\\)[<>]")
_REFUSED = re.compile(
    r"&|\\\\|\\begin|\\(?:Longrightarrow|Rightarrow|implies|iff|Leftrightarrow|Longleftrightarrow|Leftarrow|"
    r"Longleftarrow|text\{[^}]*[.,;]|"
    r"underbrace|overbrace|cases|dots|cdots|ldots)(?![A-Za-z])|\d\.\d|\d,\d"
)
"""What a one-level reading does not split safely: alignment, implications, braces, worked numbers."""
_SPACING = re.compile(r"(?:\s|\\[,;:! ]|\\(?:quad|qquad)(?![A-Za-z]))+")
_OPENERS = {
    "(": ")", "[": "]", r"\{": r"\}", r"\langle": r"\rangle", r"\lVert": r"\rVert", r"\lvert": r"\rvert",
    "|": "|", r"\|": r"\|",
}  # fmt: skip
_SIZES = re.compile(
    r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![A-Za-z])\s*"
)
_TWO_ARGS = frozenset({"frac", "dfrac", "tfrac", "binom"})
_ONE_ARG = frozenset(
    {"sqrt", "mathrm", "operatorname", "text", "textrm", "mathbf", "mathit", "mathsf", "mathcal", "mathbb"}
    | {"boldsymbol", "bm", "hat", "widehat", "bar", "overline", "tilde", "widetilde", "vec", "dot", "ddot"}
)
_FUNCTIONS = frozenset(
    {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "sigma", "max", "min", "arg", "det", "Pr"}
    | {"mathrm", "operatorname", "text", "textrm"}
)
"""Commands after which a bracket is the function's argument, not a factor of a product."""
_BIG_OPERATORS = frozenset(
    {"sum", "prod", "int", "max", "min", "argmax", "argmin", "lim", "bigcup", "bigcap"}
)
_OPTIMIZERS = frozenset({"max", "min", "argmax", "argmin"})
"""Big operators whose operand runs to the end of the side (`\\min_x f(x) + g(x)` minimizes the sum)."""
_CALLABLE_LETTERS = frozenset("fFgGhLPpqNU")
"""Single letters that the lessons use as functions: `F(x)`, `L(w)`, `P(y)`, `\\mathcal{N}(0, 1)`."""


@dataclass(frozen=True)
class _Atom:
    kind: str
    """'sym' (a letter or command with its scripts), 'num', 'frac', 'op' (+ or -), 'mul' (cdot, times),
    'group' (a bracket pair or a brace group), 'call' (a function with its argument), 'big' (a big
    operator with its scripts), 'space'."""
    start: int
    end: int
    inner: tuple[Span, ...] = ()
    """For a fraction: its numerator and denominator; for a group or call: what is inside the brackets."""
    name: str = ""


class Unreadable(ValueError):
    """LaTeX whose brackets do not pair up: no parts can be read from it."""


_SIDE_BY_SIDE = re.compile(r",?\s*\\q?quad(?![A-Za-z])\s*")
_INITIAL_VALUE = re.compile(
    r"^\s*\\?[A-Za-z]+(?:_\{?0\}?|\^\{\(0\)\})\s*:?=\s*"
    r"(?:-?\d+(?:\.\d+)?|\\mathbf\s*\{?0\}?|\\vec\{0\})\s*[.,]?\s*$"
)
"""The start of a recurrence written beside it (`m_0 = 0`, `G_0 = 0.`, `x^{(0)} = \\mathbf{0}`)."""


def initial_value(piece: str) -> bool:
    """Is this piece of a display the initial value of a recurrence (`m_0 = 0`)?"""
    return bool(_INITIAL_VALUE.match(piece))


def formula_parts(math: str, limit: int = 3) -> list[Span]:
    """Spans of `math` to hide one at a time, in order; [] when the formula has no clear parts.

    Of formulas side by side, only one with a relation may be asked: a piece without one
    (`\\quad \\text{for } t < W`) is a condition and stays shown.
    """
    if "{{c" in math or math.count("{") != math.count("}"):
        return []
    try:
        implied = implied_side(math)
        if implied is not None:
            return [implied]
        if _REFUSED.search(math):
            return []
        return _side_by_side(math, limit)
    except Unreadable:
        return []  # `a = b)`: brackets that do not pair up


_NAMED_SIDE = re.compile(
    r"^\s*(?:\\(?:hat|bar|tilde|widehat|mathcal|mathbf|boldsymbol|mathrm|text|operatorname)\s*"
    r"(?:\{[^{}]{1,20}\}|\\?[A-Za-z]+)|\\?[A-Za-z]+)"
    r"(?:\s*(?:[_^](?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\(?:text|mathrm)\s*\{[^{}]*\}|\\?[A-Za-z0-9]+)"
    r"|\([^()=]{1,20}\)))*\s*$"
)
"""A left side that names what the formula gives: one symbol with scripts or arguments (`F_\\beta`,
`\\text{logits}`, `\\kappa(X)`)."""
_DERIVATIVE_SIDE = re.compile(
    r"^\s*(?:\\[dt]?frac\s*\{\s*\\partial[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*\{\s*\\partial[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
    r"|\\nabla(?:_\{[^{}]*\}|_\\?\w+)?\s*\\?[A-Za-z]+(?:_\{[^{}]*\}|_\w)?(?:\([^()=]{1,20}\))?)\s*$"
)
"""A left side that is a derivative or a gradient of one symbol (`\\frac{\\partial \\ell}{\\partial z_k}`,
`\\nabla L(w)`)."""
MAX_ASKED_SIDE = 120
"""A right side longer than this (squeezed) is more than one step to recall."""


def names_itself(left: str) -> bool:
    """Is this left side of a formula one symbol, or the derivative or gradient of one?"""
    return bool(_NAMED_SIDE.match(left) or _DERIVATIVE_SIDE.match(left))


def asked_side(math: str) -> Span | None:
    """Of a formula with no part to ask, the whole right side, when the left side names what it gives
    (one symbol, or the derivative of one): `\\frac{\\partial \\ell}{\\partial z_k} = [p_k - y_k]`,
    `F_\\beta = [\\ldots]`. None for a chain, formulas side by side, an alignment or implication, a
    right side that is one symbol, a number or a mean, or one that repeats the left side."""
    try:
        relations = _top_level(math, _RELATIONS)
        if len(relations) != 1 or _top_level(math, _INEQUALITIES) or _REFUSED.search(math):
            return None
        if side_by_side(math) != [(0, len(math))]:
            return None
        side = _right_side(math)
    except Unreadable:
        return None
    left = math[: relations[0].start()]
    if side is None or not names_itself(left):
        return None
    text = math[slice(*side)]
    if _lone_symbol(text) or not re.search(r"\\?[A-Za-z]", text):
        return None
    if _MEAN.match(math, side[0]) or len(squeezed(text)) > MAX_ASKED_SIDE:
        return None
    if squeezed(text) in squeezed(left) or squeezed(left) in squeezed(text):
        return None  # `f(x) = f(x) + ...` or a side that writes the name again
    return side


def solved_for(math: str) -> str | None:
    """Of `<premise> \\Longrightarrow <name> = <result>` with a result to ask, the name's formula
    (`b = \\log \\frac{\\pi}{1 - \\pi}`); None for any other display."""
    try:
        side = implied_side(math)
        arrow = _top_level(math, _IMPLIES)
    except Unreadable:
        return None
    if side is None:
        return None
    start, end = _trimmed(math, (arrow[0].end(), side[1]))
    return math[start:end]


_IMPLIES = re.compile(r"\\(?:Longrightarrow|Rightarrow|implies)(?![A-Za-z])")


def implied_side(math: str) -> Span | None:
    """Of `<premise> \\Longrightarrow <name> = <result>`, the result: one step of solving or rewriting,
    asked with its premise shown (`\\sigma(b) = \\pi \\Longrightarrow b = [\\log \\frac{\\pi}{1 - \\pi}]`).
    None for any other display, a chain of implications, a consequence of several relations or a result
    that is a number or one symbol. Raises Unreadable when the brackets do not pair up."""
    arrows = _top_level(math, _IMPLIES)
    if len(arrows) != 1:
        return None
    premise = math[slice(*_trimmed(math, (0, arrows[0].start())))]
    offset, end = _trimmed(math, (arrows[0].end(), len(math)))
    consequence = math[offset:end]
    if _REFUSED.search(f"{premise} {consequence}") or _SIDE_BY_SIDE.search(f"{premise} {consequence}"):
        return None  # more than one formula on a side of the arrow, or one srs cannot read
    if not _top_level(premise, _RELATIONS) and not _top_level(premise, _INEQUALITIES):
        return None
    relations = _top_level(consequence, _RELATIONS)
    if len(relations) != 1 or relations[0].group(0).strip() != "=":
        return None
    side = _right_side(consequence)
    if side is None or not _worth_asking(consequence, side):
        return None
    text = consequence[slice(*side)]
    if _lone_symbol(text) or re.fullmatch(r"\s*[-+]?\d+\s*", text):
        return None  # `= 0`, `= g`: nothing worked out
    if squeezed(text) in squeezed(premise):
        return None  # the premise already holds the result
    return side[0] + offset, side[1] + offset


def side_by_side(math: str) -> list[Span]:
    """The formulas written side by side in one display (`a = b, \\qquad c = d`), each with a relation;
    an initial value beside a recurrence (`m_0 = 0`) is a condition, not a formula. One span for a
    display of one formula. Raises Unreadable when the brackets do not pair up."""
    depth_at = depths(math)
    cuts = [m for m in _SIDE_BY_SIDE.finditer(math) if depth_at[m.start()] == 0]
    pieces = []
    start = 0
    for cut in [*cuts, None]:
        end = cut.start() if cut is not None else len(math)
        if _RELATIONS.search(math[start:end]) and not initial_value(math[start:end]):
            pieces.append((start, end))
        start = cut.end() if cut is not None else len(math)
    return pieces if cuts else [(0, len(math))]


def _side_by_side(math: str, limit: int) -> list[Span]:
    pieces = side_by_side(math)
    if pieces == [(0, len(math))]:
        return _one_formula(math, 0, limit)
    if len(pieces) == 1:
        start, end = pieces[0]
        return _one_formula(math[start:end], start, limit)
    shapes = [pattern(math[start:end]) for start, end in pieces]
    if not pieces or len(set(shapes)) < len(shapes):
        return []  # `\\hat m = ..., \\qquad \\hat v = ...`: two parallel formulas give each other away
    lefts = [squeezed(_RELATIONS.split(math[start:end], 1)[0]) for start, end in pieces]
    if len(set(lefts)) < len(lefts):
        return []  # `\\sigma_k = \\mathrm{softplus}(s_k)` or `\\sigma_k = e^{s_k}`: either fills the gap
    bases = [_SCRIPTS.sub("", left) for left in lefts]
    if len(set(bases)) < len(bases):
        return []  # `P = D^{-1} W, \\; P_{ij} = w_{ij} / d_i`: one quantity in two notations
    # formulas that differ (an average and the update that uses it): each may ask a part, unless the
    # others show it (`g_t^2` beside an update that divides `g_t`)
    found = [part for start, end in pieces for part in _one_formula(math[start:end], start, limit)]
    found = [part for part in _not_given_away(math, found) if not _shown_beside(math, part, pieces)]
    return found if len(found) <= limit else []


_LAST_FACTOR = re.compile(r"(?:\\[,;:!]|\s)*\\?[A-Za-z]+(?:[_^](?:\{[^{}]*\}|\\?[A-Za-z0-9]))*\s*$")


def _shown_beside(math: str, part: Span, pieces: list[Span]) -> bool:
    """Does a formula beside the part's own show the part: as a matrix product of its letters (`O = AV`
    beside `o_i = \\sum_j A_{ij} v_j`), or written out but for its last factor (`\\ell \\leftarrow
    \\alpha \\ell + \\sum_j e^{s_j}` beside `\\text{acc} \\leftarrow \\alpha \\text{acc} + \\sum_j e^{s_j}
    v_j` leaves only `v_j` to add)? Blind readers rated both given away."""
    text = math[slice(*part)]
    for start, end in pieces:
        right = _RELATIONS.split(math[start:end])[-1]
        if start <= part[0] < end or not _MATRIX_PRODUCT.fullmatch(right):
            continue
        if _letters(right.replace("\\top", "")) == _letters(re.sub(r"_\{[^{}]*\}|_\w", "", text)):
            return True  # `O = AV` beside `o_i = \\sum_j A_{ij} v_j`: the part is that product, indexed
    shorter = squeezed(_LAST_FACTOR.sub("", text))
    if len(shorter) < MIN_SHOWN_CHARS or shorter == squeezed(text):
        return False
    return any(shorter in squeezed(math[start:end]) for start, end in pieces if not start <= part[0] < end)


_MATRIX_PRODUCT = re.compile(r"\s*(?:[A-Za-z](?:\^\{?\\top\}?|\^T)?\s*){2,3}[.,]?\s*")
"""A side that multiplies two or three matrices by letter (`AV`, `Q K^\\top`)."""


def _letters(text: str) -> set[str]:
    """The one-letter symbols of a piece of LaTeX, lower-cased (`O = AV` and `A_{ij} v_j` share a, v)."""
    return {letter.lower() for letter in re.findall(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])", text)}


MIN_SHOWN_CHARS = 6
"""A remainder shorter than this (`y` of `y x`) shows too little to give the part away."""


def _one_formula(math: str, offset: int, limit: int) -> list[Span]:
    try:
        relations = _top_level(math, _RELATIONS)
        if len(relations) > 1:
            # `a = b = c`: the step before a part gives it away, but a closed form that sums a series
            # or takes an expectation is one step worth asking whole
            found = _closed_form(math, relations)
            return [(found[0] + offset, found[1] + offset)] if found else []
        side = _right_side(math)
        if side is None or _MEAN.match(math, side[0]):
            return []  # a mean's or a variance's summand: the definition everyone knows
        parts = _parts(math, side, depth=0)
    except Unreadable:
        return []
    left = squeezed(math[: side[0]])
    parts = [p for p in parts if _worth_asking(math, p) and squeezed(math[slice(*p)]) not in left]
    parts = _not_given_away(math, parts)
    parts = [p for p in parts if not _named_on_the_left(math[: side[0]], math[slice(*p)])]
    parts = [p for p in parts if not _letter_of_the_left(math[: side[0]], math[slice(*p)])]
    # coordinates shifted by a number (`x_i(h + u - 1, w + v - 1)`) hang on a padding convention
    parts = [p for p in parts if not _shifted_coordinates(math[slice(*p)])]
    # a lone symbol (`w^\\star_i` after its factor, `U` in `-\\log(-\\log U)`) or one word (`\\text{size}`)
    # asks for notation, not a step
    parts = [p for p in parts if not _lone_symbol(math[slice(*p)])]
    parts = [p for p in parts if not _ONE_WORD.fullmatch(math[slice(*p)])]
    # `\\lambda (\\sum_u \\|p_u\\|^2 + \\sum_i \\|q_i\\|^2 + \\sum_u b_u^2)`: a list of three, not one step
    parts = [p for p in parts if not _enumerates(math, p)]
    # `x \\mid \\theta` of `\\log p(x \\mid \\theta)`: what a density is conditioned on is notation
    parts = [p for p in parts if not _CONDITIONED.fullmatch(math[slice(*p)])]
    # `-\\frac{1}{N}\\sum_i \\log [p_x(x_i)]`: the likelihood of one example is all a summed log can hold
    parts = [p for p in parts if not _summed_log_of_a_density(math, p) and not _whole_expectation(math, p)]
    # `\\mathbb{E}_z[\\log(1 - [D(G(z))])]`: functions applied to the variable the expectation is over
    parts = [p for p in parts if not _applied_to_the_expected_variable(math, p)]
    # `\\max_{a'} [Q(s', a')]`: the one function the optimizer's variable is fed to (round 52, both readers)
    parts = [p for p in parts if not _optimized_call(math, p)]
    # `((i - 1) \\bmod c + 1)`: how an index wraps is bookkeeping with more than one right convention
    parts = [p for p in parts if not re.search(r"\\[bp]?mod(?![A-Za-z])", math[slice(*p)])]
    # a bare constant (the 2 of `\\frac{2}{n} X^\\top X`, or the whole `\\frac{2}{n}`) hangs on a convention
    # the card does not state: both readers of round 44 said 1/n or 2 would be as right
    parts = [p for p in parts if not _CONSTANT.fullmatch(math[slice(*p)])]
    # `h = [W_1 x] + b_1`: the weight times the input of an affine map is notation (round 50, both readers)
    parts = [p for p in parts if not _affine_product(math, side, p)]
    if (
        not parts
        or len(parts) > limit
        or parts == [side]
        or any(_all_but_a_constant(math, side, p) for p in parts)
    ):
        return []
    return [(start + offset, end + offset) for start, end in parts]


_SUBSCRIPT = r"_\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|_\\?\w+"
_SCRIPTED = rf"\\?[A-Za-z]+(?:{_SUBSCRIPT})?"
_PRODUCT_OF_TWO = re.compile(
    rf"\s*{_SCRIPTED}(?:\s*\^\s*\{{?\s*(?:\\top|T)\s*\}}?)?\s*(?:\\[,;!]\s*)?"
    rf"(?:{_SCRIPTED}|(?:\\left|\\[bB]ig)?\([^()]*\)(?:\\right|\\[bB]ig)?)\s*"
)
"""A weight times an input, a symbol or a bracket (`W x`, `W^\\top h`, `W_{\\text{enc}}(x - b)`)."""
_BIAS = rf"(?:\\mathbf\s*\{{\s*b\s*\}}|\\boldsymbol\s*\{{\s*b\s*\}}|b)(?:{_SUBSCRIPT})?"
_BIAS_AFTER = re.compile(rf"\s*\+\s*{_BIAS}\s*(?:(?:\\right|\\[bB]ig+)?\s*[)\]]\s*)*[.,]?\s*")


def _affine_product(math: str, side: Span, part: Span) -> bool:
    """Is the part the product of a weight and an input that a bias follows to the end of the side
    (`[W_1 x] + b_1`, `[a\\,z] + b`)? Both readers of round 50 called it notation, given away by the bias."""
    before = math[side[0] : part[0]]
    return (
        _PRODUCT_OF_TWO.fullmatch(math[slice(*part)]) is not None
        and _BIAS_AFTER.fullmatch(math[part[1] : side[1]]) is not None
        and re.search(r"[-+]", before) is None  # `W_{hh} h + [W_{xh} x] + b`: one product of two is a step
    )


def _all_but_a_constant(math: str, side: Span, part: Span) -> bool:
    """Is the part the whole right side but a constant in front (`1 - [\\frac{a + \\epsilon}{b}]`)?
    The gap then asks for the formula again; both readers of round 49 rated it so."""
    before, after = math[side[0] : part[0]], math[part[1] : side[1]]
    return re.fullmatch(r"\s*\d*(?:\.\d+)?\s*[-+]?\s*", before) is not None and not after.strip(" .,")


_ONE_WORD = re.compile(r"\s*\\(?:text|mathrm|textrm)\s*\{\s*[A-Za-z_]+\s*\}\s*")
"""A part that is one word (`c(\\text{size})`): a name from the code, asked as notation (round 46)."""
_SUMMED_LOG = re.compile(
    r"\\sum(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\}|\^\w)?\s*\\log\s*(?:\\left\s*|\\big\s*)?[({]?\s*$"
)
_DENSITY = re.compile(r"\s*\\?[A-Za-z](?:_\{?[^{}()]*\}?)?\s*\([^()]*\)\s*")


def _summed_log_of_a_density(math: str, part: Span) -> bool:
    """Is the part the density inside a sum of logs (`\\sum_i \\log [p_x(x_i)]`)? Both readers of round 45
    rated it given away by the rest of the formula."""
    return (
        _SUMMED_LOG.search(math[: part[0]]) is not None and _DENSITY.fullmatch(math[slice(*part)]) is not None
    )


_EXPECTATION = r"(?:\\mathbb\s*\{?\s*E\s*\}?|\\operatorname\s*\{\s*E\s*\})"
_EXPECTED_OF = re.compile(
    rf"{_EXPECTATION}(?:_\{{[^{{}}]*(?:\{{[^{{}}]*\}}[^{{}}]*)*\}}|_\w)?"
    r"\s*(?:\\!\s*)?(?:\\left\s*|\\big\s*|\\Big\s*)?\[\s*$"
)


def _whole_expectation(math: str, part: Span) -> bool:
    """Is the part one function of the variable, all an expectation holds (`\\mathbb{E}_{z \\sim p}[f(z)]`)?
    Both readers of round 47: nothing else fits the brackets."""
    after = math[part[1] :].lstrip()
    closes = after.startswith("]") or re.match(r"\\(?:right|big|Big)\s*\]", after) is not None
    return (
        closes
        and _EXPECTED_OF.search(math[: part[0]]) is not None
        and _DENSITY.fullmatch(math[slice(*part)]) is not None
    )


_EXPECTATION_VARIABLE = re.compile(
    rf"{_EXPECTATION}_(?:\{{\s*\(?\s*(?P<braced>\\?[A-Za-z]+)|(?P<bare>[A-Za-z]))"
)
_APPLIED = re.compile(r"(?:\\?[A-Za-z]+(?:_\{[^{}]*\}|_\w)?\s*\(\s*)+(?P<variable>\\?[A-Za-z]+)\s*(?:\)\s*)+")


def _applied_to_the_expected_variable(math: str, part: Span) -> bool:
    """Is the part one or more functions applied to the variable the expectation before it is over
    (`D(G(z))` inside `\\mathbb{E}_z[\\log(1 - \\cdot)]`)? Both readers of round 48: the variable and
    the functions around the gap leave nothing else to put there."""
    applied = _APPLIED.fullmatch(math[slice(*part)])
    if applied is None:
        return False
    text = math[: part[0]]
    if text.count("(") - text.count(")") < 1:
        return False  # not inside a function's brackets: the gap asks what is taken the expectation of
    return any(
        (found.group("braced") or found.group("bare")) == applied.group("variable")
        for found in _EXPECTATION_VARIABLE.finditer(text)
    )


_OPTIMIZED_OVER = re.compile(
    r"\\(?:max|min|sup|inf|arg\s*\\?max|arg\s*\\?min|operatorname\*?\s*\{\s*arg\s*\\?(?:max|min)\s*\})"
    r"(?:\\limits)?\s*_\s*(?:\{\s*(?P<braced>\\?[A-Za-z]+'*)[^{}]*\}|(?P<bare>[A-Za-z]'*))\s*(?:\\[,;!]\s*)*$"
)
_ONE_CALL = re.compile(
    r"\s*\\?[A-Za-z]+(?:\^\s*(?:\{[^{}]*\}|\\?\w+|\*))?(?:_\{[^{}]*\}|_\w)?(?:\^\s*(?:\{[^{}]*\}|\\?\w+|\*))?"
    r"\s*(?:\\left)?\s*\((?P<arguments>[^()]*)(?:\\right)?\s*\)\s*"
)


def _optimized_call(math: str, part: Span) -> bool:
    """Is the part one function called on the variable of the max or min just before it (`Q(s', a')` in
    `r + \\gamma \\max_{a'} [\\ldots]`)? The operator shows what varies; the function it is fed to is all
    that is left, as for `_applied_to_the_expected_variable`."""
    call = _ONE_CALL.fullmatch(math[slice(*part)])
    before = _OPTIMIZED_OVER.search(math[: part[0]])
    if call is None or before is None:
        return False
    variable = before.group("braced") or before.group("bare")
    unsized = re.sub(r"\\(?:left|right)\b", "", call["arguments"])
    arguments = [argument.strip() for argument in unsized.split(",")]
    return variable in arguments


_CONSTANT = re.compile(
    r"\s*(?:\d+(?:\.\d+)?\s*\\sqrt\s*\{\s*\d+\s*\}"  # 200\sqrt{2}
    r"|\d*\s*\\pi(?![A-Za-z])"  # 2\pi, the turn in radians (round 51, both readers)
    r"|\d+(?:\.\d+)?"  # 2
    r"|\\[dt]?frac\s*(?:\{\s*\d+\s*\}|\d)\s*(?:\{\s*(?:\d+|\\?[A-Za-z]+)\s*\}|\d|[A-Za-z])"  # \frac{2}{n}
    r"|\\[dt]?frac\s*\{\s*\\[A-Za-z]+\s*\}\s*(?:\{\s*\d+\s*\}|\d))\s*"  # \frac{\lambda}{2}
)
"""A number, or a fraction of a number over a number or a count (`\\frac{2}{n}`, `\\tfrac12`), or a
coefficient's letter over a number (`\\frac{\\lambda}{2}`: both readers of round 50 said a plain
`\\lambda` is as right)."""


_SERIES = re.compile(r"\\(?:sum|prod|int|lim)(?![A-Za-z])|\\mathbb\s*\{?\s*E\b|\\operatorname\{E\}")


_LEADING_FRACTION = re.compile(r"\\[dt]?frac\{[^{}]*\}\{[^{}]*\}")
"""A fraction in front of a side (`\\frac{1}{2n}`): a closed form that keeps it writes the series anew."""


def _closed_form(math: str, relations: list[re.Match[str]]) -> Span | None:
    """The last side of a chain `a = b = c` worth asking. Of `a = <series> = <closed form>` (`\\bar k =
    \\sum_k k(1-\\beta)\\beta^k = \\frac{\\beta}{1-\\beta}`), a sum, product, integral or expectation worked
    out to a shorter fraction or root without one (blind readers rated `\\sum_b \\mathrm{Var}(v_b) =
    B\\sigma^2` arithmetic and `\\sum_i \\frac1N \\nabla\\ell_i = g` a name); of any other chain, a step of
    algebra (`_simplified`)."""
    if len(relations) != 2 or _top_level(math, _INEQUALITIES):
        return None
    side = _right_side(math)
    if side is None:
        return None
    if not _sums_out(math, relations, side):
        return _simplified(math, relations, side)
    middle, last = squeezed(math[relations[0].end() : relations[1].start()]), squeezed(math[slice(*side)])
    if len(last) >= len(middle) or _renames(middle, last):
        return None
    if re.fullmatch(r"[-+]?[\d.]+", last) or not _worth_asking(math, side):
        return None  # a number: the run's value, not the closed form
    if not re.search(r"\\(?:[dt]?frac|sqrt)(?![A-Za-z])", last):
        return None  # `= g`, `= B\sigma^2`: a name or a count of the terms, which the series shows
    factor = _LEADING_FRACTION.match(last)
    if factor is not None and middle.startswith(factor.group(0)):
        return None  # `\frac{1}{2n}\sum_i (x_i^\top w - y_i)^2 = \frac{1}{2n}\lVert Xw - y\rVert^2`: notation
    return side


def _renames(before: str, after: str) -> bool:
    """Is `after` the side `before` with one piece of it written as a lone symbol (`\\frac{p f}{\\int p f}`
    then `\\frac{p f}{\\mu}`)? A name given to the series is notation, not a step worked out; both blind
    readers rated the card "the blank only renames the integral". `\\frac{\\ldots}{1 - \\alpha}` in the
    same place works the series out, and stays."""
    before, after = before.rstrip(".,;"), after.rstrip(".,;")
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    while start and (after[start - 1] == "\\" or after[start - 1].isalpha()):
        start -= 1  # a command or a word cut in two (`\\int` against `\\mu`) is one piece
    while end and after[len(after) - end].isalpha():
        end -= 1
    piece = after[start : len(after) - end]
    return bool(piece) and start + end >= len(after) // 2 and _lone_symbol(piece)


def _sums_out(math: str, relations: list[re.Match[str]], side: Span) -> bool:
    """Does the chain's middle side hold a series (a sum, product, integral or expectation) that its last
    side no longer has?"""
    middle = math[relations[0].end() : relations[1].start()]
    return _SERIES.search(middle) is not None and _SERIES.search(math[slice(*side)]) is None


def worked_step(math: str) -> bool:
    """Is what the display asks one step of algebra worked out on the card: the last side of a chain
    `a = b = [c]` other than a series' closed form, or what an implication solves for?"""
    if solved_for(math) is not None:
        return True
    try:
        relations = _top_level(math, _RELATIONS)
        if side_by_side(math) != [(0, len(math))] or len(relations) not in (1, 2):
            return False
        side = _right_side(math)
    except Unreadable:
        return False
    if len(relations) == 1:
        # `\\log(a + b) = \\log\\!\\big(e^{\\log a} + e^{\\log b}\\big)`: both sides the same function, one
        # rewritten (blind readers: "a trivial identity")
        if side is None:
            return False
        left = _OPENING_FUNCTION.match(math[: relations[0].start()])
        right = _OPENING_FUNCTION.match(math[slice(*side)])
        return left is not None and right is not None and squeezed(left.group(1)) == squeezed(right.group(1))
    return (
        side is not None
        and not _sums_out(math, relations, side)
        and _simplified(math, relations, side) is not None
    )


_OPENING_FUNCTION = re.compile(r"\s*\\(log|ln|exp|sqrt|tanh|sigma|mathrm\s*\{\s*\w+\s*\})(?![A-Za-z])")
"""A side that opens with a function (`\\log(...)`, `\\mathrm{softmax}(...)`)."""


def _simplified(math: str, relations: list[re.Match[str]], side: Span) -> Span | None:
    """The last side of `a = b = c` when c is b worked out in one step to a shorter form of two or more
    factors or terms (`\\ell = -\\log \\frac{e^{z_y}}{\\sum_j e^{z_j}} = [-z_y + \\log \\sum_j e^{z_j}]`,
    `w_t - w^\\star - \\eta A (w_t - w^\\star) = [(I - \\eta A)(w_t - w^\\star)]`): the card asks that
    one step. None for a last side that is a name (`= \\operatorname{softmax}(z / T)_i`, `= \\bar y`), a
    number or a product of numbers (the run's values), or one that labels its pieces (`\\underbrace`)."""
    if any(relation.group(0).strip() != "=" for relation in relations) or _LABELLED.search(math):
        return None
    middle, last = (relations[0].end(), relations[1].start()), side
    text = math[slice(*last)]
    if re.search(r"\d\.\d|\\approx|\\ldots|\\dots|\\cdots", text) or not _worth_asking(math, last):
        return None
    if len(pattern(text).split()) >= len(pattern(math[slice(*middle)]).split()):
        return None  # `= \\frac{2PR}{P + R}` after a shorter side: rewritten, not worked out
    atoms = [atom for atom in _atoms(math, last) if atom.kind not in {"space", "mul", "op"}]
    if len(_with_calls(atoms)) < 2 or sum(_is_number(math, atom) for atom in atoms) >= 2:
        return None  # one symbol, call or group is a name; `2u \\cdot 3` is arithmetic on the run's values
    return side


_LABELLED = re.compile(r"\\(?:underbrace|overbrace|underset|overset|xrightarrow)(?![A-Za-z])")


def _is_number(math: str, atom: _Atom) -> bool:
    return re.fullmatch(r"[\d.\s]+", math[atom.start : atom.end]) is not None


_MEAN = re.compile(
    r"\s*(?:\\sqrt\s*\{\s*)?\\[dt]?frac\s*\{\s*1\s*\}\s*\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}\s*\\sum"
)
"""`\\frac{1}{N} \\sum`, the count written with scripts of its own (`N_{\\text{fraud}}`) too, or the root of
one (an RMSE: its name spells out every part)."""


_EXPECTATION = re.compile(
    r"\s*(?:\\mathbb\s*\{?\s*E\b|\\(?:operatorname|mathrm)\s*\{\s*E\s*\}|E\s*_\s*\{[^{}]*\\sim)"
)
"""An expectation on the left (`\\mathbb{E}_p[f]`, `E_{x \\sim p}[x]`), never an energy (`E_\\theta`)."""


def is_mean(math: str) -> bool:
    """Is the formula's right side an average, `\\frac{1}{N} \\sum ...` (a mean or a variance), or an
    expectation written out as its sum or integral (`\\mathbb{E}_p[f] = \\sum_x p(x) f(x)`)?"""
    try:
        side = _right_side(math)
        relations = _top_level(math, _RELATIONS)
    except Unreadable:
        return False
    if side is None:
        return False
    if _MEAN.match(math, side[0]) is not None:
        return True
    # the definition of an expectation: blind readers rated its cloze "asks for nothing" (round 43)
    one_relation = len(relations) == 1
    written_out = re.match(r"\s*\\(?:sum|int)(?![A-Za-z])", math[side[0] :]) is not None
    return one_relation and written_out and _EXPECTATION.match(math) is not None


_SCRIPTS = re.compile(r"[_^](?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9])")
"""Subscripts and superscripts, to read a left side's base symbol (`P` of `P_{ij}`)."""
_TOKEN = re.compile(r"\\[A-Za-z]+|[A-Za-z]|\d+(?:\.\d+)?|\\.|\S")
"""One command, letter, number or sign of a piece of LaTeX."""
_LAYOUT_TOKENS = frozenset({"\\,", "\\;", "\\:", "\\!", "\\ ", "{", "}"})
"""Spacing commands and braces: they change how a formula looks, not what it says."""
_WORD_LABEL = re.compile(r"(_\{?\s*)\\(?:text|mathrm)\s*\{[^{}]*\}")


def pattern(text: str, letters: bool = True) -> str:
    """A part with its letters and numbers made anonymous: `\\log a` and `\\log b` read the same.

    With `letters=False` only indices and numbers are: `e^{z_i}` and `e^{z_j}` read the same, `m_t` and
    `v_t` do not. A word set as a subscript is a label and reads as one letter: `y_{\\text{chosen}}` and
    `y_{\\text{rejected}}` read the same.
    """
    tokens = _TOKEN.findall(_WORD_LABEL.sub(r"\1w", text))
    out = []
    for index, token in enumerate(tokens):
        if token in _LAYOUT_TOKENS:
            continue
        if token[0].isdigit():
            token = "0"
        elif token.isalpha() and len(token) == 1:
            before = [t for t in tokens[:index] if t not in {"{", "\\,", "\\;"}]
            if letters or (before and before[-1] in {"_", ","}):
                token = "x"
        out.append(token)
    return " ".join(out)


def _named_on_the_left(left: str, part: str) -> bool:
    """Is the part made of no more than two symbols, all on the left side (`\\text{swish}_\\beta(x) =
    x\\,\\sigma(\\beta x)`: the subscript and the argument leave `\\beta x` the only fill)?"""
    mine = _symbols(part, names=False) - {"\\sqrt", "\\hat"}  # `p_k` is `p`, indexed
    theirs = _symbols(left, indices=True, names=False)
    return bool(mine) and len(mine) <= 2 and mine <= theirs and not re.search(r"\d", part)


_LETTER_CALL = re.compile(r"\s*\\?[A-Za-z](?:_\{?\w+\}?)?\s*\((?P<args>[^()]*)\)\s*")


def _letter_of_the_left(left: str, part: str) -> bool:
    """Is the part a one-letter function of the left side's own arguments (`bucket(t) = h(t) \\bmod B`)?
    Only the letter is left to recall, and the card does not say what it stands for."""
    match = _LETTER_CALL.fullmatch(part)
    if match is None:
        return False
    args = _symbols(match.group("args"))
    return bool(args) and args <= _symbols(left, indices=True, names=False)


_CONDITIONED = re.compile(r"\s*[^{}()=+]{1,20}?\s*(?:\\mid|\|)\s*[^{}()=+]{1,20}\s*")
"""A short argument of a conditional probability or density (`x \\mid \\theta`)."""


def _enumerates(math: str, span: Span) -> bool:
    """Is the part a bracket of three or more terms, alone or times a factor of plain symbols?"""
    atoms = [atom for atom in _atoms(math, span) if atom.kind not in {"space", "mul"}]
    if not atoms or atoms[-1].kind != "group" or not atoms[-1].inner:
        return False
    if any(atom.kind not in {"sym", "num"} for atom in atoms[:-1]):
        return False
    inside = _atoms(math, atoms[-1].inner[0])
    if any(atom.kind == "comma" for atom in inside):
        return False  # `x_i(h + u, w + v)`: a function's arguments, not a list of terms
    return len(_terms(inside)) >= 3


def _not_given_away(math: str, parts: list[Span]) -> list[Span]:
    """Drop parts that the rest of the formula shows: a term written like another term (`-\\log a -
    \\log b`), a numerator written again inside its denominator (`e^{z_i}` over `\\sum_j e^{z_j}`), a
    number that appears elsewhere in the formula."""
    kept = []
    patterns = [pattern(math[start:end]) for start, end in parts]
    indexed = [pattern(math[start:end], letters=False) for start, end in parts]
    for index, (start, end) in enumerate(parts):
        others = [p for i, p in enumerate(patterns) if i != index]
        if patterns[index] in others:
            continue  # symmetric terms: each gives the other away
        if any(f" {indexed[index]} " in f" {other} " for i, other in enumerate(indexed) if i != index):
            continue  # the bigger part shows this one
        rest = math[:start] + math[end:]
        if _subscripts(math[start:end]) & _subscripts(rest):
            continue  # `W_{hz} h` beside `b_{hz}`: the visible bias names the hidden weight
        if _complement(math[start:end], rest):
            # `(1 - z)\\, n` beside `z\\, h`: the other weight of a blend is forced, but what it weighs
            # (`(1 - \\beta)\\, g_t^2`: the squared gradient) is worth asking when it is more than a symbol
            weighed = _weighed(math, (start, end))
            if weighed is not None:
                kept.append(weighed)
            continue
        hidden = _symbols(math[start:end])
        if hidden and hidden <= _symbols(rest):
            continue  # `x\\, s'(x)` beside `s(x)`: a part put together from what the card shows
        number = math[start:end].strip()
        if re.fullmatch(r"\d+", number) and re.search(rf"(?<![\d.]){number}(?![\d.])", rest):
            continue  # a number written elsewhere in the formula
        kept.append((start, end))
    return kept


_BLEND_WEIGHT = re.compile(
    r"\s*(?:\\left\s*)?\(\s*1\s*-\s*[^()]*?(?:\\right\s*)?\)\s*(?:\\[,;:!]|\\cdot|\\times|\\odot|\\circ)?\s*"
)


def _weighed(math: str, span: Span) -> Span | None:
    """In a term `(1 - x)\\, y`, the span of `y` when it is more than one symbol (`g_t^2`, not `g_t`)."""
    start, end = span
    weight = _BLEND_WEIGHT.match(math, start, end)
    if weight is None or weight.end() >= end:
        return None
    rest = _trimmed(math, (weight.end(), end))
    text = math[slice(*rest)]
    if _lone_symbol(text) or not _worth_asking(math, rest) or _ONE_MINUS.search(text):
        return None  # one symbol, or a second weight
    return rest


def _subscripts(text: str) -> set[str]:
    """The subscripts of two or more letters in a piece of LaTeX (`hz` of `W_{hz}`), not `t` or `t-1`."""
    return {sub for sub in re.findall(r"_\{?([A-Za-z]{2,})\}?", text) if sub not in {"max", "min"}}


_ONE_MINUS = re.compile(r"1\s*-\s*(\\?[A-Za-z]+(?:_\{?[\w-]+\}?)?)")


def _complement(part: str, rest: str) -> bool:
    """Is the part weighted by `1 - x` where the rest of the formula weights by `x` (a convex blend)?"""
    for match in _ONE_MINUS.finditer(part):
        weight = re.escape(match.group(1))
        if re.search(rf"(?<![\\A-Za-z]){weight}(?![A-Za-z])", _ONE_MINUS.sub(" ", rest)):
            return True
    return False


def with_clozes(math: str, parts: list[Span]) -> str:
    """The formula with each part wrapped as a cloze, numbered in order (spaces keep braces apart).

    Parts written the same way share a number: shown on another part's card, one would give the
    other away.
    """
    out = []
    position = 0
    numbers: dict[str, int] = {}
    for start, end in sorted(parts):
        number = numbers.setdefault(squeezed(math[start:end]), len(numbers) + 1)
        out.append(math[position:start])
        space = " " if math[start - 1 : start] == "{" else ""  # `{ {{c1::` reads as a group, then a cloze
        out.append(f"{space}{{{{c{number}::{math[start:end]} }}}}")
        position = end
    out.append(math[position:])
    return "".join(out)


def _right_side(math: str) -> Span | None:
    """The last side of the formula's top-level relations: what the formula says the left side is."""
    relations = [m for m in _top_level(math, _RELATIONS)]
    if not relations:
        return None
    if _top_level(math, _INEQUALITIES):
        return None  # "a \le b = c": which side is the formula?
    start = relations[-1].end()
    end = len(re.sub(r"(?:\s|\\[,;:! ])*[.,;]?\s*$", "", math))  # the sentence's full stop is no part
    return _trimmed(math, (start, end))


def right_side(math: str) -> Span | None:
    """The span of what the formula says its left side is (its last side); None when it has no relation,
    an inequality, or brackets that do not pair up."""
    try:
        return _right_side(math)
    except Unreadable:
        return None


def chained_relations(math: str) -> int:
    """How many relations the formula chains at the top level (`a = b = c` has two); 0 when its brackets
    do not pair up."""
    try:
        return len(_top_level(math, _RELATIONS))
    except Unreadable:
        return 0


def _top_level(math: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    depth_at = depths(math)
    return [m for m in pattern.finditer(math) if depth_at[m.start()] == 0]


def depths(math: str) -> list[int]:
    """The bracket depth at each character (braces, round and square brackets, `\\left`/`\\right`);
    raises `Unreadable` where a bracket closes that never opened."""
    found: list[int] = []
    depth = 0
    i = 0
    while i < len(math):
        char = math[i]
        if char == "\\" and i + 1 < len(math):
            found.extend([depth, depth])
            i += 2
            continue
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
            if depth < 0:
                raise Unreadable(math)
        found.append(depth)
        i += 1
    return found


def _parts(math: str, span: Span, depth: int) -> list[Span]:
    atoms = _atoms(math, span)
    if any(atom.kind == "comma" for atom in atoms):
        return []  # `\\max(-c, g)`: arguments, not terms
    terms = _terms(atoms)
    if not terms or len(terms) > 4:
        return []
    optimized = next((a for a in terms[0] if a.kind == "big" and a.name in _OPTIMIZERS and a.inner), None)
    if len(terms) > 1 and optimized is not None:
        # `\\arg\\min_P \\langle P, C \\rangle - \\varepsilon H(P)`: a min or max takes everything after it,
        # so the parts are read from that whole objective, never its first term with the operator
        objective = (optimized.inner[0][0], span[1])
        rich = [term for term in _terms(_atoms(math, objective)) if not _plain(math, term)]
        if len(rich) > 1 and len({pattern(math[slice(*_span_of(term))]) for term in rich}) == len(rich):
            return [_span_of(rich[-1])]  # the term added (a penalty, an entropy): the new idea
        return _parts(math, objective, depth + 1) if depth < 2 else []
    if len(terms) > 1:
        rich = [term for term in terms if not _plain(math, term)]
        if len(rich) == 1 and depth == 0:
            inside = _term_parts(math, rich[0], depth + 1)
            if inside and inside != [_span_of(rich[0])]:
                return inside  # `w - \\eta \\frac{m}{\\sqrt{v} + \\epsilon}`: the fraction's two parts
        spans = [_span_of(term) for term in rich]
        if not spans:
            return []
        # an accent makes no new term: `\\mathbb{E}[f(\\tilde x)] - \\mathbb{E}[f(x)]` shows its other half
        # (round 52, both readers)
        patterns = [pattern(_ACCENT.sub("", math[slice(*span)])) for span in spans]
        if len(set(patterns)) < len(patterns) or _shared_denominator(math, spans):
            return []  # `-\\log a - \\log b`, `-\\frac{w_1}{w_2} x_1 - \\frac{b}{w_2}`: each shows the other
        # one term per formula, the one with most in it: blind readers found the smaller terms of a sum
        # (`- \\text{lr}\\, g` beside `- \\text{lr}\\,\\lambda w`) guessed from the rest
        return [max(spans, key=lambda span: len(pattern(math[slice(*span)]).split()))]
    return _term_parts(math, terms[0], depth)


_ACCENT = re.compile(r"\\(?:tilde|hat|bar|check|breve|widetilde|widehat|overline)(?![A-Za-z])")
"""An accent on a letter: `\\tilde x` is another sample of what `x` is."""


def _shared_denominator(math: str, spans: list[Span]) -> bool:
    """Do two of the terms divide by the same thing?"""
    seen: set[str] = set()
    for span in spans:
        found = set(re.findall(r"\\[dt]?frac\s*\{[^{}]*\}\s*\{([^{}]*)\}", math[slice(*span)]))
        found |= set(re.findall(r"/\s*(\\?[A-Za-z](?:_\{?\w+\}?)?)", math[slice(*span)]))
        if {squeezed(f) for f in found} & seen:
            return True
        seen |= {squeezed(f) for f in found}
    return False


def _term_parts(math: str, term: list[_Atom], depth: int) -> list[Span]:
    factors = _with_calls([atom for atom in term if atom.kind not in {"space", "mul"}])
    if any(atom.kind == "sym" and atom.name in {"nabla", "partial"} for atom in factors):
        return []  # `\\nabla f(w_t)`: what the gradient is taken of is the only fill
    rich = [atom for atom in factors if not _plain(math, [atom])]
    fractions = [atom for atom in factors if atom.kind == "frac"]
    if len(fractions) == 1 and all(atom is fractions[0] or _plain(math, [atom]) for atom in factors):
        # blind readers found a numerator given away by its denominator (`e^{z_i}` over `\\sum_j e^{z_j}`,
        # `\\hat m` over `\\sqrt{\\hat v}`) and the denominator worth asking: ask the numerator only
        # over a bare denominator (`\\frac{t + 1}{W}`)
        top, bottom = (_trimmed(math, part) for part in fractions[0].inner)
        if _normalizes(math, top, bottom):
            return []  # `e^{z_i}` over `\\sum_j e^{z_j}`: each half is the other written again
        if _symbols(math[slice(*top)]) == _symbols(math[slice(*bottom)]):
            return []  # `\\frac{J_{k-1} - J_k}{J_k - J_{k+1}}`: each half is the other shifted
        if _SAMPLE_SIZE.fullmatch(math[slice(*bottom)]):
            return []  # `/(n - 1)`: which count to divide by is a convention, not the idea
        if _plain_text(math, bottom) or re.fullmatch(r"\s*\d+\s*", math[slice(*bottom)]):
            return [] if _is_one(math, top) else [top]
        return [_guarded(math, bottom)]
    if len(factors) == 1 and factors[0].kind in {"call", "big"} and factors[0].inner:
        argument = _trimmed(math, factors[0].inner[0])
        if any(atom.kind == "comma" for atom in _atoms(math, argument)):
            # a clamp that is a factor of a product (`\\max(0, xW_1 + b_1)\\, W_2`) is asked whole
            clamped = _clamped(math, factors[0], argument) if depth == 0 else None
            if clamped is None:
                return []  # `\\max(x, y)`, `\\mathrm{dot}(q, K)`: its arguments are no one part
            argument = clamped  # `\\max(0, 1 - y f(x))`: what is clamped at zero is the formula
        if factors[0].kind == "call" and _named_call(math, factors[0]) and _plain_text(math, argument):
            return [(factors[0].start, factors[0].end)]  # `\\mathrm{Var}(z)`: the whole call, not `z`
        if factors[0].kind == "big" and _plain_text(math, argument):
            return []  # `\\sum_i x_{ij}`: what else would be summed?
        if depth < 2:
            inside = _parts(math, argument, depth + 1)
            if inside and inside != [argument]:
                return inside
        if len(_terms(_atoms(math, argument))) >= 3:
            return []  # `\\sigma((\\ell + g_1 - g_0)/\\tau)`'s whole argument: several things at once
        return [argument]
    if 2 <= len(factors) <= 3 and rich:
        if _coordinates(math, factors):
            return []  # `x_i(h + u - 1, w + v - 1)`: coordinates, whose offsets are a convention
        if len(rich) == 1 and depth < 2 and rich[0].kind == "group":
            inner = _inner(math, rich[0])
            inside = _parts(math, inner, depth + 1)
            if inside or len(_terms(_atoms(math, inner))) > 1:
                return inside  # a sum in brackets is asked by its terms or not at all
            return [inner]
        if len(rich) == 1 and depth < 2 and rich[0].kind in {"call", "big"}:
            inside = _term_parts(math, [rich[0]], depth + 1)
            return inside or [_inner(math, rich[0])]
        if len(rich) > 1 and _share_a_letter(math, rich):
            return []  # `p^y (1-p)^{1-y}`: each factor gives the other away
        return [_inner(math, atom) for atom in rich] if len(rich) > 1 else [_inner(math, rich[0])]
    return []


_STRUCTURE = frozenset(
    {"\\frac", "\\dfrac", "\\tfrac", "\\cdot", "\\times", "\\left", "\\right", "\\big", "\\Big"}
    | {"\\bigl", "\\bigr", "\\text", "\\mathrm", "\\operatorname", "\\quad", "\\qquad", "\\top"}
)
"""Commands that lay a formula out rather than name a quantity or an operation."""


_SHIFTED_COORDINATES = re.compile(
    r"\((?=[^()]*,)[^()]*[+-]\s*\d[^()]*\)|\[(?=[^\[\]]*,)[^\[\]]*[+-]\s*\d[^\[\]]*\]"
)


def _shifted_coordinates(text: str) -> bool:
    """Does the text index a symbol by coordinates shifted by a number (`x_i(h + u - 1, w + v - 1)`), not
    call a function (`\\min(i + 1, w)`)?"""
    return any(
        re.search(r"\\[A-Za-z]+\s*$", text[: match.start()]) is None
        for match in _SHIFTED_COORDINATES.finditer(text)
    )


def _coordinates(math: str, factors: list[_Atom]) -> bool:
    """Does a symbol take a bracket of several indices (`x_i(h + u, w + v)`), not a function such as
    `\\min(i + 1, w)` its arguments?"""
    for before, atom in zip(factors, factors[1:], strict=False):
        if atom.kind != "group" or not any(a.kind == "comma" for a in _atoms(math, _inner(math, atom))):
            continue
        if before.kind == "sym" and not math[before.start : before.end].startswith("\\"):
            return True
    return False


def _lone_symbol(text: str) -> bool:
    """Is the text one symbol with its index and a mark (`p_y`, `w^\\star_i`, `\\hat y`)?"""
    bare = re.sub(r"\^\s*(?:\\star|\*|\\prime|'|\{\s*(?:\\star|\*|\\prime)\s*\})", "", text)
    bare = re.sub(r"\\(?:hat|bar|tilde|widehat|widetilde|overline)\s*(?=\{|\\|[A-Za-z])", "", bare)
    # a shifted index is still an index: `S_{t+1}` of `V(S_{t+1})` (both readers of round 47: notation)
    bare = re.sub(r"_\{\s*([A-Za-z])\s*[-+]\s*\d\s*\}", r"_\1", bare)
    return _plain_text(bare, (0, len(bare)))


def _symbols(text: str, indices: bool = False, names: bool = True) -> set[str]:
    """The letters and commands of a piece of LaTeX that name quantities or operations.

    Layout commands (`\\frac`, `\\left`, `\\cdot`) are left out, indices too unless `indices` (`p_k`
    reads as `p`), and the letters of a written-out name (`\\text{idf}`) unless `names`.
    """
    if not indices:
        text = re.sub(r"_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9])", "", text)
    if not names:
        text = re.sub(r"\\(?:text|textrm|mathrm|operatorname|mathbb|mathcal)\s*\{[^{}]*\}", " ", text)
    return set(re.findall(r"\\[A-Za-z]+|[A-Za-z]", text)) - _STRUCTURE


_SAMPLE_SIZE = re.compile(r"\s*\(?\s*[A-Za-z](?:_\{?\w+\}?)?\s*-\s*1\s*\)?\s*")


_SUMMED_OVER = re.compile(r"\s*\\sum\s*_\s*(?:\{\s*(?P<braced>[A-Za-z])\s*\}|(?P<bare>[A-Za-z]))")


def _normalizes(math: str, top: Span, bottom: Span) -> bool:
    """Is the denominator the numerator summed over its index (a softmax's or a distribution's normalizer)?"""
    above, below = pattern(math[slice(*top)], letters=False), pattern(math[slice(*bottom)], letters=False)
    if below.startswith("\\sum") and below.endswith(above):
        return True
    # the index renamed everywhere, conditions included: `p(x_i) \\prod_{j \\ne i} p(x_j)` over
    # `\\sum_l p(x_l) \\prod_{j \\ne l} p(x_j)` (both readers of round 46: the front gives it away)
    summed = _SUMMED_OVER.match(math[slice(*bottom)])
    if summed is None:
        return False
    index = summed.group("braced") or summed.group("bare")
    body = _tokens(math[bottom[0] + summed.end() : bottom[1]])
    numerator = _tokens(math[slice(*top)])
    renamed = [None if token == index else token for token in body]
    return any(
        [None if token == letter else token for token in numerator] == renamed
        for letter in {token for token in numerator if len(token) == 1 and token.isalpha()}
    )


def _tokens(text: str) -> list[str]:
    """The LaTeX's commands, letters, numbers and signs, without spaces, spacing commands or braces."""
    return [token for token in _TOKEN.findall(text) if token not in _LAYOUT_TOKENS]


def _share_a_letter(math: str, atoms: list[_Atom]) -> bool:
    """Do two of the atoms use the same symbol outside their indices?"""
    seen: set[str] = set()
    for atom in atoms:
        letters = _symbols(math[atom.start : atom.end], names=False)
        if letters & seen:
            return True
        seen |= letters
    return False


_GUARD = re.compile(r"\s*\+\s*\\(?:var)?epsilon\s*$")
_ROOT = re.compile(r"\\sqrt\s*\{")


def _guarded(math: str, span: Span) -> Span:
    """Of a denominator with a small guard added (`\\sqrt{\\hat v} + \\epsilon`, `\\sqrt{\\sigma^2 +
    \\epsilon}`), what the guard is added to, when that is more than a lone symbol: blind readers asked for
    the guard to stay shown, as the convention it is, and the quantity divided by to be the gap."""
    start, end = span
    root = _ROOT.match(math, start)
    if root is not None and math[end - 1] == "}" and _brace_end(math, root.end() - 1, end) == end:
        start, end = root.end(), end - 1  # inside the root
    guard = _GUARD.search(math, start, end)
    if guard is None or guard.end() != end:
        return span
    inner = _trimmed(math, (start, guard.start()))
    return span if _lone_symbol(math[slice(*inner)]) or inner[0] >= inner[1] else inner


def _clamped(math: str, call: _Atom, argument: Span) -> Span | None:
    """The argument of `\\max(0, ...)` or `\\min(..., 0)` that is not the number (None for any other call)."""
    if call.name not in {"max", "min"}:
        return None
    pieces, start = [], argument[0]
    for atom in [*_atoms(math, argument), None]:
        if atom is None or atom.kind == "comma":
            pieces.append(_trimmed(math, (start, argument[1] if atom is None else atom.start)))
            start = argument[1] if atom is None else atom.end
    numbers = [p for p in pieces if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", math[slice(*p)])]
    rest = [p for p in pieces if p not in numbers]
    return rest[0] if len(pieces) == 2 and len(rest) == 1 else None


def _with_calls(factors: list[_Atom]) -> list[_Atom]:
    """`q_i \\log p_i`: a function name takes the rest of the term as its argument."""
    for index, atom in enumerate(factors[:-1]):
        if atom.kind == "sym" and atom.name in _FUNCTIONS - _ONE_ARG and atom.end == _name_end(atom):
            argument = (factors[index + 1].start, factors[-1].end)
            return [*factors[:index], _Atom("call", atom.start, argument[1], (argument,), atom.name)]
    return factors


def _named_call(math: str, atom: _Atom) -> bool:
    """A function the lesson names (`\\mathrm{Var}(z)`, `F(x)`), not an operation (`\\log`, `\\sqrt`)."""
    return atom.name in {"mathrm", "operatorname", "text", "textrm", "mathbb", "mathcal"} or not atom.name


def _plain_text(math: str, span: Span) -> bool:
    symbol = r"\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[\w,]+\}?)?\s*"
    return re.fullmatch(symbol, math[span[0] : span[1]]) is not None


def _name_end(atom: _Atom) -> int:
    return atom.start + len(atom.name) + 1


def _inner(math: str, atom: _Atom) -> Span:
    """What to hide of a factor: a bracket's content rather than the brackets."""
    if atom.kind == "group" and atom.inner:
        return _trimmed(math, atom.inner[0])
    return atom.start, atom.end


def _terms(atoms: list[_Atom]) -> list[list[_Atom]]:
    terms: list[list[_Atom]] = [[]]
    for atom in atoms:
        if atom.kind == "op":
            if terms[-1] and any(a.kind != "space" for a in terms[-1]):
                terms.append([])
            continue  # a leading sign belongs to no part
        terms[-1].append(atom)
    return [term for term in terms if any(a.kind != "space" for a in term)]


def _plain(math: str, term: list[_Atom]) -> bool:
    """A lone symbol, an index on it, a number or `1/n` (`w_t`, `x`, `2`): guessed, not recalled."""
    solid = [atom for atom in term if atom.kind != "space"]
    if len(solid) != 1:
        return False
    atom = solid[0]
    if atom.kind == "frac":
        return _is_one(math, atom.inner[0]) and "\\" not in math[atom.inner[1][0] : atom.inner[1][1]]
    text = re.sub(r"\^\s*\{?\s*(?:\\top|T|\\intercal)\s*\}?", "", math[atom.start : atom.end])
    return atom.kind == "num" or (atom.kind == "sym" and "^" not in text)


def _span_of(term: list[_Atom]) -> Span:
    solid = [atom for atom in term if atom.kind != "space"]
    return solid[0].start, solid[-1].end


def _is_one(math: str, span: Span) -> bool:
    return math[span[0] : span[1]].strip() == "1"


def _trimmed(math: str, span: Span) -> Span:
    start, end = span
    while start < end:
        lead = _SPACING.match(math, start, end)
        if lead is None or lead.end() == start:
            break
        start = lead.end()
    text = math[start:end]
    stripped = re.sub(r"(?:\s|\\[,;:! ]|\\(?:quad|qquad)|\\!)+$", "", text)
    return start, start + len(stripped)


def squeezed(text: str) -> str:
    """The text without spaces and spacing commands, for comparing two pieces of LaTeX."""
    return re.sub(r"\s+|\\[,;:! ]", "", text)


def _worth_asking(math: str, span: Span) -> bool:
    """A part that holds more than a sign or spacing, and is not the whole left side written again."""
    text = math[span[0] : span[1]]
    bare_command = re.fullmatch(r"\\[A-Za-z]+", text.strip()) is not None and len(text) < 4
    return re.search(r"[A-Za-z0-9]", text) is not None and not bare_command


def _atoms(math: str, span: Span) -> list[_Atom]:
    """The top-level atoms of `math[span]`, each with its scripts attached."""
    start, end = span
    atoms: list[_Atom] = []
    i = start
    while i < end:
        char = math[i]
        if char.isspace():
            i += 1
            continue
        spacing = _SPACING.match(math, i, end)
        if spacing and spacing.end() > i:
            atoms.append(_Atom("space", i, spacing.end()))
            i = spacing.end()
            continue
        if char in "+-" or math.startswith(("\\pm", "\\mp"), i):
            width = 1 if char in "+-" else 3
            atoms.append(_Atom("op", i, i + width))
            i += width
            continue
        if math.startswith(("\\cdot", "\\times"), i) and not math[i + 5 : i + 6].isalpha():
            width = 5 if math.startswith("\\cdot", i) else 6
            atoms.append(_Atom("mul", i, i + width))
            i += width
            continue
        if char in "^_'!" and atoms:
            i = _script_end(math, i, end)
            last = atoms[-1]
            atoms[-1] = _Atom(last.kind, last.start, i, last.inner, last.name)
            continue
        atom, i = _atom(math, i, end)
        if atom.kind == "group" and atoms and atoms[-1].kind in {"sym", "call"} and _calls(math, atoms[-1]):
            last = atoms[-1]
            atoms[-1] = _Atom("call", last.start, atom.end, atom.inner, last.name)
            continue
        if atom.kind == "big":
            rest = _atoms(math, (i, end))
            tail = [a for a in rest if a.kind == "op"]
            stop = tail[0].start if tail else end
            atoms.append(_Atom("big", atom.start, stop, (_trimmed(math, (i, stop)),), atom.name))
            atoms.extend(a for a in rest if a.start >= stop)
            return atoms
        atoms.append(atom)
    return atoms


def _calls(math: str, atom: _Atom) -> bool:
    """Is a bracket after this atom its argument (`\\log(x)`, `F(x)`, `\\mathrm{Var}(w)`)?"""
    if atom.kind == "call":
        return False  # `F(x)(y)`: a product; rare enough to leave to the factor rule
    name = atom.name
    if name in _FUNCTIONS or name in _ONE_ARG - {"sqrt"}:
        return True
    text = math[atom.start : atom.end]
    return text[:1] in _CALLABLE_LETTERS and (len(text) == 1 or text[1] in "_'") and "^" not in text


def _atom(math: str, i: int, end: int) -> tuple[_Atom, int]:
    char = math[i]
    first = i
    size = _SIZES.match(math, i, end)
    if size is not None:
        i = size.end()
        char = math[i] if i < end else ""
    for opener, closer in _OPENERS.items():
        if math.startswith(opener, i):
            close = _matching(math, i + len(opener), end, opener, closer)
            inner = (i + len(opener), _unsized(math, i + len(opener), close))
            after = close + len(closer)
            return _Atom("group", first, after, (inner,)), after
    if char in ",;":
        return _Atom("comma", i, i + 1), i + 1
    if char == "{":
        close = _brace_end(math, i, end)
        return _Atom("group", i, close, ((i + 1, close - 1),)), close
    if char.isdigit() or (char == "." and i + 1 < end and math[i + 1].isdigit()):
        number = re.compile(r"\d*\.?\d+").match(math, i, end)
        assert number is not None
        return _Atom("num", i, number.end()), number.end()
    if char == "\\":
        command = re.compile(r"\\([A-Za-z]+)").match(math, i, end)
        if command is None:
            return _Atom("sym", i, i + 2), i + 2
        name = command.group(1)
        j = command.end()
        if name in _TWO_ARGS:
            top_start = _skip_space(math, j, end)
            top_end = _brace_end(math, top_start, end)
            bottom_start = _skip_space(math, top_end, end)
            bottom_end = _brace_end(math, bottom_start, end)
            top = _argument(math, top_start, top_end)
            if re.match(r"\s*(?:\\partial|d\b|d(?=[A-Za-z\\]))", math[top[0] : top[1]]):
                return _Atom("sym", i, bottom_end, (), "derivative^"), bottom_end  # a derivative is one thing
            bottom = _argument(math, bottom_start, bottom_end)
            return _Atom("frac", i, bottom_end, (top, bottom), name), bottom_end
        if name == "sqrt":
            j = _skip_space(math, j, end)
            if j < end and math[j] == "[":
                j = _matching(math, j + 1, end, "[", "]") + 1
            close = _brace_end(math, _skip_space(math, j, end), end)
            return _Atom("call", i, close, ((_skip_space(math, j, end) + 1, close - 1),), name), close
        if name in _ONE_ARG:
            close = _brace_end(math, _skip_space(math, j, end), end)
            return _Atom("sym", i, close, (), name), close
        if name in {"max", "min"} and re.match(r"\s*(?:\\(?:left|big|Big)\s*)?\(", math[j:end]):
            return _Atom("sym", i, j, (), name), j  # `\\max(a, b)`: a function of its arguments
        if name in _BIG_OPERATORS:
            j = _script_end(math, j, end) if j < end and math[j] in "_^" else j
            j = _script_end(math, j, end) if j < end and math[j] in "_^" else j
            return _Atom("big", i, j, (), name), j
        return _Atom("sym", i, j, (), name), j
    if char.isalpha():
        return _Atom("sym", i, i + 1), i + 1
    raise Unreadable(math[i:end])


def _argument(math: str, start: int, end: int) -> Span:
    """A command's argument without its braces: `{t + 1}` gives `t + 1`, and `\\tfrac12` reads `1`, `2`."""
    return (start + 1, end - 1) if math[start : start + 1] == "{" else (start, end)


def _unsized(math: str, start: int, close: int) -> int:
    """Where a bracket's content ends, before a `\\right` or `\\big` that sizes its closer."""
    text = math[start:close]
    trimmed = re.sub(r"\\(?:right|bigr|Bigr|biggr|Biggr|big|Big|bigg|Bigg)\s*$", "", text)
    return start + len(trimmed)


def _matching(math: str, i: int, end: int, opener: str, closer: str) -> int:
    """The index of the closer that matches an opener whose content starts at i."""
    depth = 0
    while i < end:
        if math[i] == "\\" and not math.startswith(closer, i) and not math.startswith(opener, i):
            i += 2 if i + 1 < end and not math[i + 1].isalpha() else 1
            while i < end and math[i].isalpha() and math[i - 1] != "\\":
                i += 1
            continue
        if math.startswith(closer, i) and depth == 0:
            return i
        if math[i] in "{([":
            depth += 1
        elif math[i] in "})]":
            depth -= 1
            if depth < 0:
                raise Unreadable(math)
        i += 1
    raise Unreadable(math)


def _brace_end(math: str, i: int, end: int) -> int:
    """The index just after the brace group (or single token) starting at i."""
    if i >= end:
        raise Unreadable(math)
    if math[i] != "{":
        token = re.compile(r"\\[A-Za-z]+|\\.|.").match(math, i, end)
        assert token is not None
        return token.end()
    depth = 0
    j = i
    while j < end:
        if math[j] == "\\":
            j += 2
            continue
        if math[j] == "{":
            depth += 1
        elif math[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise Unreadable(math)


def _script_end(math: str, i: int, end: int) -> int:
    """The index after a run of scripts and primes starting at i (`_{t-1}^2`, `'`)."""
    while i < end and math[i] in "^_'!":
        if math[i] in "'!":
            i += 1
            continue
        j = _skip_space(math, i + 1, end)
        i = _brace_end(math, j, end)
    return i


def _skip_space(math: str, i: int, end: int) -> int:
    while i < end and math[i].isspace():
        i += 1
    return i
