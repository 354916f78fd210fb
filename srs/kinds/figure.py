"""Figure cards: the author's question in front, the figures the cell really drew behind."""

from __future__ import annotations

from srs.core.errors import CheckFailed
from srs.core.model import FIGURES, Card, CardSource, CellResult, Media
from srs.kinds import KindSpec, MakeContext, register
from srs.kinds.computed import cell_result, finish


def figure_media(png: bytes) -> Media:
    """A figure as deck media, named by its content so an unchanged figure keeps its name."""
    return Media.of(png, ".png")


def figure_card(source: CardSource, result: CellResult) -> Card:
    """The figure card; a cell that drew nothing is an error, since the card would have no answer."""
    if not result.figures:
        raise CheckFailed(
            f"cell {source.cell.index} drew no figure, so its figure card has nothing to show; draw one "
            "in this cell (for example with plt.plot or plt.imshow), display a PNG image "
            "(IPython.display.Image), or use another card kind",
            source.location,
        )
    front = str(source.options["front"])
    media = tuple(dict.fromkeys(figure_media(png) for png in result.figures))
    return Card(source.key, "figure", source, front=front, media=media, authored_front=front)


def make_figure(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One figure card per source."""
    return [finish(figure_card(source, cell_result(source, ctx)))]


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
