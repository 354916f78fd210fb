"""Display formulas named by the sentence that introduces them -> formula cards.

"The score of one query against every key is:" followed by `$$s = q K^\\top$$` gives a formula card
named "the score of one query against every key". A formula the text does not name is left alone:
a card that cannot say what it asks for is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.suggest.model import MarkdownBlock, SuggestContext, Suggestion

_LEAD = re.compile(
    r"^(?:so|then|thus|hence|therefore|and|now|here|in symbols|written out|formally|in other words|"
    r"putting (?:it|this) together|together|that is|i\.e\.|which|in math|mathematically)[,:]?\s+",
    re.I,
)
_NAMED = (
    re.compile(r"\b(?:recall|remember|consider|take|meet) (?:the |a |an )?(.+)$", re.I),
    re.compile(r"\b(?:is|are|gives|uses|called) (?:the |a |an |our )?([^,;]{3,60})$", re.I),
    re.compile(
        r"\b(?:the )?(?:formula|equation|definition|rule|update|expression|recurrence) (?:for|of) (.+)$", re.I
    ),
    re.compile(
        r"^(.+?),? (?:is|are|becomes|reads|is defined as|is computed as|is written|looks like|"
        r"can be written as|comes out as|works out to)$",
        re.I,
    ),
    re.compile(
        r"\b(?:we get|this gives|gives us|we define|we write|we compute|defined as|written as) (.+)$", re.I
    ),
)
_PRONOUN_ONLY = re.compile(r"^(?:it|this|that|these|those|they|the result|the answer|which)$", re.I)
_NOT_NAMES = frozenset(
    {"we", "get", "gives", "give", "in", "symbols", "so", "then", "here", "this", "that", "is", "are"}
    | {"written", "out", "formally", "it", "as", "follows", "following", "math", "form", "short", "words"}
    | {"one", "line", "there", "enough", "see"}
)
_RELATION = re.compile(r"=|\\approx|\\propto|\\equiv|\\le|\\ge|<|>")
_DERIVATION_STEP = re.compile(r"^\s*(?:&\s*)?=|\\\\|\\begin\{align")


def formula_name(sentence: str) -> tuple[str, float] | None:
    """The name a sentence gives the formula after it, with how sure the reading is."""
    bold = re.findall(r"\*\*([^*]{2,40})\*\*", sentence)
    if len(bold) == 1 and sentence.strip().endswith(":"):
        return _cleaned(bold[0], 0.75)
    text = sentence.strip().rstrip(":").strip()
    text = re.sub(r"\*\*|(?<![\w$])\*|`", "", text)
    text = re.sub(r"\s+(?:from|in|of) (?:lesson|notebook|chapter|section) \w+$", "", text, flags=re.I)
    while (lead := _LEAD.match(text)) is not None:
        text = text[lead.end() :]
    for pattern in _NAMED:
        match = pattern.search(text)
        if match:
            return _cleaned(match.group(1), 0.8)
    return _cleaned(text, 0.45) if sentence.strip().endswith(":") else None


_FUNCTION_LHS = re.compile(
    r"^\s*\\(?:mathrm|operatorname|text|textrm)\{(?P<name>[A-Za-z][A-Za-z ]{1,30})\}\s*\("
)


def name_from_formula(math: str) -> tuple[str, float] | None:
    """A name the formula gives itself: a named function on its left side (softmax, Attention, Var)."""
    left = math.split("=", 1)[0]
    match = _FUNCTION_LHS.match(left)
    if match is None:
        return None
    name = match.group("name").strip()
    spelled = {"Var": "the variance", "E": "the expectation", "Cov": "the covariance"}.get(name)
    return (spelled or (name if name.isupper() or len(name) <= 3 else name.lower())), 0.7


def _cleaned(name: str, confidence: float) -> tuple[str, float] | None:
    name = name.strip(" ,.;")
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    words = name.split()
    if all(word.lower() in _NOT_NAMES for word in words) or name.startswith("$"):
        return None
    if any(
        word.lower() in {"it", "them", "this", "these", "those", "here", "above", "below"} for word in words
    ):
        return None
    if not words or len(words) > 10 or _PRONOUN_ONLY.match(name) or name.count("$") % 2:
        return None
    return name, confidence


def _last_sentence(paragraph: str) -> str:
    flat = " ".join(paragraph.split())
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z$*])", flat)
    return parts[-1] if parts else ""


def _introduction(blocks: list[MarkdownBlock], index: int) -> str | None:
    if index == 0 or blocks[index - 1].type != "paragraph":
        return None
    return _last_sentence(blocks[index - 1].text)


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A formula card for each display formula a sentence names."""
    known = ctx.existing_text()
    names: set[str] = set()
    formulas: set[str] = set()
    for cell in ctx.lesson.cells:
        if cell.type != "markdown":
            continue
        blocks = ctx.blocks(cell)
        covered = ctx.covered_lines(cell)
        for index, block in enumerate(blocks):
            if block.type != "math" or "{{c" in block.text or _DERIVATION_STEP.search(block.text):
                continue
            if not _RELATION.search(block.text) or block.first in covered or (block.first - 1) in covered:
                continue
            if " ".join(block.text.split()) in " ".join(known.split()):
                continue
            sentence = _introduction(blocks, index) or ""
            from_text = formula_name(sentence) if sentence else None
            named = from_text or name_from_formula(block.text)
            if named is None:
                continue
            name, confidence = named
            math = " ".join(block.text.split())
            if name.lower() in names or math in formulas:
                continue
            names.add(name.lower())
            formulas.add(math)
            yield Suggestion(
                cell=cell,
                kind="formula",
                confidence=confidence,
                reason=f'display formula introduced as "{sentence.strip()}"'
                if from_text
                else f"display formula of a named function ({name})",
                heuristic="formulas",
                options=(("card", "formula"), ("name", name)),
                line=block.first,
            )
