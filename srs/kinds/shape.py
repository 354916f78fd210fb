"""shape cards: the statement and its operands' shapes in front, the real shape and a diagram behind."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from srs.core.errors import CheckFailed, OptionError, did_you_mean
from srs.core.model import Card, CardSource, CellResult, Value
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.computed import cell_result, finish, subject_value
from srs.kinds.subject import Read, Subject, find_subject, requests
from srs.kinds.values import TEXT, OptionCheck
from srs.render.diagrams import Block, prepare, render_shape_diagram
from srs.render.formatting import code_block, format_shape


def make_shape(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One shape card per source."""
    result = cell_result(source, ctx)
    subject = find_subject(source)
    return [finish(shape_card(source, result, subject, subject_value(source, result, subject)))]


def shape_card(source: CardSource, result: CellResult, subject: Subject, value: Value) -> Card:
    """The shape card: statement and input shapes in front, the real shape and a diagram behind."""
    if value.shape is None:
        raise CheckFailed(
            f"`{subject.expr}` has no shape: its value {_short(value.repr)} (type {value.type}) is not a "
            "tensor or array; point `of:` at a tensor, or use a numeric or output card",
            source.location,
        )
    dims = _dims_option(source, subject)
    operands = [_block(read.name, known, dims, source) for read, known in _known_reads(subject, result)]
    answer = _block(subject.expr, value, dims, source)
    front = [code_block(without_shape_comments(subject.statement))]
    given = [f"- `{b.label}`: {format_shape(b.shape, b.dims)}" for b in operands]
    given += [f"- `{name}` = {size}" for name, size in _sizes_read(subject, result)]
    if given:
        front.append("\n".join(given))
    authored = source.options.get("front")
    front.append(authored or f"What is the shape of `{subject.expr}`?")
    back = f"`{format_shape(answer.shape)}`" + (f" — {' × '.join(answer.dims)}" if answer.dims else "")
    diagram = render_shape_diagram(operands, answer, title=subject.statement)
    return Card(
        source.key, "shape", source, "\n\n".join(front), back, media=(diagram,), authored_front=authored
    )


_AXIS_NAME = r"[A-Za-z_][\w ]*"
_SHAPE_COMMENT = re.compile(rf"[ \t]*#[^\n]*\(\s*{_AXIS_NAME}(?:\s*[,×*]\s*{_AXIS_NAME})+\s*\)[^\n]*$", re.M)
"""A comment that lists a tensor's axes, `# (batch, L_out, C_out)`."""
_SCAFFOLDING = re.compile(r"#\s*(?:fill in|your code|todo\b|write (?:this|your))", re.I)
"""An exercise's placeholder comment (`# fill in code here`): noise once the exercise is solved."""


def leaves_the_front(comment: str) -> bool:
    """Does the card take the comment off its front: one that lists axes by name (`# (batch, L_out,
    C_out)`) or holds an exercise's place?"""
    return bool(_SHAPE_COMMENT.fullmatch(comment) or _SCAFFOLDING.search(comment))


def without_shape_comments(statement: str) -> str:
    """The statement without comments that list axes (on the line that makes the value, one is its answer)
    or that hold an exercise's place (`# fill in code here`)."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(statement).readline))
    except (tokenize.TokenError, SyntaxError):
        return statement
    lines = statement.splitlines(keepends=True)
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT and leaves_the_front(token.string):
            row, column = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:column].rstrip() + ("\n" if line.endswith("\n") else "")
    return "".join(lines)


def _read_values(subject: Subject, result: CellResult) -> Iterator[tuple[Read, Value]]:
    """Each name the statement reads, with its value at that moment (where the run kept one)."""
    for read in subject.reads:
        snapshot = result.before if read.when == "before" else result.after
        value = snapshot.get(read.name)
        if value is not None:
            yield read, value


def _known_reads(subject: Subject, result: CellResult) -> Iterator[tuple[Read, Value]]:
    return ((read, value) for read, value in _read_values(subject, result) if value.shape is not None)


def _sizes_read(subject: Subject, result: CellResult) -> Iterator[tuple[str, int]]:
    """The whole numbers the statement reads (`view(B, T, heads, -1)`): without them, no answer."""
    for read, value in _read_values(subject, result):
        if value.type == "int" and isinstance(value.data, int):
            yield read.name, value.data


def _dims_option(source: CardSource, subject: Subject) -> Mapping[str, Sequence[str]]:
    dims: Mapping[str, Any] = source.options.get("dims") or {}
    allowed = subject.names | {subject.expr}
    for key in dims:
        if str(key) not in allowed:
            hint = did_you_mean(str(key), allowed)
            raise OptionError(
                f"`dims:` names `{key}`, which this statement neither reads nor makes{hint}; "
                f"it can name {', '.join(f'`{n}`' for n in sorted(allowed))}",
                source.location,
            )
    return {str(key): [str(name) for name in names] for key, names in dims.items()}


def _block(label: str, value: Value, dims: Mapping[str, Sequence[str]], source: CardSource) -> Block:
    shape = tuple(value.shape or ())
    names = dims.get(label)
    if names is not None and len(names) != len(shape):
        raise CheckFailed(
            f"`dims:` gives `{label}` {len(names)} dimension names ({', '.join(names)}) but it has shape "
            f"{format_shape(shape)}; give one name per dimension",
            source.location,
        )
    return Block(label, shape, tuple(names) if names is not None else None)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_dims(value: Any) -> bool:
    return isinstance(value, Mapping) and all(
        isinstance(v, list) and all(isinstance(d, str | int) for d in v) for v in value.values()
    )


register(
    KindSpec(
        "shape",
        make_shape,
        options={
            "of": TEXT,
            "dims": OptionCheck(_is_dims, "a mapping of names to dimension lists, like {Q: [tokens, d_k]}"),
        },
        cell_type="code",
        needs_run=True,
        requests=requests,
        prepare=prepare,
    )
)
