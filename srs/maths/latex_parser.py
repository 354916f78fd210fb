"""The grammar behind srs.maths.latex: a recursive-descent reader of the LaTeX subset srs checks.

It accepts numbers, letters (Greek included, subscripted ones as `Indexed`), `\\frac`, `\\sqrt`, powers,
products, named functions (`\\exp`, `\\log`, `\\mathrm{softmax}`, ...) and sums over an index, and
raises LatexUnsupported for anything it would otherwise have to guess (transposes, derivatives,
integrals, relations other than `=`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from srs.core.errors import SourceError

if TYPE_CHECKING:

    from srs.core.model import Location

LENGTH_NAME = "#n"
"""Name of the symbol for the length of the vectors that unbounded sums (`\\sum_j`) run over."""

_GREEK = frozenset(
    re.findall(r"\w+", "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
               "mu nu xi pi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
               "Xi Pi Sigma Upsilon Phi Psi Omega ell")
)
_FUNCTIONS = {"exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos", "tan": "tan",
              "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "arcsin": "asin", "arccos": "acos",
              "arctan": "atan"}
_NAMES = frozenset({"mathrm", "operatorname", "text", "textrm", "mathit", "textit", "mathsf"})
_DECORATIONS = frozenset({"mathbf", "boldsymbol", "bm", "vec", "hat", "bar", "tilde", "dot", "ddot",
                          "overline", "widehat", "widetilde", "mathcal"})
_CALLABLE_LETTERS = frozenset("fghpqLP") | {"sigma", "phi", "varphi", "psi", "ell"}
"""Letters read as functions when `(` follows (`f(x)`); any other letter multiplies (`a(b+c)`)."""
_CALL_STARTS = frozenset({f"\\{n}" for n in [*_FUNCTIONS, *_NAMES, "sum", "prod", "max", "min"]})
_NOT_FACTOR = frozenset("+-*/)]}=<>,^_!'&")
_REFUSED = {
    "partial": "derivatives", "nabla": "gradients", "int": "integrals", "lim": "limits",
    "infty": "infinity", "cdots": "an elided pattern (...)", "ldots": "an elided pattern (...)",
    "dots": "an elided pattern (...)", "top": "a transpose", "intercal": "a transpose",
    "mathbb": "blackboard letters such as \\mathbb{E}", "det": "determinants", "in": "set membership",
}
REWRITES = [
    (r"\\operatorname\*", r"\\operatorname"),
    (r"\\(?:left|right)\.", " "),
    (r"\\(?:left|right|middle|[bB]igg?[lr]?)(?![A-Za-z])", " "),
    (r"\\(?:quad|qquad|displaystyle|textstyle|limits|nolimits|enspace|thinspace)(?![A-Za-z])", " "),
    (r"\\[,;:! ]|~", " "),
    (r"\\(?:cdot|times|ast)(?![A-Za-z])", "*"),
    (r"\\[dt]frac(?![A-Za-z])", r"\\frac"),
    (r"\\(?:lvert|rvert|vert)(?![A-Za-z])", "|"),
    (r"\\mathrm\s*\{\s*e\s*\}", "e"),
    (r"\\(?:operatorname|mathrm|text|textrm)\s*\{\s*(exp|log|ln|sin|cos|tan|tanh|max|min)\s*\}", r"\\\1"),
    (r"[,.;\s]+$", ""),
]
TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\.\d+|[A-Za-z]|\S")



class LatexUnsupported(ValueError):
    """A formula srs cannot turn into sympy without guessing; the message says what and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def at(self, location: Location) -> SourceError:
        """The same problem as a SourceError at a place in the notebook."""
        return SourceError(self.message, location)



class Parser:
    """Recursive descent over tokens, refusing whatever it would otherwise have to guess."""

    def __init__(self, tokens: list[str], matrices: set[Any] | None = None) -> None:
        import sympy

        self.sp = sympy
        self.tokens = tokens
        self.pos = 0
        self.in_abs = False
        self.matrices = matrices if matrices is not None else set()
        """Symbols that may stand for matrices (capitals, bold letters)."""

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise LatexUnsupported("the formula ends too early")
        self.pos += 1
        return token

    def expect(self, token: str) -> None:
        if self.peek() != token:
            raise LatexUnsupported(f"expected '{token}' but found '{self.peek() or 'the end'}'")
        self.pos += 1

    def whole(self) -> Any:
        if not self.tokens:
            raise LatexUnsupported("the formula is empty")
        value = self.expr()
        if self.peek() is not None:
            raise LatexUnsupported(_stray(self.peek()))
        return value

    def expr(self) -> Any:
        terms = [self.signed(self.term)]
        while self.peek() in ("+", "-"):
            terms.append(self.signed(self.term))
        return self.sp.Add(*terms)

    def signed(self, read: Any) -> Any:
        if self.peek() in ("+", "-"):
            return -read() if self.take() == "-" else read()
        return read()

    def term(self) -> Any:
        factors = [self.factor()]
        while True:
            token = self.peek()
            if token in ("*", "/"):
                self.take()
                factor = self.signed(self.factor)
                factors.append(factor if token == "*" else 1 / factor)
            elif self.starts_factor(token):
                factors.append(self.factor())
            else:
                break
        return self.product(factors)

    def bare_argument(self) -> Any:
        # `\log 2x` is log(2x), but `\sin x \cos x` is sin(x)cos(x): stop before the next function.
        factors = [self.factor()]
        while self.starts_factor(self.peek()) and self.peek() not in _CALL_STARTS:
            factors.append(self.factor())
        return self.product(factors)

    def starts_factor(self, token: str | None) -> bool:
        return token is not None and token not in _NOT_FACTOR and not (token == "|" and self.in_abs)

    def product(self, factors: list[Any]) -> Any:
        if sum(1 for f in factors if any(f.has(m) for m in self.matrices)) > 1:
            raise LatexUnsupported("a product of capital or bold letters may be a matrix product, whose "
                                   "order matters; srs checks scalar algebra only")
        return self.sp.Mul(*factors)

    def factor(self) -> Any:
        value = self.primary()
        while self.peek() in ("^", "!"):
            if self.take() == "!":
                value = self.sp.factorial(value)
            elif self.at_transpose():
                raise LatexUnsupported("a transpose (^\\top, ^T) makes this a matrix formula; srs checks "
                                       "scalar algebra only")
            elif self.peek() in ("*", "'", "\\prime", "\\star", "\\ast"):
                raise LatexUnsupported(f"a superscript '{self.peek()}' is a label, not a power")
            else:
                value = self.sp.Pow(value, self.script())
        return value

    def at_transpose(self) -> bool:
        ahead = [t for t in self.tokens[self.pos:self.pos + 4] if t not in ("{", "\\mathsf", "\\mathrm")]
        return bool(ahead) and ahead[0] in ("T", "\\top", "\\intercal")

    def script(self) -> Any:
        token = self.peek()
        if token == "{":
            return self.group()
        if token is not None and token[0].isdigit():
            return self.digit()
        return self.primary()

    def digit(self) -> Any:
        # `x^23` is x^2 times 3 in LaTeX: a script without braces is one character.
        token = self.tokens[self.pos]
        if len(token) > 1:
            self.tokens[self.pos] = token[1:]
        else:
            self.pos += 1
        return self.sp.Integer(token[0])

    def group(self) -> Any:
        self.expect("{")
        value = self.expr()
        self.expect("}")
        return value

    def primary(self) -> Any:
        token = self.take()
        if token[0].isdigit() or (token[0] == "." and token != "."):
            return self.sp.Rational(token)
        if token in ("(", "["):
            return self.parens(token)
        if token == "{":
            self.pos -= 1
            return self.group()
        if token == "|":
            return self.absolute()
        if token.isalpha():
            return self.letter(token, token in _CALLABLE_LETTERS)
        if token.startswith("\\"):
            return self.command(token[1:])
        raise LatexUnsupported(_stray(token))

    def parens(self, opening: str) -> Any:
        outer, self.in_abs = self.in_abs, False
        value = self.expr()
        self.in_abs = outer
        self.expect(")" if opening == "(" else "]")
        return value

    def absolute(self) -> Any:
        outer, self.in_abs = self.in_abs, True
        value = self.expr()
        self.in_abs = outer
        self.expect("|")
        return self.sp.Abs(value)

    def letter(self, name: str, callable_: bool) -> Any:
        while self.peek() == "'":
            name += self.take()
        sub = self.subscript() if self.peek() == "_" else None
        name += self.superscript_label(name)
        if sub is None and name in ("e", "pi"):
            return self.sp.E if name == "e" else self.sp.pi
        if sub is None and callable_ and self.peek() == "(":
            return self.call(name, self.arguments())
        return self.symbol(name, sub)

    def superscript_label(self, name: str) -> str:
        # `W^{(l)}` names the weights of layer l; it is not a power.
        if name == "e" or self.tokens[self.pos:self.pos + 3] != ["^", "{", "("]:
            return ""
        self.pos += 2
        inner = self.braced()
        if inner[-1:] != [")"]:
            raise LatexUnsupported("a superscript that starts with '(' is a label such as W^{(l)}; close it")
        return "^{" + "".join(inner) + "}"

    def symbol(self, name: str, sub: tuple[Any, ...] | None) -> Any:
        sp = self.sp
        value = sp.Symbol(name, real=True) if sub is None else sp.IndexedBase(name, real=True)[sub]
        labels = all(not isinstance(i, sp.Symbol) or i.name.isupper() or len(i.name) > 1 for i in sub or ())
        if name.startswith(("\\mathbf", "\\boldsymbol", "\\bm", "\\vec")) or (name[:1].isupper() and labels):
            self.matrices.add(value)
        return value

    def subscript(self) -> tuple[Any, ...]:
        self.expect("_")
        token = self.peek()
        if token == "{":
            self.take()
            return self.indices(self.braced())
        if token is not None and token[0].isdigit():
            return (self.digit(),)
        self.pos += 1
        if token is not None and (token.isalpha() or token[1:] in _GREEK):
            return (self.sp.Symbol(token.lstrip("\\"), real=True),)
        raise LatexUnsupported(f"cannot read the subscript '{token or ''}'")

    def braced(self) -> list[str]:
        depth, start = 1, self.pos
        while depth:
            token = self.take()
            depth += {"{": 1, "}": -1}.get(token, 0)
        return self.tokens[start:self.pos - 1]

    def indices(self, tokens: list[str]) -> tuple[Any, ...]:
        # x_{ij} and x_{i,j} are two indices; d_{model} and d_{\text{model}} are one label.
        sp, found = self.sp, []
        for item in _split_commas(tokens):
            word = _word(item)
            if word is not None:
                found.append(sp.Symbol(word, real=True))
            elif item and all(t.isalnum() or t[1:] in _GREEK for t in item):
                found += [sp.Integer(t) if t.isdigit() else sp.Symbol(t.strip("\\"), real=True) for t in item]
            else:
                found.append(Parser(item, self.matrices).whole())
        return tuple(found)

    def command(self, name: str) -> Any:
        if name in _GREEK:
            return self.letter(name, name in _CALLABLE_LETTERS)
        if name in _FUNCTIONS:
            return self.function(name)
        if name in ("max", "min"):
            if self.peek() == "_":
                raise LatexUnsupported(f"\\{name} over an index cannot be checked")
            return (self.sp.Max if name == "max" else self.sp.Min)(*self.arguments())
        if name in ("sum", "prod"):
            return self.big_operator(name)
        if name == "frac":
            return self.fraction()
        if name == "sqrt":
            return self.root()
        if name == "binom":
            return self.sp.binomial(self.script(), self.script())
        if name in _NAMES:
            self.expect("{")
            return self.named(_word(["\\text", "{", *self.braced(), "}"]) or _refuse(name))
        if name in _DECORATIONS:
            self.expect("{")
            inner = self.braced()
            if len(inner) != 1 or not (inner[0].isalpha() or inner[0][1:] in _GREEK):
                raise LatexUnsupported(f"\\{name} is read on a single letter only")
            return self.letter(f"\\{name}{{{inner[0]}}}", name == "mathcal")
        return _refuse(name)

    def function(self, name: str) -> Any:
        sp = self.sp
        base = self.script() if name == "log" and self.peek() == "_" and self.take() else None
        power = self.script() if self.peek() == "^" and self.take() else None
        argument = self.parens(self.take()) if self.peek() in ("(", "[") else self.bare_argument()
        value = sp.log(argument, base) if base is not None else getattr(sp, _FUNCTIONS[name])(argument)
        return value if power is None else value**power

    def arguments(self) -> list[Any]:
        self.expect("(")
        found = [self.expr()]
        while self.peek() == ",":
            self.take()
            found.append(self.expr())
        self.expect(")")
        return found

    def named(self, word: str) -> Any:
        if word == "d":
            raise LatexUnsupported("a differential (\\mathrm{d}) cannot be checked")
        if len(word) == 1:
            return self.letter(word, word in _CALLABLE_LETTERS)
        if word.lower() in _FUNCTIONS:
            return self.function(word.lower())
        if self.peek() == "(":
            args = self.arguments()
            return self.call(word, args, self.subscript() if self.peek() == "_" else ())
        return self.symbol(word, self.subscript() if self.peek() == "_" else None)

    def call(self, name: str, args: list[Any], sub: tuple[Any, ...] = ()) -> Any:
        sp, low, (first, *rest) = self.sp, name.lower(), args
        if not rest and not sub and low in ("sigmoid", "logistic", "relu", "softplus"):
            known = {"sigmoid": 1 / (1 + sp.exp(-first)), "logistic": 1 / (1 + sp.exp(-first)),
                     "relu": sp.Max(0, first), "softplus": sp.log(1 + sp.exp(first))}
            return known[low]
        if low == "softmax" and not rest and len(sub) == 1 and isinstance(first, sp.Symbol):
            vector, j = sp.IndexedBase(first.name, real=True), sp.Symbol("#k", real=True)
            length = sp.Symbol(LENGTH_NAME, integer=True, positive=True)
            return sp.exp(vector[sub[0]]) / sp.Sum(sp.exp(vector[j]), (j, 1, length))
        # Any other function is opaque: equal only to itself applied to equal arguments.
        return sp.Function(name)(*args, *sub)

    def fraction(self) -> Any:
        start = self.pos
        numerator = self.script()
        middle = self.pos
        denominator = self.script()
        if _is_derivative(self.tokens[start:middle], self.tokens[middle:self.pos]):
            raise LatexUnsupported("derivatives (d/dx) cannot be checked")
        return numerator / denominator

    def root(self) -> Any:
        degree = 2
        if self.peek() == "[":
            self.take()
            degree = self.expr()
            self.expect("]")
        return self.sp.root(self.script(), degree)

    def big_operator(self, name: str) -> Any:
        sp = self.sp
        if self.peek() != "_":
            raise LatexUnsupported(f"write the index of \\{name}, as in \\{name}_j or \\{name}_{{j=1}}^{{n}}")
        self.take()
        spec = self.braced() if self.peek() == "{" and self.take() else [self.take()]
        if "=" in spec and len(spec) > 2 and spec[1] == "=" and spec[0].isalpha():
            low = Parser(spec[2:], self.matrices).whole()
            self.expect("^")
            ranges = [(sp.Symbol(spec[0], real=True), low, self.script())]
        elif spec and all(t == "," or t.isalpha() for t in spec):
            length = sp.Symbol(LENGTH_NAME, integer=True, positive=True)
            ranges = [(sp.Symbol(t, real=True), 1, length) for t in spec if t != ","]
            if self.peek() == "^":
                raise LatexUnsupported(f"a \\{name} with an end needs a start: \\{name}_{{j=1}}^{{n}}")
        else:
            raise LatexUnsupported(f"srs checks \\{name} over a whole range only (\\{name}_j or "
                                   f"\\{name}_{{j=1}}^{{n}}), not over '{''.join(spec)}'")
        return (sp.Sum if name == "sum" else sp.Product)(self.term(), *ranges)


def _stray(token: str | None) -> str:
    if token in ("=", "<", ">"):
        return f"'{token}' joins two formulas; srs reads one side at a time"
    return f"cannot read '{token}' at this point"


def _refuse(name: str) -> Any:
    what = _REFUSED.get(name)
    raise LatexUnsupported(f"{what} (\\{name}) cannot be checked" if what else f"srs cannot read \\{name}")


def _word(tokens: list[str]) -> str | None:
    if len(tokens) > 3 and tokens[0][1:] in _NAMES and tokens[1] == "{" and tokens[-1] == "}":
        inner = tokens[2:-1]
        if all(t.isalnum() for t in inner):
            return "".join(inner)
    return None


def _split_commas(tokens: list[str]) -> list[list[str]]:
    items: list[list[str]] = [[]]
    for token in tokens:
        if token == ",":
            items.append([])
        else:
            items[-1].append(token)
    return items


def _is_derivative(numerator: list[str], denominator: list[str]) -> bool:
    # \frac{d}{dx} and \frac{dy}{dx} are derivatives, not d divided by d times x.
    top = [t for t in numerator if t not in "{}"]
    bottom = [t for t in denominator if t not in "{}"]
    starts = top[:1] == ["d"] and top[1:2] != ["_"]
    return starts and len(bottom) > 1 and bottom[0] == "d" and bottom[1] not in ("_", "^")
