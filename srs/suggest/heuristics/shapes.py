"""Statements that change a tensor's shape in a way worth knowing -> shape cards.

The run says which shapes went in and which came out; `dims:` names each dimension after a size
variable of the notebook (`d_model = 8` names every axis of size 8) when exactly one name fits.

Only shape changes that carry an idea are asked: a contraction against a transpose (the scores
`Q @ K.T`), a batched product, a reshape, a new or removed axis, a reduction along a named axis.
A plain `X @ W` of two matrices is arithmetic, a row picked out of a table is a notebook detail,
and a tensor thousands of entries long is a sample size, not a model's shape: none of them is asked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from srs.core.errors import SrsError
from srs.core.model import CardSource, Cell, CellResult, Value
from srs.suggest.model import SuggestContext, Suggestion, parsed_code

TRANSPOSED = re.compile(r"\.T\b|\.mT\b|\.transpose\(|\.permute\(|\beinsum\(|\brearrange\(")
RESHAPED = re.compile(
    r"\.reshape\(|\.view\(|\.unsqueeze\(|\.squeeze\(|\.flatten\(|None\]|\bcat\(|\bstack\(|"
    r"\.chunk\(|\.split\(|\.expand\(|\.repeat\(|\bouter\(|\.unfold\(|\bconv\w*\(|\w*pool\w*\(|"
    r"\bpad\("
)
REDUCED = re.compile(
    r"\b(?:sum|mean|max|min|var|std|norm|amax|logsumexp|softmax)\((?:.*\b(?:dim|axis)\s*=|\s*-?\d\s*[,)])"
)
MAX_SIZE = 4096
"""An axis longer than this is a sample count (200,000 random draws), not a shape to remember."""
SOLVED = re.compile(r"\b(?:lstsq|solve|pinv|inv|lu_solve|cholesky_solve)\(")
"""Linear solves: blind readers rated the shape of a least-squares baseline (five cards over four lessons)
a detail of the notebook's set-up, never the lesson's point."""
STACKED_LIST = re.compile(r"\b(?:stack|cat|concatenate|hstack|vstack)\(\s*[\[(]")
"""A stack or concatenation of a list written out: blind readers rated it counting, not a step."""


Key = tuple[str, tuple[int, ...]]
"""A tensor by name and shape."""


@dataclass(frozen=True)
class Operand:
    """A tensor the statement reads or makes, with its shape."""

    name: str
    shape: tuple[int, ...]


SEQUENCE_MAKERS = frozenset({"split", "list", "sorted", "tuple", "splitlines"})
"""Calls whose result is a list of things (tokens, words, a vocabulary): its length names an axis."""


PLOT_STYLE = re.compile(r"colou?rs?|markers?|styles?|cmaps?|linestyles?|palette", re.I)
"""Names of lists that style a plot: blind readers found "species_colors" named as an axis."""


def length_requests(cell: Cell) -> dict[str, str]:
    """Expressions that give the lengths of the lists a code cell makes, with each list's name.

    `tokens = "the cat sat".split()` asks for `len(tokens)`, so that an axis of that length can be
    called `tokens`. The run evaluates each after the cell; a name that is not a list then gives 0.
    """
    tree = parsed_code(cell.source)
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        if not isinstance(target, ast.Name) or target.id.startswith(("_", "test_")):
            continue
        if PLOT_STYLE.search(target.id):
            continue  # `species_colors = ["C0", "C1", "C2"]`: how a plot looks, not an axis of the model
        called = value.func if isinstance(value, ast.Call) else None
        name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", None)
        if isinstance(value, ast.ListComp):
            continue  # `[mse(...) for l in lams]`, `[m for m in model if ...]`: named for what it holds
        if isinstance(value, ast.List | ast.Tuple) or name in SEQUENCE_MAKERS:
            name = target.id
            expression = f"len({name}) if isinstance(globals().get({name!r}), (list, tuple)) else 0"
            found[expression] = name
    return found


def size_names(ctx: SuggestContext, upto: int) -> dict[int, set[str]]:
    """Integer variables and list lengths of the cells up to `upto`, by value: the candidate axis names."""
    names: dict[int, set[str]] = {}
    for index in sorted(ctx.results):
        if index > upto:
            break
        result = ctx.results[index]
        for name, value in result.after.items():
            if (
                value.type == "int"
                and isinstance(value.data, int)
                and value.data > 1
                and not name.startswith("_")
            ):
                names.setdefault(value.data, set()).add(name)
        cell = ctx.lesson.cells[index - 1]
        for expression, name in length_requests(cell).items():
            value = result.evaluated.get(expression)
            if value is not None and isinstance(value.data, int) and value.data > 1:
                names.setdefault(value.data, set()).add(_counted(name))
    return names


def _counted(name: str) -> str:
    """What a list of names or labels counts: `feature_names` has one entry per feature, so an axis of its
    length is `features` (blind readers found "N × feature_names" a variable name, not an axis)."""
    stem = re.sub(r"_(?:names|labels)$", "", name)
    if stem == name or not stem:
        return name
    if stem.endswith(("ss", "x", "ch", "sh")):
        return f"{stem}es"
    return stem if stem.endswith("s") else f"{stem}s"


SHAPE_COMMENT = re.compile(r"#.*?[(\[]\s*(?P<axes>[A-Za-z_][\w ]*(?:\s*[,×]\s*[A-Za-z_][\w ]*)+)\s*[)\]]")
SHAPE_COMMENT_TUPLE = re.compile(r"[(\[][^()\[\]]*[,×][^()\[\]]*[)\]]")
"""One parenthesised list in a comment; a comment with two (`(B, T, d) @ (B, d, S)`) names inputs."""
CODE_NAME = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)\s*(?:=|\.shape\b)")


def comment_dims(ctx: SuggestContext, upto: int) -> dict[str, list[str]]:
    """Axis names that the code's comments give a tensor: `x = ...  # (batch, tokens, d_model)`.

    A comment on the line that assigns a name (or on its own line just above it), or on the line that
    shows its `.shape`, names its axes when it lists words only, one per axis; the latest such comment up
    to cell `upto` wins.
    """
    found: dict[str, list[str]] = {}
    for cell in ctx.lesson.cells[:upto]:
        if cell.type != "code":
            continue
        lines = cell.source.splitlines()
        for number, line in enumerate(lines):
            comment, code = SHAPE_COMMENT.search(line), CODE_NAME.match(line)
            above = lines[number - 1].strip() if number else ""
            if comment is None and code is not None and above.startswith("#"):
                comment = SHAPE_COMMENT.search(above)  # "# 8 recordings: (batch, channels, length)"
            if comment is None or code is None:
                continue
            listed = comment.group("axes")
            whole = comment.string[comment.start() :]
            if len(SHAPE_COMMENT_TUPLE.findall(whole)) > 1:
                # `# (B, T_dec, d) @ (B, d, T_enc)` lists what goes in; only `-> (...)` says what comes out
                arrow = re.search(r"(?:->|→)\s*[(\[]([^()\[\]]*)[)\]]\s*$", whole)
                if arrow is None:
                    continue
                listed = arrow.group(1)
            axes = [" ".join(a.split()).replace(" ", "_") for a in re.split(r"[,×]", listed)]
            if all(axis.isidentifier() and len(axis) <= 20 for axis in axes):
                found[code.group("name")] = axes
    return found


def _unique_names(shape: tuple[int, ...], sizes: Mapping[int, set[str]]) -> list[str] | None:
    dims = []
    for size in shape:
        candidates = sizes.get(size, set())
        if len(candidates) != 1:
            return None
        dims.append(next(iter(candidates)))
    for name in set(dims):
        if dims.count(name) == 1:
            continue
        square = len(dims) == 2 or (dims.count(name) == 2 and dims[-2:] == [name, name])
        size = shape[dims.index(name)]
        if not square or (len(dims) > 2 and size <= SMALL_SIZE):
            return None  # (16, 3, 3, 3) is not `channels = 3` three times: a small size recurs by chance
    return dims


SMALL_SIZE = 4
"""A size up to this small is taken for a named axis only once per shape: kernels and strides of 2 or 3
share it with batch and channel counts."""


def subject_of(
    cell: Cell, kind: str, options: Mapping[str, object] | None = None
) -> tuple[str, str, bool] | None:
    """(expression, statement, is it the cell's last expression) of a computed card on this cell."""
    from srs.kinds.subject import find_subject

    source = CardSource(kind, dict(options or {}), cell.source, cell, cell.location.at_line(1), 0)
    try:
        subject = find_subject(source)
    except (SrsError, SyntaxError, ValueError):
        return None
    return subject.expr, subject.statement, subject.is_last_expression


def value_of(result: CellResult, expr: str, is_last: bool) -> Value | None:
    """The value a card on the cell would get: its last expression, or a name it leaves behind."""
    if is_last:
        return result.result
    return result.evaluated.get(expr) or result.after.get(expr)


def _reads(statement: str) -> list[str]:
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return []
    seen: dict[str, None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            seen.setdefault(node.id, None)
    return list(seen)


def lesson_functions(ctx: SuggestContext) -> frozenset[str]:
    """Names of the functions the lesson defines itself (its own conv1d, its own attention)."""
    names: set[str] = set()
    for _cell, tree in ctx.code_trees():
        names |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return frozenset(names)


OPERATION = re.compile(
    r"conv|pool|unfold|window|attend|attention|softmax|norm(?!al)|split|merge|heads|pad|stride|stack|patch|"
    r"flatten|reshape|transpose|matmul|outer|batch|mask|embed",
    re.I,
)
"""Words in a lesson function's name that say which tensor operation it is (`conv1d_loop`, `split_heads`):
its output shape follows from that. A function named for its role (`run`, `adamw_step`) hides how."""


@dataclass(frozen=True)
class AxisNames:
    """Where the axes of a cell's tensors get their names, gathered once per cell."""

    sizes: Mapping[int, set[str]]
    """Size variables and list lengths up to the cell, by value (`d_model = 8` names an 8)."""
    commented: Mapping[str, list[str]]
    """Axis names that comments give tensors, by tensor name."""
    prose: list[list[str]]
    """Axis-name tuples in the markdown around the cell."""
    remembered: Mapping[Key, list[str]] = field(default_factory=dict)
    """Names an earlier cell gave a tensor of the same name and shape."""
    unpacked: Mapping[Key, list[str]] = field(default_factory=dict)
    """Names the code unpacks a tensor's shape into (`N, C, H, W = x.shape`), by tensor name and shape."""
    literal: Mapping[Key, frozenset[int]] = field(default_factory=dict)
    """Tensors made with sizes written as numbers (`torch.randn(512, fan_in)`), with those sizes: in a
    statement that reads one, a size variable that happens to be 512 (`fan_out`) names no axis of 512."""

    @classmethod
    def of(
        cls,
        ctx: SuggestContext,
        cell: Cell,
        remembered: Mapping[Key, list[str]],
        lesson_wide: tuple[Mapping[Key, list[str]], Mapping[Key, frozenset[int]]] = ({}, {}),
    ) -> AxisNames:
        """The names for one cell; `lesson_wide` holds what `unpacked_dims` and `literally_sized` found."""
        markdown = section_markdown(ctx, cell)
        sizes, commented = size_names(ctx, cell.index), comment_dims(ctx, cell.index)
        variables = {
            name.lower()
            for index, result in ctx.results.items()
            if index <= cell.index
            for name, value in result.after.items()
            if value.type != "int"
        }
        # "(w, b)" in the prose names the model's parameters, and "(FPR, TPR)" a point whose coordinates
        # the code computes as `fpr` and `tpr`: not a tensor's axes
        prose = [axes for axes in text_axes(markdown) if not {axis.lower() for axis in axes} & variables]
        return cls(sizes, commented, prose, remembered, *lesson_wide)


MADE_WITH_SIZES = frozenset({"randn", "rand", "zeros", "ones", "empty", "full", "randint", "normal"})


def _assignments(ctx: SuggestContext) -> Iterator[tuple[ast.expr, ast.expr, CellResult]]:
    """Each top-level `target = value` of the lesson's code, with the run result of its cell."""
    for cell, result in ctx.code_cells():
        tree = parsed_code(cell.source)
        for node in tree.body if tree is not None else []:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                yield node.targets[0], node.value, result


def _size_arguments(call: ast.Call) -> list[ast.expr] | None:
    """The size arguments of a call that makes a tensor from sizes (`torch.randn(2, 3)`,
    `torch.zeros((2, 3))`); None for any other call."""
    if getattr(call.func, "attr", getattr(call.func, "id", "")) not in MADE_WITH_SIZES:
        return None
    args = call.args
    return list(args[0].elts) if len(args) == 1 and isinstance(args[0], ast.Tuple | ast.List) else list(args)


def literally_sized(ctx: SuggestContext) -> dict[Key, frozenset[int]]:
    """The tensors a cell makes with sizes written as numbers, by name and shape, with those sizes."""
    found: dict[Key, frozenset[int]] = {}
    for target, value, result in _assignments(ctx):
        if not isinstance(target, ast.Name) or not isinstance(value, ast.Call):
            continue
        sizes = _size_arguments(value)
        if sizes is None:
            continue
        made = result.after.get(target.id)
        if made is None or made.shape is None or len(sizes) != len(made.shape):
            continue
        numbers = [size.value for size in sizes if isinstance(size, ast.Constant)]
        written = frozenset(number for number in numbers if isinstance(number, int))
        if written:
            found[(target.id, tuple(made.shape))] = written
    return found


def unpacked_dims(ctx: SuggestContext) -> dict[Key, list[str]]:
    """Axis names from a cell that unpacks a tensor's shape: `N, C, H, W = x.shape` names every axis of
    an `x` of that run's shape, in a card before that cell too (the names are the code's, the shape the
    run's)."""
    found: dict[Key, list[str]] = {}
    for target, value, result in _assignments(ctx):
        if not isinstance(target, ast.Tuple) or not isinstance(value, ast.Attribute) or value.attr != "shape":
            continue
        if not isinstance(value.value, ast.Name):
            continue
        names = [getattr(element, "id", "") for element in target.elts]
        if any(not name or name.startswith("_") for name in names) or len(set(names)) != len(names):
            continue  # `_, T, _ = q.shape` names one axis; which the others are is not said
        values = [result.after.get(name) for name in names]
        if all(known is not None and known.type == "int" for known in values):
            found[(value.value.id, tuple(int(known.data) for known in values if known is not None))] = names
    return found


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A shape card for each cell with a statement whose result has a shape worth asking (one per cell)."""
    asked: set[tuple[object, ...]] = set()
    functions = frozenset(name for name in lesson_functions(ctx) if OPERATION.search(name))
    hidden = lesson_functions(ctx) - functions
    remembered: dict[Key, list[str]] = {}
    lesson_wide = (unpacked_dims(ctx), literally_sized(ctx))
    for cell, result in ctx.code_cells():
        best: tuple[Suggestion, tuple[object, ...], str, tuple[object, ...], tuple[object, ...]] | None = None
        axes = AxisNames.of(ctx, cell, dict(remembered), lesson_wide)
        for of in _subjects(cell):
            found = _shape_suggestion(cell, result, of, functions, axes, hidden)
            if found is None:
                continue
            for name, names in dict(found[0].options).get("dims", {}).items():
                known = result.after.get(name) or result.before.get(name)
                if known is not None and known.shape is not None and len(known.shape) == len(names):
                    remembered[(name, tuple(known.shape))] = names  # `h` keeps its axis names later on
            if found[1] in asked or found[2] in asked or found[3] in asked or found[4] in asked:
                continue
            if best is None or found[0].confidence > best[0].confidence:
                best = found
        if best is not None:
            asked.add(best[1])  # `v` split into heads exactly as `q` was: one card teaches it
            asked.add(best[2])  # the same line run again on other sizes
            asked.add(best[3])  # the same library call to the same rank: `lstsq` on other data
            asked.add(best[4])  # `rel10 = pos10[None, :] - pos10[:, None]` after `rel12 = ...` on pos12
            yield best[0]


def _subjects(cell: Cell) -> Iterator[str | None]:
    """The cell's own subject (None), then every name one top-level assignment of the cell makes."""
    yield None
    tree = parsed_code(cell.source)
    if tree is None:
        return
    made: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    made[target.id] = made.get(target.id, 0) + 1
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.With | ast.FunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store):
                    made[inner.id] = made.get(inner.id, 0) + 2  # bound in a block: not one statement's
    yield from (name for name, count in made.items() if count == 1 and not name.startswith(("_", "test_")))


def _shape_suggestion(
    cell: Cell,
    result: CellResult,
    of: str | None,
    functions: frozenset[str],
    axes: AxisNames,
    hidden: frozenset[str] = frozenset(),
) -> tuple[Suggestion, tuple[object, ...], str, tuple[object, ...], tuple[object, ...]] | None:
    """The shape card for one statement, what makes it the same as another, and the statement itself."""
    found = subject_of(cell, "shape", {"of": of} if of else None)
    if found is None:
        return None
    expr, statement, is_last = found
    value = value_of(result, expr, is_last)
    if value is None or not value.shape or expr.startswith("test_"):
        return None  # an exercise's names are the exercise heuristic's
    inputs = [
        Operand(name, known.shape)
        for name in _reads(statement)
        if (known := result.before.get(name) or result.after.get(name)) is not None
        and known.shape is not None
        and name != expr
        and not _sized_only(statement, name)
    ]
    output = tuple(value.shape)
    if not inputs:
        return None
    if any(output == op.shape for op in inputs):
        # the front shows the answer: `(P - mu) / sd` keeps P's shape, and blind readers rated such
        # broadcasts given away or trivial (rounds 19 and 24), as they did a product plus its own bias
        return None
    sizes = {name: size for size, names in axes.sizes.items() for name in names}
    if not _worth_asking(statement, [op.shape for op in inputs], output, functions, sizes):
        return None
    if _through_hidden_function(statement, hidden):
        return None  # `bump(mus[:, None], sigmas[None])`: what `bump` does to the shapes is off the card
    read_sizes = {
        known.data
        for name in _reads(statement)
        if (known := result.before.get(name) or result.after.get(name)) is not None
        and known.type == "int"
        and isinstance(known.data, int)
    }
    if _unseen_size(statement, [op.shape for op in inputs], output, functions, read_sizes):
        return None  # `torch.arange(T)[None, :] >= ...` makes (2, 6): the card shows no 6 to work from
    same: tuple[object, ...] = (
        tuple(sorted(op.shape for op in inputs)),
        output,
        tuple(TRANSPOSED.findall(statement) + RESHAPED.findall(statement)),
    )
    called = sorted(set(re.findall(r"\b(\w+)\(", statement)) & functions)
    if called:  # the lesson's own conv1d on another signal and kernel: the same step again
        same = (tuple(called), tuple(len(op.shape) for op in inputs), len(output))
    dims = _named_axes(axes, [*inputs, Operand(expr, output)], made_inline(statement))
    options: tuple[tuple[str, object], ...] = (("card", "shape"),)
    if of is not None:
        options += (("of", of),)
    if dims:
        options += (("dims", dims),)
    named = expr in dims
    if not named and any(size >= SAMPLE_SIZE for size in output):
        return None  # an unnamed (400, 2) is a grid or a sample count of the notebook's, not a shape to know
    # blind readers rated a shape with unnamed axes usable but in need of polish ("which axis is which?"),
    # and one with wrongly guessed names wrong: unnamed is shown last, never guessed
    confidence = 0.8 if named else 0.7 if dims else UNNAMED_CONFIDENCE
    shapes = ", ".join(f"{op.name} {op.shape}" for op in inputs)
    suggestion = Suggestion(
        cell=cell,
        kind="shape",
        confidence=confidence,
        reason=f"`{statement.strip()}` turns {shapes} into {output}",
        heuristic="shapes",
        options=options,
    )
    step = _sized_step(statement, inputs, output) or _calls(statement, len(output))
    return suggestion, same, " ".join(statement.split()), step, _written_alike(statement, inputs, output)


def _written_alike(statement: str, inputs: list[Operand], output: tuple[int, ...]) -> tuple[object, ...]:
    """The statement with its own names taken out, and the ranks it maps: the same line written again on
    other tensors (`rel10 = pos10[None, :] - pos10[:, None]` after `rel12 = ...`) asks the same step;
    both readers of round 48 rated the second a repeat."""
    names = {op.name for op in inputs}
    line = re.sub(r"\b[A-Za-z_]\w*\b", lambda m: "_" if m.group(0) in names else m.group(0), statement)
    line = re.sub(r"^\s*[A-Za-z_]\w*\s*=", "_ =", line)
    return (" ".join(line.split()), tuple(len(op.shape) for op in inputs), len(output))


LIBRARY_CALL = re.compile(r"\b((?:torch|np|numpy|F|nn|scipy)(?:\.\w+)*\.(\w+))\s*\(")
MAKERS = frozenset(
    {"ones", "zeros", "randn", "rand", "randint", "arange", "linspace", "eye", "empty", "full"}
)
MAKERS |= {"tensor", "as_tensor", "array", "asarray", "ones_like", "zeros_like", "randn_like", "stack", "cat"}
"""Library calls that make a tensor to work on rather than do the step the card asks."""


def _calls(statement: str, rank: int) -> tuple[object, ...]:
    """What makes a statement the same step as another: the library functions it calls, and the rank
    they give. Blind readers rated a second `torch.linalg.lstsq(...)` shape card (other data, the same
    (d,) answer) a repeat of the first. Methods (`.mean(axis=...)`) are told apart by the line itself."""
    called = {full for full, last in LIBRARY_CALL.findall(statement) if last not in MAKERS}
    return ("calls", tuple(sorted(called)), rank) if called else ("calls", statement)


def _sized_step(statement: str, inputs: list[Operand], output: tuple[int, ...]) -> tuple[object, ...] | None:
    """What makes a convolution or pooling the same step as another: how it changes each axis.

    Blind readers rated a third pooling that halves the map (56 to 28, 12 to 6, 4 to 2) a repeat of the
    first; a convolution that keeps 6 of 8 steps and a dilated one that keeps 4 are two steps.
    """
    found = SIZED_BY_RULE.search(statement)
    same_rank = [op.shape for op in inputs if len(op.shape) == len(output)]
    if found is None or not same_rank:
        return None
    family = "pool" if "pool" in found.group(0) else "conv"
    changes = tuple(
        ("/", before // after) if after and before % after == 0 else ("-", before - after)
        for before, after in zip(same_rank[0], output, strict=True)
        if before != after
    )
    return ("sized", family, changes)


UNNAMED_CONFIDENCE = 0.5
SAMPLE_SIZE = 100
"""An axis this long with no name in the notebook counts samples or grid points."""
_AXIS = r"[A-Za-z_]\w*(?: [a-z_]\w*)?"
TEXT_AXES = re.compile(rf"\(\s*({_AXIS}(?:\s*,\s*{_AXIS}){{1,3}})\s*\)")
"""A tuple of axis names in prose: "a tensor of shape (batch, features)", "(batch, channels, length)"."""
SHAPE_WORDS = re.compile(
    r"\b(?:shapes?|axes|axis|dims?|dimensions?|tensors?|matri(?:x|ces)|arrays?|layout|batch(?:es)?|"
    r"rows?|columns?|grid)\b",
    re.I,
)
"""Words that say a tuple in the prose is a shape: "(length, width)" alone is a pair of measurements."""
SHAPE_WORDS_BEFORE = 60
"""How many characters before a tuple may hold the word that makes it a shape."""
NOT_AXES = frozenset({"e", "g", "i", "eg", "ie", "and", "or", "the", "a", "an", "etc", "not", "is", "of"})


def section_markdown(ctx: SuggestContext, cell: Cell) -> list[str]:
    """The markdown of the cell's section up to it, and of the markdown cell after it, math and code out."""
    cells = ctx.lesson.cells
    before: list[str] = []
    for earlier in reversed(cells[: cell.index - 1]):
        if earlier.type == "markdown":
            headings = list(re.finditer(r"^#{1,3} ", earlier.source, re.M))
            before.insert(0, earlier.source[headings[-1].start() :] if headings else earlier.source)
            if headings:
                break  # the section starts here (text above the heading belongs to the one before)
    after = [c.source for c in cells[cell.index :] if c.type == "markdown"][:1]
    return [
        re.sub(r"```.*?```|\$\$.*?\$\$|`[^`]*`|\$[^$]*\$", " ", text, flags=re.S)
        for text in [*before, *after]
    ]


def text_axes(markdown: list[str]) -> list[list[str]]:
    """Axis-name tuples in the markdown: "a tensor of shape (batch, features)"."""
    found: list[list[str]] = []
    for text in markdown:
        for match in TEXT_AXES.finditer(text):
            if not SHAPE_WORDS.search(text[max(0, match.start() - SHAPE_WORDS_BEFORE) : match.start()]):
                continue  # "two measurements (length, width)": no shape is being named
            axes = [" ".join(a.split()).replace(" ", "_") for a in match.group(1).split(",")]
            if any(a.lower() in NOT_AXES or a.isdigit() for a in axes) or len(set(axes)) != len(axes):
                continue
            if axes not in found:
                found.append(axes)
    return found


def made_inline(statement: str) -> frozenset[int]:
    """The sizes of tensors the statement makes from numbers as it goes (`torch.randn(2000, 2)` inside
    `torch.cdist(torch.randn(2000, 2), x0)`): an axis of the result with such a size may be theirs."""
    try:
        tree = ast.parse(statement.strip())
    except SyntaxError:
        return frozenset()
    sizes = [
        size for node in ast.walk(tree) if isinstance(node, ast.Call) for size in _size_arguments(node) or []
    ]
    numbers = (size.value for size in sizes if isinstance(size, ast.Constant))
    return frozenset(number for number in numbers if type(number) is int)


def _named_axes(
    axes: AxisNames, operands: list[Operand], inline: frozenset[int] = frozenset()
) -> dict[str, list[str]]:
    """Names for each operand's axes: from size variables, shape comments, then axis tuples in the prose.

    A tensor named by a comment or by the prose lends its axis names, size by size, to the others
    of the statement (a (32, 4) batch named (batch, features) names the (4,) mean `features`).
    """
    # a size some operand was made with as a number (`torch.randn(512, fan_in)`: a batch of 512) is no
    # size variable's that happens to be 512 (`fan_out`), in any operand of the statement
    written = frozenset().union(
        *(axes.literal.get((op.name, op.shape), frozenset()) for op in operands), inline
    )
    sizes = {size: names for size, names in axes.sizes.items() if size not in written}
    commented, prose = axes.commented, axes.prose
    dims: dict[str, list[str]] = {}
    for operand in operands:
        if not operand.name.isidentifier():
            continue
        names = axes.unpacked.get((operand.name, operand.shape)) or _unique_names(operand.shape, sizes)
        said = commented.get(operand.name)
        if names is None and said is not None and len(said) == len(operand.shape):
            names = said  # `# (batch, heads, tokens, d_head)` beside the code
        if names is None and len(operand.shape) >= 2 and 1 not in operand.shape:
            # (a size-1 axis left by `keepdim` or `gather` is not the axis the prose names there)
            fitting = [axes for axes in prose if len(axes) == len(operand.shape)]
            same_rank = {
                op.shape for op in operands if len(op.shape) == len(operand.shape) and 1 not in op.shape
            }
            if len(fitting) == 1 and len(set(operand.shape)) == len(operand.shape) and len(same_rank) == 1:
                clash = any(
                    sizes.get(size) and name not in sizes[size]
                    for size, name in zip(operand.shape, fitting[0], strict=True)
                )
                # "(tokens, experts)" in the prose is no name for a (12, 8) whose 8 is `d_model`, nor for
                # two tensors of that rank and different shapes
                names = None if clash else fitting[0]
        if names is None:
            names = axes.remembered.get((operand.name, operand.shape))
        if names is not None:
            dims[operand.name] = names
    _lend(dims, operands, {op: axes.literal.get((op.name, op.shape), frozenset()) for op in operands}, inline)
    return dims


Written = Mapping[Operand, frozenset[int]]
"""The sizes each operand was made with as numbers."""


def _lend(
    dims: dict[str, list[str]],
    operands: list[Operand],
    written: Written,
    inline: frozenset[int] = frozenset(),
) -> None:
    """Name the unnamed operands' axes after the named ones', size by size. A size one operand was made
    with as a number is lent only by that operand (`x = torch.randn(512, fan_in)` beside a (fan_out,
    fan_in) weight: the weight's 512 is `fan_out`, x's is a batch), and a size of a tensor the statement
    makes as it goes by none (`cdist(torch.randn(2000, 2), x0)`: its 2000 queries are not x0's points)."""
    literal = frozenset().union(*written.values(), inline)
    lent: dict[int, set[str]] = {}
    for operand in operands:
        for size, name in zip(operand.shape, dims.get(operand.name, ()), strict=False):
            if size not in literal or size in written.get(operand, frozenset()):
                lent.setdefault(size, set()).add(name)
    for operand in operands:
        if operand.name in dims or not operand.name.isidentifier() or not lent:
            continue
        names = _unique_names(operand.shape, lent)
        if names is not None:
            dims[operand.name] = names


def _worth_asking(
    statement: str,
    inputs: list[tuple[int, ...]],
    output: tuple[int, ...],
    functions: frozenset[str] = frozenset(),
    sizes: Mapping[str, int] | None = None,
) -> bool:
    """Does the statement change a shape in a way that carries an idea (see the module's docstring)?"""
    try:
        tree = ast.parse(statement.strip())
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign | ast.AnnAssign):
        return False  # a bare expression displays a check; a loop or a block has no one statement to ask
    if any(size > MAX_SIZE for shape in [*inputs, output] for size in shape):
        return False
    if any(isinstance(node, ast.comprehension) for node in ast.walk(tree)):
        return False  # `torch.cat([p.flatten() for p in net.parameters()])`: its inputs are loop names
    if any(_without_ones(shape) == _without_ones(output) for shape in inputs):
        return False  # `cand.view(-1)` of a (1, 11), `y.unsqueeze(1)`: only a size-1 axis comes or goes
    if _has_comment(statement):
        return False  # the front shows the statement's lines whole: a comment there says the point
    value = tree.body[0].value
    reshapes = RESHAPED.findall(statement)
    if _bounded_slice(value) and reshapes and all(m in SIZE_ONE for m in reshapes):
        return False  # `data[:block_size].unsqueeze(0)`: a slice of the data, with at most an axis of 1 added
    if isinstance(value, ast.Subscript) and _looks_up(value, inputs, output):
        return True  # `E[ids]`: a table indexed by a tensor of ids puts the table's row axes after its axes
    if isinstance(value, ast.Subscript) and not RESHAPED.search(statement):
        return False  # a row or a slice of a tensor
    if any(isinstance(node, ast.Subscript) and _picks(node) for node in ast.walk(value)):
        return False  # `X[:, 0]`: a column of an operand, whose shape on the front is not what is used
    literals = {n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, int)}
    named = (sizes or {}).items()
    literals |= {size for name, size in named if re.search(rf"\b{re.escape(name)}\b", statement)}
    # `neg.view(4, K)` spells out (4, K) as surely as `view(4, 5)` does; `view(2, heads, -1)` leaves one
    # (the -1 of `.mean(-1)` before `.reshape(R, R)` is an axis, not a size: round 53, both readers)
    inferred = INFERRED_SIZE.search(statement) is not None
    if len(output) > 1 and set(output) <= literals and not inferred:
        return False  # `q.view(4, 8, 2, 16)`: the code spells the answer out
    if STACKED_LIST.search(statement):
        return False  # `torch.stack([a, b, c])`: the new axis counts the list on the front
    if SOLVED.search(statement):
        return False  # a least-squares or linear solve: a reference, shaped like its unknowns
    reshaped = TRANSPOSED.search(statement) or RESHAPED.search(statement)
    reduced = REDUCED.search(statement) and not reshaped
    if reduced and len(inputs) == 1 and len(inputs[0]) == 2 and inputs[0][0] == inputs[0][1]:
        return False  # `.sum(dim=1)` of a (4, 4): the answer is the same whichever axis goes
    if re.search(r"\beinsum\(\s*['\"][^'\"]*->", statement):
        return False  # `einsum("twd,td->tw", ...)`: the output's letters spell its axes out
    if TRANSPOSED.search(statement) or RESHAPED.search(statement) or REDUCED.search(statement):
        return True
    if "@" in statement or re.search(r"\b(?:matmul|bmm|mm)\(", statement):
        return len(output) >= 3  # a batched product; a plain matrix product is arithmetic
    called = {getattr(node.func, "id", None) for node in ast.walk(value) if isinstance(node, ast.Call)}
    # the lesson's own function or layer (its conv1d, its embedding table) making an axis no input had
    new_sizes = set(output) - {size for shape in inputs for size in shape}
    new_rank = all(len(output) != len(shape) for shape in inputs)
    return bool(called & functions) and (bool(new_sizes) or new_rank)


def _sized_only(statement: str, name: str) -> bool:
    """Is the tensor read only for its size (`len(x)`, `x.shape[0]`, `x.size(1)`), not as an operand?"""
    uses = re.findall(rf"(?<![\w.]){re.escape(name)}\b(?!\s*=)", statement)
    sized = re.findall(
        rf"\blen\(\s*{re.escape(name)}\s*\)|(?<![\w.]){re.escape(name)}\.(?:shape|size\(|numel\(|ndim)",
        statement,
    )
    return bool(uses) and len(sized) == len(uses)


def _without_ones(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(size for size in shape if size != 1)


def _called(tree: ast.Module) -> set[str]:
    """Names of the plain functions a statement calls (`bump(x)`, not `torch.stack(x)`)."""
    calls = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return {func.id for func in calls if isinstance(func, ast.Name)}


def _through_hidden_function(statement: str, hidden: frozenset[str]) -> bool:
    """Does the statement call a lesson function named for its role, whose body maps the shapes?"""
    tree = parsed_code(statement.strip())
    # `kl_to_standard_normal(mu, logvar)` gives (1,) by a reduction in its body, off the card
    return tree is not None and bool(_called(tree) & hidden)


SIZED_BY_RULE = re.compile(r"\b(?:F|torch|functional)\.(?:conv\w*|\w*pool\d?d)\(")
"""Library convolutions and poolings: the output length follows from the operands' shapes and the
literal arguments by the rule a convolution lesson teaches (`F.conv1d` of 8 steps with a 3-tap kernel
gives 6), so a size the front does not show is the step asked, not a number of the notebook's."""


def _unseen_size(
    statement: str,
    inputs: list[tuple[int, ...]],
    output: tuple[int, ...],
    functions: frozenset[str],
    read_sizes: set[int],
) -> bool:
    """Does the output have a size that no input shape, literal or whole number it reads shows?

    The lesson's own operation (its conv1d) makes new sizes by a rule the lesson taught; anything else
    leaves the learner to remember a number of the notebook's.
    """
    tree = parsed_code(statement.strip())
    if tree is None:
        return False
    if _called(tree) & functions or SIZED_BY_RULE.search(statement):
        return False
    shown = {size for shape in inputs for size in shape}
    shown |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, int)}
    shown |= {len(n.elts) for n in ast.walk(tree) if isinstance(n, ast.List | ast.Tuple)}  # `stack([a, b])`
    unseen = set(output) - shown - read_sizes - {1}
    inferred = re.search(r"[(,]\s*-1\s*[,)]", statement) is not None  # `reshape(2, 3, -1)`: worked out
    return len(unseen) > (1 if inferred else 0)


INFERRED_SIZE = re.compile(r"\b(?:reshape|view)\(\s*\(?(?:[^()]*,)?\s*\(?\s*-1\s*[,)]")
"""A size left for the reshape to work out (`x.view(2, heads, -1)`)."""


SIZE_ONE = frozenset({".unsqueeze(", ".squeeze(", "None]"})
"""Reshapes that only add or remove an axis of size 1."""


def _bounded_slice(value: ast.expr) -> bool:
    """Does the expression slice a tensor to a length the code gives (`data[:block_size]`, `x[2:5]`)?"""
    for node in ast.walk(value):
        if isinstance(node, ast.Subscript):
            index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if any(isinstance(part, ast.Slice) and (part.lower or part.upper) for part in index):
                return True
    return False


def _looks_up(node: ast.Subscript, inputs: list[tuple[int, ...]], output: tuple[int, ...]) -> bool:
    """Is the subscript a lookup of a table's rows by a tensor of ids of two or more axes (`E[ctx]`: a
    (V, D) table by a (B, 2m) batch of ids gives (B, 2m, D))? A lookup by a flat list of ids keeps the
    table's rank and reads as picking rows; a boolean mask's output length depends on the data."""
    if not isinstance(node.slice, ast.Name) or not isinstance(node.value, ast.Name) or len(inputs) != 2:
        return False
    for table, ids in (inputs, inputs[::-1]):
        if len(table) >= 2 and len(ids) >= 2 and output == ids + table[1:]:
            return True
    return False


def _picks(node: ast.Subscript) -> bool:
    """Does the subscript pick a row or a column by an integer (`x[0]`, `X[:, 1]`)?"""
    index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return any(isinstance(part, ast.Constant) and isinstance(part.value, int) for part in index)


def _has_comment(statement: str) -> bool:
    """Does the statement's code hold a `#` comment (not a `#` inside a string)?"""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(statement).readline))
    except (tokenize.TokenError, SyntaxError):
        return "#" in statement
    from srs.kinds.shape import leaves_the_front

    # a comment that lists axes is taken off the card's front, and names the axes instead
    return any(token.type == tokenize.COMMENT and not leaves_the_front(token.string) for token in tokens)
