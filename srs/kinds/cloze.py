"""cloze cards: a markdown block with `{{c1::...}}` parts; Anki makes one card per number."""

from __future__ import annotations

from srs.core.model import Card, CardSource
from srs.kinds import KindSpec, MakeContext, register


def make_cloze(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One cloze note; Anki makes one card per cloze number."""
    return [
        Card(
            key=source.key,
            kind="cloze",
            source=source,
            front=source.text,
            back=source.options.get("back", ""),
            extra=source.options.get("extra", ""),
            cloze=True,
            authored_front=source.text,
            tags=tuple(source.options.get("tags", ())),
        )
    ]


register(KindSpec(name="cloze", make=make_cloze))
