"""Output cards: the code in front, what running it printed (and its value) behind."""

from __future__ import annotations

import re

from srs.core.errors import CheckFailed
from srs.core.model import Card, CardSource, CellResult
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.computed import cell_result, finish
from srs.render.formatting import code_block

UNSHOWABLE = re.compile(r"<[\w.]+ that cannot be shown>")
"""What the run records for a value whose repr raised (srs.run.capture)."""


def printed_text(result: CellResult) -> str:
    """What a person sees under the cell: its printed text, then the repr of its last value."""
    parts = [result.stdout.rstrip("\n")] if result.stdout.strip() else []
    if result.result is not None:
        parts.append(result.result.repr)
    return "\n".join(parts)


def output_card(source: CardSource, result: CellResult) -> Card:
    """The output card: code and question in front, the captured text as the card's value."""
    text = printed_text(result)
    if result.result is not None and UNSHOWABLE.fullmatch(result.result.repr):
        raise CheckFailed(
            f"the last value of cell {source.cell.index} cannot be shown: its repr raised an exception (a "
            "failing __repr__, an integer of thousands of digits), so its output card has no answer; end "
            "the cell with something that can be shown",
            source.location,
        )
    if not text:
        raise CheckFailed(
            f"cell {source.cell.index} printed nothing and its last line has no value, so its output card "
            "has no answer; print something, end the cell with an expression, or use another card kind",
            source.location,
        )
    authored = source.options.get("front")
    question = authored or _question(result)
    front = f"{code_block(source.text)}\n\n{question}"
    return Card(source.key, "output", source, front=front, value=text, authored_front=authored)


def _question(result: CellResult) -> str:
    """What to ask of the code: what it prints, what it evaluates to, or both, as a notebook shows."""
    if result.result is None:
        return "What does this code print?"
    if not result.stdout.strip():
        return "What does this code evaluate to?"
    return "What does running this code show?"


def make_output(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One output card per source."""
    return [finish(output_card(source, cell_result(source, ctx)))]


register(KindSpec("output", make_output, cell_type="code", needs_run=True))
