"""qa cards: a `Q:` paragraph and the `A:` blocks after it, in a markdown cell."""

from __future__ import annotations

from srs.core.model import Card, CardSource
from srs.kinds import KindSpec, MakeContext, register


def make_qa(source: CardSource, ctx: MakeContext) -> list[Card]:
    """One card: the `Q:` paragraph on the front, the `A:` blocks on the back."""
    question, answer = source.parts
    front = source.options.get("front", question)
    back = source.options.get("back", answer)
    return [
        Card(
            key=source.key,
            kind="qa",
            source=source,
            front=front,
            back=back,
            extra=source.options.get("extra", ""),
            authored_front=front,
            authored_back=back,
            tags=tuple(source.options.get("tags", ())),
        )
    ]


register(KindSpec(name="qa", make=make_qa))
