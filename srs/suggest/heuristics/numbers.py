"""A number a cell shows that the next markdown explains -> a numeric card, the explanation as `extra:`.

The explanation is the signal: a number the text goes on to discuss (it quotes it) is one the lesson
thinks worth knowing. A number nobody explains is left alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from srs.core.model import Cell, Value
from srs.suggest.heuristics.shapes import subject_of, value_of
from srs.suggest.model import SuggestContext, Suggestion, first_sentence

TRANSITION = re.compile(r"^(?:now|next|let|let's|we|here|so far|before|to see|the same)\b", re.I)
RANDOM = re.compile(r"\brand|\brandom\b|\bnormal_?\(|\bdropout\b|\bshuffle\b|\bmultinomial\b")


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
    """How a text may quote a number: rounded to 1-4 significant digits, as a percentage, exact."""
    if number == int(number) and abs(number) < 1e15:
        return {str(int(number)), f"{int(number):,}"}
    found = set()
    for digits in range(2, 5):
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
    paragraphs = [block.text for block in ctx.blocks(following)[:2] if block.type == "paragraph"]
    for text in paragraphs:
        if any(re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", text) for s in spellings(number)):
            return text, True
    return (paragraphs[0], False) if paragraphs else None


def _digits(number: float) -> int | None:
    return None if number == int(number) else 3


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A numeric card for each number that the following paragraph quotes."""
    for cell, result in ctx.code_cells():
        if RANDOM.search(cell.source):
            continue
        found = subject_of(cell, "numeric")
        if found is None:
            continue
        expr, statement, is_last = found
        number = scalar(value_of(result, expr, is_last))
        if number is None or not math.isfinite(number):
            continue
        found = _explaining_paragraph(ctx, cell, number)
        explanation = first_sentence(found[0]) if found else ""
        if not explanation or TRANSITION.match(explanation):
            continue
        quoted = found is not None and found[1]
        options: list[tuple[str, object]] = [("card", "numeric")]
        digits = _digits(number)
        if digits is not None:
            options.append(("digits", digits))
        options.append(("extra", explanation))
        yield Suggestion(
            cell=cell,
            kind="numeric",
            confidence=0.7 if quoted else 0.5,
            reason=f"`{statement.strip()}` gives {number:.4g}, which the next paragraph "
            + ("quotes" if quoted else "follows up"),
            heuristic="numbers",
            options=tuple(options),
        )
