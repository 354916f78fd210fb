"""A number a cell shows that the next markdown explains -> a numeric card, the explanation as `extra:`.

The explanation is the signal: a number the text goes on to discuss (it quotes it) is one the lesson
thinks worth knowing. A number computed from fixed inputs (`softmax([0, ln 3])`) is a check the learner
can reason out, so it is worth a card even unquoted. A number that depends on a random draw, directly or
through anything made from one (random data, a freshly initialised layer, a trained model), is a detail
of one run and is never suggested; nor is a value that a loop leaves behind from its last pass.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterator
from dataclasses import replace

from srs.core.model import Cell, Value
from srs.suggest.heuristics.shapes import lesson_functions, subject_of, value_of
from srs.suggest.model import SuggestContext, Suggestion, parsed_code, split_sentences

TRANSITION = re.compile(r"^(?:now|next|let|let's|we|here|so far|before|to see|the same)\b", re.I)
RANDOM = re.compile(
    r"\brand|\brandom\b|\bnormal_?\(|\bdropout\b|\bshuffle\b|\bmultinomial\b|\bbernoulli\b|"
    r"\bnn\.(?!functional\b)[A-Z]\w*\(|\binit\.\w+_\(|\bset_seed\b|\bmanual_seed\b|\.sample\("
)
"""Code that draws random numbers, or makes a layer whose weights start random."""
MODULES = frozenset({"torch", "np", "numpy", "math", "F", "nn", "plt", "utils", "scipy", "sympy"})


def scalar(value: Value | None) -> float | None:
    """The number a value holds, for ints, floats and one-element tensors or arrays."""
    if value is None:
        return None
    if (
        value.type in {"int", "float"}
        and isinstance(value.data, int | float)
        and not isinstance(value.data, bool)
    ):
        return float(value.data)
    if value.shape is not None and math.prod(value.shape) == 1 and value.data is not None:
        data = value.data
        while isinstance(data, list) and data:
            data = data[0]
        return float(data) if isinstance(data, int | float) and not isinstance(data, bool) else None
    return None


def spellings(number: float) -> set[str]:
    """How a text may quote a number: rounded to 2-5 significant digits, as a percentage, exact."""
    if number == int(number) and abs(number) < 1e15:
        return {str(int(number)), f"{int(number):,}"}
    found = set()
    for digits in range(2, 6):
        text = f"{number:.{digits}g}"
        if "e" not in text:
            found.add(text)
            found.add(text.lstrip("0") if text.startswith("0.") else text)
    if 0 < abs(number) < 1:
        found.add(f"{100 * number:.0f}%")
        found.add(f"{100 * number:.1f}%")
    return found


def _explaining_paragraph(ctx: SuggestContext, cell: Cell, number: float) -> tuple[str, bool] | None:
    """The paragraph right after the cell, and whether it quotes the number."""
    following = ctx.next_cell(cell)
    if following is None or following.type != "markdown":
        return None
    blocks = ctx.blocks(following)
    for block in blocks[:2]:
        if block.type != "paragraph":
            continue
        for sentence in split_sentences(block.text):
            if any(re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", sentence) for s in spellings(number)):
                return sentence, True
    return (blocks[0].text, False) if blocks and blocks[0].type == "paragraph" else None


def _on_the_front(number: float, source: str) -> bool:
    """Does the cell's code already spell the number out (a comment, a literal)? Small integers aside."""
    if number == int(number) and abs(number) < 10:
        return False
    return any(re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", source) for s in spellings(number))


def _readable(sentence: str) -> bool:
    """Does the sentence stand on its own as an explanation (a whole sentence, not too long)?"""
    return bool(sentence) and sentence[0].isupper() and len(sentence.split()) <= 40


def _digits(number: float) -> int | None:
    """Three significant digits, or the default four where three would round it to a whole number.

    Four shows 0.99966 as 0.9997 (nearly one, not one) and -0.99999999 as -1.0.
    """
    if number == int(number):
        return None
    shown = float(f"{number:.3g}")
    return None if shown == int(shown) else 3


def random_names(ctx: SuggestContext) -> set[str]:
    """Names whose values depend on a random draw, followed statement by statement through the lesson.

    A statement that draws (or reads a name that does) makes every name it binds random; a function or
    class whose body does makes its name random, so whatever calls it is too.
    """
    tainted: set[str] = set()
    for _cell, tree in ctx.code_trees():
        for statement in tree.body:
            if _depends_on_chance(statement, tainted):
                tainted |= _binds(statement)
    return tainted


STRUCTURE_ATTRIBUTES = frozenset({"shape", "ndim", "dtype", "device"})
STRUCTURE_CALLS = frozenset({"numel", "size", "dim", "parameters", "named_parameters", "len"})


class _Structure(ast.NodeTransformer):
    """Replaces what only reads a tensor's structure (its shape, its parameter count) by a constant."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if node.attr in STRUCTURE_ATTRIBUTES or (node.attr == "size" and isinstance(node.ctx, ast.Load)):
            return ast.Constant(0)
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if called in STRUCTURE_CALLS:
            return ast.Constant(0)
        return self.generic_visit(node)


def _depends_on_chance(node: ast.AST, tainted: set[str]) -> bool:
    """Does the code's value depend on a random draw? A shape or a parameter count never does."""
    import copy

    values = _Structure().visit(copy.deepcopy(node))
    return bool(RANDOM.search(ast.unparse(values))) or bool(_reads(values) & tainted)


def _reads(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _binds(statement: ast.stmt) -> set[str]:
    bound = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        bound.add(statement.name)
    for node in ast.walk(statement):  # `model.train()`, `weights[0] = ...`: the object itself changed
        if isinstance(node, ast.Attribute | ast.Subscript) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, ast.Attribute | ast.Subscript):
                base = base.value
            if isinstance(base, ast.Name):
                bound.add(base.id)
        # `curve.append(val_loss(model))` in a loop: the list now holds what the statement computed
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, owner = node.func.attr, node.func.value
            if isinstance(owner, ast.Name) and (method in MUTATORS or method.endswith("_")):
                bound.add(owner.id)
    return bound


MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault"})
"""Methods that change the list, set or dict they are called on."""


def _top_level(statement: str, cell: Cell) -> bool:
    """Is the statement one of the cell's own statements (not the body of a loop or a block)?"""
    tree = parsed_code(cell.source)
    own = parsed_code(statement.strip())
    if tree is None or own is None:
        return False
    wanted = ast.unparse(own)
    return any(ast.unparse(node) == wanted for node in tree.body)


def notebook_functions(ctx: SuggestContext, tainted: set[str]) -> set[str]:
    """Functions and classes the lesson defines whose results do not depend on a random draw."""
    defined: set[str] = set()
    for _cell, tree in ctx.code_trees():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name not in tainted:
                defined.add(node.name)
    return defined


def _fixed_inputs(statement: str, cell: Cell, functions: set[str]) -> bool:
    """Does the statement compute from literals alone, through library or lesson functions?

    Names the cell itself makes from such inputs (a loop that runs a fixed recurrence) count as fixed.
    """
    tree = parsed_code(cell.source)
    own = parsed_code(statement.strip())
    if tree is None or own is None:
        return False
    made_here: set[str] = set()
    known = MODULES | BUILTINS | functions
    if any(_depends_on_chance(node, set()) for node in tree.body):
        return False
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Expr | ast.For):
            return False
        binds = _binds(node)
        inner = {
            n.id
            for c in ast.walk(node)
            if isinstance(c, ast.comprehension)
            for n in ast.walk(c.target)
            if isinstance(n, ast.Name)
        }
        free = _reads(node) - inner
        if free - made_here - known - (binds if isinstance(node, ast.For | ast.AugAssign) else set()):
            return False  # a loop and `x += ...` read what they bind; an assignment must not
        made_here |= binds
    # a function at work (softmax, one optimizer step) or a recurrence, not arithmetic on the front
    looped = {name for node in tree.body if isinstance(node, ast.For) for name in _binds(node)}
    at_work = [node for node in ast.walk(own) if isinstance(node, ast.Call) and _called(node) not in MAKERS]
    if at_work and all(_elementary(call) for call in at_work):
        return False  # `math.exp(1.5)` is a calculator's job, not a step to remember
    return bool(at_work) or bool(_reads(own) & looped)


ELEMENTARY = frozenset({"exp", "log", "log2", "log10", "sqrt", "pow", "abs", "sin", "cos", "tan"})


def _elementary(call: ast.Call) -> bool:
    """An elementary function of one plain number."""
    return _called(call) in ELEMENTARY and all(
        isinstance(arg, ast.Constant)
        or (isinstance(arg, ast.UnaryOp) and isinstance(arg.operand, ast.Constant))
        for arg in call.args
    )


MAKERS = frozenset({"zeros", "ones", "full", "arange", "linspace", "eye", "tensor", "array", "float", "int"})
MAKERS |= {"item", "tolist", "zeros_like", "ones_like", "list", "tuple"}
"""Calls that only make or convert a value: a number they give is already on the front."""


def _called(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


BUILTINS = frozenset(dir(__import__("builtins")))


def printed_expression(cell: Cell) -> str | None:
    """The one expression a cell's closing `print(...)` shows: `print(out_len(32, 5))`, `print(f"{r:.3f}")`.

    A card names it with `of:`, and the run evaluates it after the cell (see `propose`). A bare name is
    left to the card's own reading of the cell (the statement that assigned it).
    """
    tree = parsed_code(cell.source) if cell.type == "code" else None
    if tree is None:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    call = tree.body[-1].value
    if not isinstance(call, ast.Call) or ast.unparse(call.func) != "print" or call.keywords:
        return None
    shown = [arg for arg in call.args if not isinstance(arg, ast.Constant)]
    if len(shown) == 1 and isinstance(shown[0], ast.JoinedStr):
        shown = [part.value for part in shown[0].values if isinstance(part, ast.FormattedValue)]
    if len(shown) != 1 or isinstance(shown[0], ast.Name | ast.Starred):
        return None
    return ast.unparse(shown[0])


POSITION = re.compile(r"\b(?:argmin|argmax|argsort|searchsorted|nonzero|index)\(")
"""Calls that give a position in an array (blind readers rated the argmin 32482 of a grid trivia)."""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A numeric card for each number that the following paragraph quotes or that fixed inputs give."""
    tainted = random_names(ctx)
    functions = notebook_functions(ctx, tainted)
    defined = lesson_functions(ctx)
    for cell, result in ctx.code_cells():
        found = subject_of(cell, "numeric")
        of = printed_expression(cell) if found is None else None
        if of is not None and of in result.evaluated:
            found = of, of, False
        if found is None:
            continue
        expr, statement, is_last = found
        try:
            parsed = ast.parse(statement.strip())
        except SyntaxError:
            continue
        if len(parsed.body) != 1 or not isinstance(parsed.body[0], ast.Assign | ast.AnnAssign | ast.Expr):
            continue  # a loop leaves only its last pass's value behind: which one would the card mean?
        if not (of is not None or _top_level(statement, cell)) or "assert" in cell.source:
            continue  # an assert states the answer, and a numeric card shows the whole cell
        if _depends_on_chance(parsed, tainted):
            continue
        if _calls_hidden_function(parsed, cell, defined):
            continue  # `make_mlp()` defined cells earlier: the card could not say what it builds
        if not _reads(parsed) and not any(isinstance(n, ast.Call) for n in ast.walk(parsed)):
            continue  # `(1 - 0.01 * 0.5) ** 300`: numbers alone are a calculator's job
        if _arithmetic_on_numbers_elsewhere(parsed, cell.source):
            continue  # `fpr = fp / (fp + tn)` with the counts made cells earlier: the front cannot say them
        if _is_literal(_value(parsed)) or _reads_a_literal(parsed, cell.source):
            continue  # `torch.tensor(0)`, or `a.item()` after `a = torch.tensor(5.0)`: the front shows it
        if _counts_a_list(parsed):
            continue  # `V = len(vocab)`: counting the entries of a list is no step worth a card
        if POSITION.search(statement):
            continue  # `i = gelu(xs).argmin()`: a place in the notebook's own grid, not a value to know
        if _reads_hidden_object(parsed, cell, result):
            continue  # `sum(p.numel() for p in model.parameters())`: the model is built in another cell
        value = value_of(result, expr, is_last)
        number = scalar(value)
        fixed = _fixed_inputs(statement, cell, functions)
        if number is None and fixed:
            numbers = small_vector(value)
            if (
                numbers is not None
                and any(numbers)
                and not any(_on_the_front(n, cell.source) for n in numbers)
            ):
                # softmax of four equal scores: a few numbers, one idea (all zeros is rarely the idea);
                # blind readers rate most such vectors arithmetic, so they are shown on request
                made = _suggestion(cell, statement, numbers, None, fixed=True)
                nice = all(reasoned(n) for n in numbers)
                yield made if nice else replace(made, confidence=VECTOR_CONFIDENCE)
            continue
        if number is None or not math.isfinite(number) or _on_the_front(number, cell.source):
            continue
        found = _explaining_paragraph(ctx, cell, number)
        quoted = found is not None and found[1]
        # only a sentence that quotes the number explains it; any other would be a guess
        explanation = found[0] if quoted and found is not None else ""
        if TRANSITION.match(explanation) or not _readable(explanation):
            explanation = ""
        if not quoted and not fixed:
            continue
        made = _suggestion(cell, statement, [number], explanation, fixed=not quoted)
        if not reasoned(number):
            # a fraction to three digits (a loss of three logits, an entropy of 0.469, 8/7 = 1.14), quoted
            # or not: blind readers call it a calculator's job, and the insight is in the sentence
            made = replace(made, confidence=VECTOR_CONFIDENCE)
        if of is not None:
            made = replace(made, options=(made.options[0], ("of", of), *made.options[1:]))
        yield made


def _calls_hidden_function(statement: ast.Module, cell: Cell, defined: frozenset[str]) -> bool:
    """Does the statement call a function the lesson defines in another cell (so not on the card)?

    `test_out_length(60, 3)` is asked as what the function computes, which its name and the lesson say;
    a function that builds something (`make_mlp()`) hides what the number counts.
    """
    tree = parsed_code(cell.source)
    here = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)} if tree else set()
    called = {
        node.func.id
        for node in ast.walk(statement)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return any(name in defined and name not in here and name.startswith("make") for name in called)


def _reads_hidden_object(statement: ast.Module, cell: Cell, result) -> bool:
    """Does the statement read an object (a model, a layer, a table) that another cell made?

    The card shows this cell's code only: a count or a value read off something built elsewhere cannot
    be worked out from it. Plain numbers and modules are fine; so is anything the cell itself binds.
    """
    tree = parsed_code(cell.source)
    bound_here = {n for node in (tree.body if tree else []) for n in _binds(node)}
    for name in _reads(statement) - bound_here - MODULES - BUILTINS:
        value = result.before.get(name)
        if value is not None and value.type not in {"int", "float", "bool", "str"}:
            return True
    return False


VECTOR_CONFIDENCE = 0.35
CONFIDENCE = 0.35
"""Numeric cards are shown only at `--min-confidence 0.3`: over rounds 38 to 46 of blind review on new
lessons 2 of 36 ratings were usable (a printed value is as often trivia or arithmetic as an insight,
and which it is the code does not say; readers asked for the idea behind the number instead)."""


_CONSTRUCTORS = frozenset({"tensor", "as_tensor", "array", "asarray", "float", "int", "float32", "float64"})


def _reads_a_literal(tree: ast.Module, source: str) -> bool:
    """Is the value worked out, in this cell, from literals alone: a name bound to one (`unit_a.item()`
    after `unit_a, unit_b = torch.tensor(5.0), torch.tensor(-4.9)`), or arithmetic on such names
    (`v2_bar = v4_bar * 1.0` after `v4_bar = v5_bar * 1.0` and `v5_bar = 1.0`)? The front shows it."""
    value = _value(tree)
    if isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Attribute):
        value = value.func.value if value.func.attr in {"item", "tolist"} else value
    elif isinstance(value, ast.Call) and len(value.args) == 1 and ast.unparse(value.func) in {"float", "int"}:
        value = value.args[0]
    if value is None:
        return False
    cell_tree = parsed_code(source)
    literal: set[str] = set()
    for statement in cell_tree.body if cell_tree else []:
        if not isinstance(statement, ast.Assign):
            continue
        for target in statement.targets:
            pairs = (
                zip(target.elts, statement.value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(statement.value, ast.Tuple)
                else [(target, statement.value)]
            )
            for name, bound in pairs:
                if isinstance(name, ast.Name) and _from_literals(bound, literal):
                    literal.add(name.id)
    return isinstance(value, ast.Name | ast.BinOp | ast.UnaryOp) and _from_literals(value, literal)


def _arithmetic_on_numbers_elsewhere(tree: ast.Module, source: str) -> bool:
    """Is the value plain arithmetic (no call) on names that this cell does not bind?"""
    value = _value(tree)
    if not isinstance(value, ast.BinOp | ast.UnaryOp) or any(
        isinstance(n, ast.Call) for n in ast.walk(value)
    ):
        return False
    cell_tree = parsed_code(source)
    bound = {
        target.id
        for statement in (cell_tree.body if cell_tree else [])
        if isinstance(statement, ast.Assign)
        for target in ast.walk(statement)
        if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store)
    }
    read = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    return bool(read) and not read <= bound


def _from_literals(node: ast.expr, literal: set[str]) -> bool:
    """Is the expression a literal (through a constructor), or arithmetic on literals and `literal` names?"""
    if _is_literal(node):
        return True
    if isinstance(node, ast.Name):
        return node.id in literal
    if isinstance(node, ast.BinOp):
        return _from_literals(node.left, literal) and _from_literals(node.right, literal)
    return isinstance(node, ast.UnaryOp) and _from_literals(node.operand, literal)


def _counts_a_list(tree: ast.Module) -> bool:
    """Is the value the length of something (`len(vocab)`, `len(words)`)?"""
    value = _value(tree)
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "len"


def _value(tree: ast.Module) -> ast.expr | None:
    """The value of a one-statement tree (an assignment's right side, or an expression)."""
    node = tree.body[0]
    return node.value if isinstance(node, ast.Assign | ast.AnnAssign | ast.Expr) else None


def _is_literal(value: ast.expr | None) -> bool:
    """Is the value a literal, possibly wrapped in a constructor (`torch.tensor(0)`, `float(3)`)?"""
    while (
        isinstance(value, ast.Call)
        and len(value.args) == 1
        and not value.keywords
        and ast.unparse(value.func).split(".")[-1] in _CONSTRUCTORS
    ):
        value = value.args[0]
    return isinstance(value, ast.Constant) or (
        isinstance(value, ast.UnaryOp) and isinstance(value.operand, ast.Constant)
    )


def reasoned(number: float) -> bool:
    """Is the number one a learner can work out, not look up: whole, or exact to two decimals (0.25, 0.75)?

    `softmax([0, ln 3])` gives (0.25, 0.75), a check of the idea; a loss of three arbitrary logits, 0.417,
    is a calculator's job.
    """
    return abs(number) < MAX_REASONED and abs(number - round(number, 2)) < 1e-6


MAX_REASONED = 1e4
"""A number this large is looked up (`finfo(float32).min`), not worked out."""


MAX_VECTOR = 4
"""The most numbers a card may ask for at once."""


def small_vector(value: Value | None) -> list[float] | None:
    """The entries of a tensor or array of at most four finite numbers, in one row."""
    if value is None or value.shape is None or len(value.shape) != 1 or not 1 < value.shape[0] <= MAX_VECTOR:
        return None
    data = value.data
    if not isinstance(data, list) or not all(
        isinstance(x, int | float) and not isinstance(x, bool) for x in data
    ):
        return None
    return [float(x) for x in data] if all(math.isfinite(x) for x in data) else None


def _suggestion(
    cell: Cell, statement: str, numbers: list[float], explanation: str | None, *, fixed: bool
) -> Suggestion:
    options: list[tuple[str, object]] = [("card", "numeric")]
    digits = {_digits(number) for number in numbers if number != int(number)}
    if digits == {3}:
        options.append(("digits", 3))
    if explanation:
        options.append(("extra", explanation))
    shown = ", ".join(f"{number:.4g}" for number in numbers)
    return Suggestion(
        cell=cell,
        kind="numeric",
        confidence=CONFIDENCE,
        reason=f"`{statement.strip()}` gives {shown}, "
        + ("from fixed inputs" if fixed else "which the next paragraph quotes"),
        heuristic="numbers",
        options=tuple(options),
    )
