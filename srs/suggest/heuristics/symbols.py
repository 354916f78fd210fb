"""A symbol of a named formula that the sentence after it explains -> a question about that symbol.

"$$\\hat{x} = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}}$$" named "the normalized vector" and followed
by "The small $\\epsilon$ keeps the division safe when a row is constant." gives "In the formula for the
normalized vector, $\\hat{x} = ...$, what does $\\epsilon$ do?" (the formula written on the front);
"where $P$ is the padding" gives "..., what is $P$?".
The formula's name comes from the sentence before it, as for a formula card, so the question says
which formula it means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import formula_question, sentence_case
from srs.suggest.heuristics.formulas import formula_name, introduction, name_from_formula
from srs.suggest.model import SuggestContext, Suggestion, split_sentences

SYMBOL = r"\$(?P<symbol>[^$]{1,20})\$"
WHERE = re.compile(
    rf"^(?:where|here|in which|with)\s+{SYMBOL}\s+(?:is|are|denotes|stands for)\s+"
    r"(?P<meaning>[^$;]+?)(?:[.;]|,?\s+and\s+\$|$)",
    re.I,
)
""""where $P$ is the padding and ...": the first symbol and what it is."""
CLAUSE = re.compile(r"\b(?:there|is|are|was|were|has|have|we|you)\b", re.I)
"""A verb or a subject after "where $h$ is ...": a condition with its main clause ("Where $h$ is smooth
there is exactly one such line"), not what the symbol is."""
DOES = re.compile(
    rf"^(?:The|A|An|Our)\s+(?:[a-z-]+\s+)?{SYMBOL}\s+(?P<verb>[a-z]{{3,}}s)\s+(?P<rest>[^$.;:]{{8,100}})\.$"
)
""""The small $\\epsilon$ keeps the division safe when a row is constant.": what the symbol does."""
OBJECT = re.compile(r"(?:the|a|an|each|every|all|any|how|its|their|one|both|large|small)\b")
"""What a verb's object opens with: "keeps the division safe"; "The first $K$ terms dominate" has none."""
NOT_VERBS = frozenset({"is", "has", "was", "does", "this", "its", "plus", "minus", "times"})
VAGUE = re.compile(r"\b(?:this|that|these|those|it|they|them|above|below)\b", re.I)
MAX_ANSWER_WORDS = 15
MAX_FORMULA_CHARS = 120
CONFIDENCE = 0.55


def _subject(name: str) -> str:
    """'the formula for the normalized vector' as it is asked on a formula card."""
    question = formula_question(name).rstrip("?")
    if question.startswith("Which expression gives "):
        return "the expression for " + question.removeprefix("Which expression gives ")
    return question.removeprefix("What is ")


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A question for each symbol of a named formula that the next sentence explains."""
    asked = ctx.existing_text()
    seen: set[tuple[str, str]] = set()
    for cell in ctx.lesson.cells:
        if cell.type != "markdown":
            continue
        blocks = ctx.blocks(cell)
        for index, block in enumerate(blocks[:-1]):
            after = blocks[index + 1]
            if block.type != "math" or after.type != "paragraph":
                continue
            sentence = introduction(blocks, index) or ""
            named = (formula_name(sentence) if sentence else None) or name_from_formula(block.text)
            if named is None:
                continue
            explained = (split_sentences(after.text) or [""])[0]
            where, does = WHERE.match(explained), DOES.match(explained)
            found = None
            if where is not None and not CLAUSE.search(where.group("meaning")):
                meaning = where.group("meaning").strip().rstrip(",")
                found = where.group("symbol"), "is", sentence_case(meaning) + "."
            elif does is not None and does.group("verb") not in NOT_VERBS and OBJECT.match(does["rest"]):
                rest = does.group("rest").strip()
                found = does.group("symbol"), "does", f"{does.group('verb').capitalize()} {rest}."
            if found is None:
                continue
            symbol, verb, answer = found
            if symbol.strip() not in block.text or VAGUE.search(answer):
                continue  # a symbol the formula does not hold, or an answer that leans elsewhere
            if len(answer.split()) > MAX_ANSWER_WORDS:
                continue
            if len(answer.split()) < 2 or f"${symbol}$" in asked:
                continue
            key = (named[0].lower(), symbol.strip())
            if key in seen:
                continue
            seen.add(key)
            action = "what does" if verb == "does" else "what is"
            formula = re.sub(r"[\s.,;]+$", "", " ".join(block.text.split()))
            if len(formula) > MAX_FORMULA_CHARS:
                continue  # a symbol's role in a formula the card cannot show whole
            # the formula on the front: blind readers could not answer "In the formula for score, what
            # is $j$?" without seeing the formula the symbol sits in
            question = (
                f"In {_subject(named[0])}, ${formula}$, {action} ${symbol}${' do' if verb == 'does' else ''}?"
            )
            yield Suggestion(
                cell=cell,
                kind="qa",
                confidence=CONFIDENCE,
                reason=f"the sentence after the formula explains ${symbol}$",
                heuristic="symbols",
                line=after.last,
                qa=(question, answer),
            )
