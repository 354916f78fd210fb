"""The kinds answered by running code: shape, numeric, output and figure.

Each kind module turns a source plus its cell's run result into a card; this module finds that
result (and the values the card asked for), adds what all four share, and registers the kinds.
"""

from __future__ import annotations

from dataclasses import replace

from srs.diagrams import prepare as prepare_diagrams
from srs.errors import CheckFailed
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.figure import figure_card
from srs.kinds.numeric import numeric_card
from srs.kinds.output import output_card
from srs.kinds.shape import Subject, find_subject, requests, shape_card
from srs.model import FIGURES, Card, CardSource, CellResult, Value


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


def make_shape(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One shape card per source."""
    result = cell_result(source, ctx)
    subject = find_subject(source)
    return [finish(shape_card(source, result, subject, subject_value(source, result, subject)))]


def make_numeric(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One numeric card per source, after its `expect:` holds."""
    result = cell_result(source, ctx)
    subject = find_subject(source)
    return [finish(numeric_card(source, subject, subject_value(source, result, subject)))]


def make_output(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One output card per source."""
    return [finish(output_card(source, cell_result(source, ctx)))]


def make_figure(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One figure card per source."""
    return [finish(figure_card(source, cell_result(source, ctx)))]


register(
    KindSpec(
        "shape",
        make_shape,
        keys=frozenset({"of", "dims"}),
        cell_type="code",
        needs_run=True,
        requests=requests,
        prepare=prepare_diagrams,
    )
)
register(
    KindSpec(
        "numeric",
        make_numeric,
        keys=frozenset({"of", "digits", "expect", "tol", "rtol"}),
        cell_type="code",
        needs_run=True,
        requests=requests,
    )
)
register(KindSpec("output", make_output, cell_type="code", needs_run=True))
register(
    KindSpec(
        "figure",
        make_figure,
        required=frozenset({"front"}),
        cell_type="code",
        needs_run=True,
        requests=lambda _source: (FIGURES,),
    )
)
