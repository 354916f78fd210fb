"""A bold term followed by its meaning -> a question card asking for the meaning.

"**Attention** is a weighted average of value vectors" gives "Q: What is attention?" with the rest
of the sentence as the answer. The question keeps what the sentence says the term belongs to ("the
**receptive field** of an output", "In a convolution, the **stride**"); a term set beside what it is
("the **kernel**, a small grid of weights,") or named after a description ("..., called **padding**,",
"The step between two windows is the **stride**.") is asked too. An answer that leans on the text
around it, ranks the term among others or states a fact about it rather than what it is, is not.
Terms the notebook's cards already ask about are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.model import MarkdownBlock, SuggestContext, Suggestion, last_line

DEFINITION = re.compile(
    r"(?:^|[.!?]\s+)(?P<setting>(?:In|For|With|Within|Inside|Under)\s+(?:an?|the|each|every)\s[^.!?*,$]{2,40},\s+)?"
    r"(?:(?P<article>[Aa]n?|[Tt]he)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*\s*"
    r"(?:\(?(?P<symbol>\$[^$]{1,20}\$)\)?,?\s+)?"
    r"(?P<qualifier>(?:of|for|in|on|at|over|between|along|across)\s+[^.!?*,:;$]{2,40}?\s+)?"
    r"(?:(?P<verb>is|are|means|refers to)\s+|[:—–]\s+|-\s+)(?P<meaning>[^.!?\n]{8,160})[.!?]"
)
"""A bold term and what it is: "In a CNN, the **stride** $S$ of a layer is the step between windows"."""
APPOSITION = re.compile(
    r"(?:^|[.!?]\s+)(?:[A-Z][^.!?*]{0,60}?\s)?(?P<article>[Aa]n?|[Tt]he|its|their)\s+\*\*(?P<term>[^*\n]{2,40}?)\*\*"
    r"(?:\s+(?P<symbol>\$[^$]{1,20}\$))?(?:,\s+(?P<meaning>(?:an?|the)\s+[^.!?,;:*()]{8,100}?)(?:,\s+\w|[.!?])"
    r"|\s+\((?P<aside>(?:an?|the)\s+[^.!?,;:*()]{8,100}?)\))"
)
"""A bold term with what it is set beside it: "the **kernel**, a small grid of weights, slides ...", "the
**stride** (the step between two windows)"."""
ALSO_NAMED = (
    re.compile(
        r"(?:^|[.!?]\s+)(?P<thing>[A-Z][^.!?*:;,]{12,120}?),\s+(?:called|known as)\s+"
        r"(?:(?P<article>an?|the)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*,"
    ),
    re.compile(
        r"(?:^|[.!?]\s+)We call (?P<thing>(?:the|a|an)\s[^.!?*:;,]{8,100}?)\s+"
        r"(?:(?P<article>an?|the)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*\s*[.!?]"
    ),
    re.compile(
        r"(?:^|[.!?]\s+)(?P<thing>[A-Z][^.!?*:;,]{12,120}?)\s+(?:is|are)\s+(?P<article>the)\s+"
        r"\*\*(?P<term>[^*\n]{2,40}?)\*\*\s*[.!?]"
    ),
)
"""More ways to name a thing in bold: "..., called **padding**,", "We call ... the **stride**.",
"The region one output sees is the **receptive field**." (with "the": "The loss is a **sum over
examples**" says what the loss is, in bold for emphasis, and names nothing)."""
ADVICE = frozenset({"always", "never", "use", "do", "don't", "avoid", "check", "prefer", "keep", "make"})
"""First words of a bold piece of advice, which is no term to define."""
APPOSITION_CONFIDENCE = 0.45
"""Under the default threshold: an apposition is one description among several ("an **edge detector**, a
discrete derivative"), so blind readers rate "What is an edge detector?" open-ended."""
OUTSIDE = re.compile(
    r"\b(?:this|that|these|those|above|below|here|former|latter)\b|^(?:it|they|its|their)\b"
    r"|\b(?:for|to|of|with|on|in|from|about|against)\s+(?:it|them)\b",
    re.I,
)
"""Words in an answer that lean on the sentences around it."""
THING = re.compile(r"(?:an?|the|one|two|what|which|where|how much|how many|its|their)\s", re.I)
"""How a list item's meaning opens when it says what its term is ("a ...", "what the queries ...")."""
LIST_DEFINITION = re.compile(
    r"^\s*[-*+]\s+(?:(?P<lead>its|their|the|an?)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*"
    r"(?:\s+(?P<symbol>\$[^$]{1,20}\$))?"
    r"(?:\s*[:—–]\s+|\s+-\s+)(?P<meaning>[^\n]{8,160}?)[;.,]?\s*$"
)
"""A list item that defines its bold term: "- its **query** $q$: what this token is looking for;"."""
ACTION = re.compile(
    r"(?:^|[.!?]\s+)(?:[A-Z][^.!?*]{0,40}?\s)?(?:(?P<article>[Aa]n?|[Tt]he)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*"
    r"(?P<which>,\s+which)?\s+(?P<does>[a-z]{3,}s)\s+(?P<rest>[^.!?:*\n]{8,140}?)"
    r"(?:,\s+(?:so|but|and so)\b[^.!?]*)?[.!?:]"
)
"""A bold term doing something: "**Backpropagation** gets every slope for the cost of one more pass."."""
DEFINED_CONFIDENCE = 0.35
"""Far under the default threshold: over rounds 17 to 32 of blind review, 2 of 18 ratings of "What is
X?" cards were usable (a one-clause meaning has other true answers, or is half of what X is)."""
NAMED_CONFIDENCE = 0.45
"""On request: "What is <the thing> called?" (2 of 4 ratings usable)."""
ACTION_CONFIDENCE = 0.35
"""With the weakest kinds: "What does X do?" admits other true answers ("adds nonlinearity", "handles
overdispersion") more often than not; over rounds 38 to 53 of blind review 11 of 64 ratings were usable,
so these come only at `--min-confidence 0.3`."""
NAMED = re.compile(
    r"(?:^|[.!?]\s+)(?P<thing>[A-Z][^.!?*:;]{12,120}?),?\s+(?:is|are)\s+(?:called|known as)\s+"
    r"(?:(?P<article>an?|the)\s+)?\*\*(?P<term>[^*\n]{2,40}?)\*\*[^.!?]{0,40}[.!?:]"
)
"""A term named after what it describes: "Taking one slope per parameter at once is called **backprop**."."""
NOT_ACTIONS = frozenset({"is", "was", "has", "does", "this", "its", "plus", "minus", "versus", "thus"})
CLAUSE = re.compile(r"\b(?:is|are|was|were|do|does|can|must|should|gets?|has|have)\b", re.I)
MAX_ANSWER_WORDS = 15
VAGUE_THING = re.compile(
    r"\b(?:most|best|main|key|simplest|first|last|usual|common|popular|choice|option|default|answer|"
    r"problem|idea|trick|reason|result|difference|question|thing|culprit|winner|catch|same)\b",
    re.I,
)
"""Words that make what a sentence names depend on the text around it."""
NOT_A_MEANING = re.compile(
    r"^(?:\w+ly|often|always|never|just|only|also|still|then|now|not|no|much|very|too|so|about|around|"
    r"roughly|almost|nearly|here|there|\d[\d.,]*|(?!defined\b)[a-z]+ed|made|built|done|taken|chosen|kept)\b",
    re.I,
)
"""First words of what a sentence says about a term rather than what the term is (a passive verb, as in
"the **harmonic mean** is used instead", says what is done with it)."""
CLAIM_VERB = re.compile(r"^\S+(?:\s+\S+)?\s+[a-z]{3,}(?<!ss)s\s+\S")
"""A term whose second or third word is a verb in -s followed by more words: a claim ("X saves Y")."""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A question card for each defined bold term."""
    asked = ctx.existing_text().lower()
    # "- **diagonal**: a bright band ..." beside `CLASSES = [..., "diagonal"]`: a label of the lesson's data
    seen: set[str] = set(ctx.code_strings())
    for cell, block in ctx.prose_blocks("paragraph", "list"):
        flat = " ".join(block.text.split())
        matches = list(DEFINITION.finditer(flat))
        if block.type == "list":
            if _lists_uses(ctx.blocks(cell), block):
                continue  # "Why this matters: - **Anomaly detection**: ...": where it is used, not what it is
            matches += [m for line in _item_lines(block.text) if (m := LIST_DEFINITION.match(line))]
        for match in ACTION.finditer(flat):
            found = _action_question(match, seen, asked)
            if found is not None:
                seen.add(match.group("term").strip().lower())
                yield Suggestion(
                    cell=cell,
                    kind="qa",
                    confidence=ACTION_CONFIDENCE,
                    reason=f"the text says what **{match.group('term').strip()}** does",
                    heuristic="definitions",
                    line=last_line(cell),
                    qa=found,
                )
        named = [m for pattern in (NAMED, *ALSO_NAMED) for m in pattern.finditer(flat)]
        for match in named:
            term, thing = match.group("term").strip(), match.group("thing").strip()
            if term.lower() in seen or term.lower() in asked or term.lower() in thing.lower():
                continue
            if len(thing.split()) > MAX_ANSWER_WORDS or CLAUSE.search(thing):
                continue  # "What matters is the **stride**": a clause, not the thing named
            if match.re is not NAMED and not re.match(r"(?:the|an?|\w+ing)\b", thing, re.I):
                continue
            if VAGUE_THING.search(thing):
                continue  # "The most common choice is the **ReLU**": which choice, among what?
            if re.search(r"\b(?:this|that|these|those|it|they|here)\b", thing, re.I) or "$" in term:
                continue  # "This is called ..." names what the sentence before said
            seen.add(term.lower())
            yield Suggestion(
                cell=cell,
                kind="qa",
                confidence=NAMED_CONFIDENCE,
                reason=f"the text names **{term}**",
                heuristic="definitions",
                line=last_line(cell),
                qa=(f"What is {_lowered(thing)} called?", sentence_case(term) + "."),
            )
        yield from _appositions(ctx, cell, flat, seen, asked)
        for match in matches:
            term = match.group("term").strip()
            meaning = match.group("meaning").strip()
            key = term.lower()
            if key in seen or key in asked or len(term.split()) > 4 or "$" in term or CLAUSE.search(term):
                continue  # a bold claim ("Vanishing is exponential") is not a term
            if re.search(r"[,.;!?]", term) or term.split()[0].lower() in ADVICE:
                continue  # "**Same parameters, different outcome.**", "**Always subtract the max**"
            if CLAIM_VERB.search(term):
                continue  # "**Weight sharing saves parameters**: ..." is a key point, not a term
            if len(meaning.split()) > MAX_ANSWER_WORDS or term.lower() in meaning.lower():
                continue
            labelled = not match.groupdict().get("verb") and re.match(r"(?:an?|the)\s", meaning)
            if labelled and CLAUSE.search(meaning):
                continue  # "**Size**: a V x V matrix has 10^10 entries": a claim under a label, not a meaning
            if NOT_A_MEANING.match(meaning) or VAGUE_THING.search(meaning):
                continue  # "the **stride** is usually 1 or 2": a fact about it, not what it is
            if (match.re is LIST_DEFINITION or block.type == "list") and not THING.match(meaning):
                continue  # "- **training mode**: sample a fresh mask ...": what happens in it, not what it is
            if block.type == "list" and _states_a_claim(meaning):
                continue  # "1. **Length**: longer documents have larger counts, so ...": a problem stated
            if (match.re is not LIST_DEFINITION and OUTSIDE.search(meaning)) or ":" in meaning:
                continue  # leans on the sentence before (in a list item, "this token" is the item's own),
                # or says what it is only after a colon
            if re.search(r"(?<![\w$.])\d+(?:\.\d+)?(?![\w$])", re.sub(r"\$[^$]*\$", " ", meaning)):
                continue  # "one class has 99 times as many examples": the lesson's example, not the meaning
            seen.add(key)
            plural = match.groupdict().get("verb") == "are"
            groups = match.groupdict()
            article = (groups.get("article") or groups.get("lead") or "").lower()
            article = "the" if article in {"its", "their"} else article
            if not article and not plural and term[:1].islower() and " " in term:
                article = "the"  # "binary cross-entropy" stays bare; "classification head" takes "the"
            qualifier = (groups.get("qualifier") or "").strip()
            if OUTSIDE.search(qualifier) or re.search(r"\b(?:its|their)\b", qualifier):
                continue
            subject = f"{article} {_lowered(term)} {groups.get('symbol') or ''} {qualifier}"
            subject = " ".join(subject.split())
            setting = (groups.get("setting") or "").strip()
            if setting and not OUTSIDE.search(setting):
                question = f"{setting} what {'are' if plural else 'is'} {subject}?"
            else:
                question = f"What {'are' if plural else 'is'} {subject}?"
            answer = sentence_case(meaning) + "."
            yield Suggestion(
                cell=cell,
                kind="qa",
                confidence=DEFINED_CONFIDENCE,
                reason=f"**{term}** is defined in the text",
                heuristic="definitions",
                line=last_line(cell),
                qa=(question, answer),
            )


USES = re.compile(
    r"\b(?:why\b.*\bmatters?|matters? (?:in practice|because)|(?:is|are) used (?:for|in|to)|uses?\b|"
    r"applications?|in practice|shows? up|appears?|(?:two|three|four|several) (?:jobs|steps|stages|things))"
    r"\b[^.!?]*:\s*$",
    re.I,
)
"""A lead-in to a list of where the idea is used ("Why this matters:") or of the steps something takes
("Read it as two jobs:"): its bold items are uses or actions, not terms with a meaning."""


def _lists_uses(blocks: list[MarkdownBlock], block: MarkdownBlock) -> bool:
    """Is the list led in by a sentence that says its items are uses of the idea?"""
    index = next((i for i, b in enumerate(blocks) if b is block), 0)
    before = blocks[index - 1] if index > 0 else None
    return before is not None and before.type == "paragraph" and USES.search(before.text.strip()) is not None


def _appositions(ctx: SuggestContext, cell, flat: str, seen: set[str], asked: str) -> Iterator[Suggestion]:
    """'What is the kernel?' for "the **kernel**, a small grid of weights, slides ..."."""
    for match in APPOSITION.finditer(flat):
        term, meaning = match.group("term").strip(), (match.group("meaning") or match.group("aside")).strip()
        key = term.lower()
        if key in seen or key in asked or len(term.split()) > 4 or "$" in term or CLAUSE.search(term):
            continue
        if len(meaning.split()) > MAX_ANSWER_WORDS or key in meaning.lower() or OUTSIDE.search(meaning):
            continue
        if len(meaning.split()) < 3 or CLAUSE.search(meaning) or re.search(r"\b(?:and|or)\b", meaning):
            continue
        if VAGUE_THING.search(meaning):
            continue  # "a lot", "the one that is ...", "the mean and the median": not one thing
        seen.add(key)
        symbol = match.group("symbol") or ""
        article = match.group("article").lower()
        article = "the" if article in {"its", "their"} else article
        subject = " ".join(f"{article} {_lowered(term)} {symbol}".split())
        yield Suggestion(
            cell=cell,
            kind="qa",
            confidence=APPOSITION_CONFIDENCE,
            reason=f"**{term}** is explained beside it",
            heuristic="definitions",
            line=last_line(cell),
            qa=(f"What is {subject}?", sentence_case(meaning) + "."),
        )


ADJECTIVE = re.compile(r"[a-z]+(?:al|ar|ic|ive|ous|ful|less|able|ible)")
NOUNS_LIKE_ADJECTIVES = frozenset({"signal", "interval", "residual", "potential", "integral", "total"})


def _action_question(match: re.Match[str], seen: set[str], asked: str) -> tuple[str, str] | None:
    """'What does X do?' and its answer, for a bold term that opens a sentence saying what it does."""
    term, does, rest = match.group("term").strip(), match.group("does"), match.group("rest").strip()
    key = term.lower()
    if key in seen or key in asked or len(term.split()) > 4 or "$" in term or CLAUSE.search(term):
        return None
    if does in NOT_ACTIONS or len(f"{does} {rest}".split()) > MAX_ANSWER_WORDS or key in rest.lower():
        return None
    if ADJECTIVE.fullmatch(term) and term.lower() not in NOUNS_LIKE_ADJECTIVES:
        return None  # "plain **linear** models once ...": an adjective before a plural noun, not a subject
    if len(rest.split()) < 4 or "**" in rest:
        return None  # "Reshapes the distribution": too little to pin down one answer
    if not match.group("which") and match.group(0).lstrip(" .!?")[:2] not in {"**", "A ", "An", "Th"}:
        return None  # "Compare with **X** does ..." is not a sentence about X unless X is its subject
    rest = re.sub(r"\s+(?:instead|too|also|here|first|then|again|now)$", "", rest)
    if re.search(r"\b(?:this|that|these|those)\b", rest, re.I):
        return None  # "the spread around that mean" leans on the sentence before
    before = match.string[: match.start("term")].rstrip("*").split()
    article = before[-1].lower() if before and before[-1].lower() in {"a", "an", "the"} else ""
    subject = f"{article} {_lowered(term)}".strip()
    return f"What does {subject} do?", f"{sentence_case(does)} {rest}."


def _states_a_claim(meaning: str) -> bool:
    """Is a list item's meaning a statement ("longer documents have larger counts") rather than a thing?

    "what the queries are matched against" and "a layer that has no weights" name a thing; a verb before
    any relative word, or a reason joined on (", so", ", although"), makes a claim.
    """
    if re.match(r"(?:what|which|where|how|who)\b", meaning, re.I):
        return False
    head = re.split(r"\b(?:that|which|who|whose|where|when)\b", meaning, maxsplit=1)[0]
    return bool(CLAUSE.search(head)) or re.search(r",\s+(?:although|so|because)\b", meaning) is not None


def _item_lines(text: str) -> list[str]:
    """A list's items, each joined onto one line."""
    items: list[str] = []
    for line in text.splitlines():
        if re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line) or not items:
            items.append(line)
        elif line.strip():
            items[-1] += " " + line.strip()
    return items


def _lowered(term: str) -> str:
    # keep acronyms and names (LSTM, Adam); lower an ordinary capitalised first word
    first, _, rest = term.partition(" ")
    if first[:1].isupper() and first[1:].islower():
        first = first.lower()
    return f"{first} {rest}".strip()
