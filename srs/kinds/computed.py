"""What the kinds answered by running code (shape, numeric, output, figure) share.

Each of those kinds' modules turns a source plus its cell's run result into a card; this module
finds that result (and the value the card asked about) and adds what all four cards carry.
"""

from __future__ import annotations

from dataclasses import replace

from srs.core.errors import CheckFailed
from srs.core.model import Card, CardSource, CellResult, Value
from srs.kinds import MakeContext
from srs.kinds.subject import Subject


def cell_result(source: CardSource, ctx: MakeContext) -> CellResult:
    """The run result of the source's cell; CheckFailed when the cell never ran."""
    result = ctx.results.get(source.cell.index)
    if result is None:
        raise CheckFailed(
            f"cell {source.cell.index} has no run result, so its {source.kind} card has no answer; "
            "make sure the notebook runs down to this cell",
            source.location,
        )
    return result


def subject_value(source: CardSource, result: CellResult, subject: Subject) -> Value:
    """The value a card is about: evaluated after the cell, or the cell's own last value."""
    value = result.evaluated.get(subject.expr)
    if value is None and subject.is_last_expression:
        value = result.result
    if value is None:
        where = "the cell's last expression" if subject.is_last_expression else f"`{subject.expr}`"
        raise CheckFailed(
            f"{where} has no value after cell {source.cell.index} ran; point `of:` at a name or "
            "expression the cell defines",
            source.location,
        )
    return value


def finish(card: Card) -> Card:
    """Add what every computed card carries: the author's back, extra and tags, and the cell's code.

    The code goes to the back only where it adds something: a figure's plotting code is not what the
    card teaches, and code the front already shows would only be repeated.
    """
    options = card.source.options
    authored_back = options.get("back")
    back = "\n\n".join(part for part in (card.back, authored_back) if part)
    code = card.source.text.strip("\n")
    if card.kind == "figure" or code in card.front:
        code = ""
    return replace(
        card,
        code=code,
        back=back,
        extra=str(options.get("extra", "")),
        authored_back=authored_back,
        tags=tuple(str(tag) for tag in options.get("tags", ())),
    )
