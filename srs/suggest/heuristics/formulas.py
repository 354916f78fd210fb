"""Display formulas named by the sentence that introduces them -> formula cards.

"The score of one query against every key is:" followed by `$$s = q K^\\top$$` gives a formula card
named "the score of one query against every key". A formula the text does not name is left alone:
a card that cannot say what it asks for is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.core.model import Cell
from srs.kinds.phrasing import sentence_case
from srs.maths.parts import (
    Unreadable,
    asked_side,
    chained_relations,
    formula_parts,
    is_mean,
    names_itself,
    right_side,
    side_by_side,
    solved_for,
    squeezed,
    with_clozes,
    worked_step,
)
from srs.suggest.giveaway import written_as
from srs.suggest.model import PICTURE, MarkdownBlock, SuggestContext, Suggestion, split_sentences

_LEAD = re.compile(
    r"^(?:so|then|thus|hence|therefore|and|now|here|in symbols|written out|formally|in other words|"
    r"putting (?:it|this) together|together|that is|i\.e\.|which|in math|mathematically)[,:]?\s+",
    re.I,
)
_NAMED = (
    re.compile(r"\b(?:recall|remember|consider|meet) (?:the |a |an )?(.+)$", re.I),
    re.compile(
        r"(?:^is|\bhere is|\bgives|\bgiving|\bthis is|\bwe get|\byields) (?:the |a |an )?(.+?) "
        r"(?:formula|equation)$",
        re.I,
    ),
    re.compile(r"\b(?:formula|equation|definition|rule|update) (?:for|of) (?:the |a |an )?(.+)$", re.I),
    re.compile(
        r"^(?:the |a |an )?(.+?),? (?:is|are|is defined as|is computed as|is written|reads|"
        r"can be written as|is written as|becomes|equals|works out to|comes out as|is then|is simply)$",
        re.I,
    ),
    re.compile(
        r"^(?:the |a |an )?(.+?),? (?:is|are) (?:then )?(?:updated|computed|defined|given|written|calculated|"
        r"obtained|estimated|kept|tracked) (?:as|by|with|from|through)\b.*$",
        re.I,
    ),
    re.compile(r"\b(?:that is|this is|which is|is called|called|known as) (?:the |a |an )?(.+)$", re.I),
    re.compile(
        r"\b(?:we define|we call|we compute|we write|we get) (?:the |a |an )?(.+?)(?: as| by)?$", re.I
    ),
)
"""How a sentence ending in a colon names the formula after it; the name must then pass `_cleaned`."""
QUANTITIES = frozenset(
    {"rule", "update", "formula", "equation", "loss", "mean", "variance", "length", "output", "gradient"}
    | {"score", "probability", "function", "norm", "distance", "error", "step", "definition", "identity"}
    | {"estimate", "average", "sum", "product", "derivative", "objective", "similarity", "entropy", "size"}
    | {"count", "rate", "bound", "recurrence", "deviation", "weight", "cost", "likelihood", "expectation"}
)
"""Nouns that name a quantity or a rule: a lead-in that is a noun phrase ending in one names the formula."""
_PRONOUN_ONLY = re.compile(r"^(?:it|this|that|these|those|they|the result|the answer|which)$", re.I)
_NOT_NAMES = frozenset(
    {"we", "get", "gives", "give", "in", "symbols", "so", "then", "here", "this", "that", "is", "are"}
    | {"written", "out", "formally", "it", "as", "follows", "following", "math", "form", "short", "words"}
    | {"one", "line", "there", "enough", "see", "result", "answer", "outcome"}
)
_BAD_FIRST = frozenset(
    {"to", "by", "with", "for", "from", "in", "on", "at", "as", "into", "over", "of", "and", "or", "but"}
    | {"its", "their", "our", "his", "her", "my", "your", "each", "every", "almost", "also", "only", "just"}
    | {"how", "what", "why", "when", "where", "which", "who", "if", "because", "since", "so", "not"}
    | {"using", "like", "via", "through", "after", "before", "then", "thus", "hence"}
)
"""A first word that starts a clause or a preposition phrase, not the name of a formula."""
_OPERATOR_WORDS = frozenset({"times", "plus", "minus", "divided", "over", "squared", "cubed"})
"""A last word that joins the name to math after it ("a diagonal matrix times $W_l$"): cut there, what is
left names nothing (round 49, both readers)."""
_RELATION = re.compile(
    r"=|\\(?:approx|propto|equiv|leq?|geq?|leftarrow|gets)(?![A-Za-z])|(?<!\\left)<|(?<!\\right)>"
)
"""A relation between the sides of a formula (`\\le` but not the `\\left` of a bracket)."""
_DERIVATION_STEP = re.compile(r"^\s*(?:&\s*)?=|^\s*\\phantom\s*\{[^{}]*\}\s*=|\\\\|\\begin\{align")
"""A display that goes on from the one before (`= ...`, `\\phantom{h_i} = ...`) or aligns several steps."""


_LEADS_IN = re.compile(
    r",?\s+(?:is|are|is defined as|is computed as|is given by|is written as|can be written as|becomes|"
    r"equals|reads|works out to|comes out as|is then|is simply|is updated as|is updated by)\s*$",
    re.I,
)
"""A sentence that ends on one of these runs on into the display formula after it, colon or not."""
_QUALIFIER = re.compile(
    r"^\s*(?:\$[^$]{1,20}\$)?,?\s*(?P<q>(?:of|over|for|with|at|in|between|across|along|on|under)\s+.+?)"
    r"(?=,?\s+(?:is|are|becomes|equals|reads|measures|can|gives|has|takes|works|comes|was|to)\b|\s*$)",
    re.I,
)
"""What follows a bold name and says which one: "the **batch mean** of feature $j$ over the batch is"."""
_CONDITION = re.compile(
    r"^(?:(?:in general|more generally|in full|in the general case),\s+)?"
    r"(?P<cond>(?:with|for|given|under|when using)\s+[^,]{3,70}),\s+(?:the|a|an)\s+\*\*",
    re.I,
)
"""A condition before the bold name: "In general, with padding $P$, the **output length** is"."""
_ONLY_QUALIFIER = re.compile(
    r"\s*(?:\$[^$]{1,20}\$)?,?\s*(?:(?:of|over|for|with|at|in|between|across|along|on|under)\s+[^,;:]+)?\s*"
)
"""What may stand between a bold name and the verb that leads into its formula: a symbol, a qualifier."""
_SUBJECT = re.compile(
    r"^(?:(?:in general|more generally|in full|in the general case),\s+)?"
    r"(?:(?:with|for|given|under|when using)\s+[^,]{3,70},\s+)?(?:(?:the|a|an|our)\s+)?\*\*",
    re.I,
)
"""A sentence whose subject is its bold term."""
_VAGUE = re.compile(r"\b(?:it|its|this|that|these|those|they|their|them|here|above|below)\b", re.I)
MAX_QUALIFIER_WORDS = 9


def _qualified(sentence: str, term: str) -> str:
    """The qualifiers and conditions the sentence gives a bold name, as words to append to it."""
    extra = []
    after = sentence.split(f"**{term}**", 1)[1] if f"**{term}**" in sentence else ""
    match = _QUALIFIER.match(after.rstrip(":"))
    if match and "**" not in match.group("q") and not _VAGUE.search(match.group("q")):
        if _NOT_A_NOUN_PHRASE.search(match.group("q")):
            return ""  # "of the values we saw": a clause; the bare name would then claim too much
        extra.append(match.group("q").strip())
    condition = _CONDITION.match(sentence.strip())
    if condition and not _VAGUE.search(condition.group("cond")):
        cond = condition.group("cond")
        extra.append(cond[0].lower() + cond[1:])
    words = " ".join(extra)
    if len(words.split()) > MAX_QUALIFIER_WORDS or words.count("$") % 2:
        return ""
    return words


OBJECT_OF = re.compile(r"\b(?:by|with|times|from|into|on|over|through)\s+(?:an?\s+|the\s+)?$", re.I)
"""What comes before a bold term that is the object of the sentence's verb, not what the formula is
("multiplied by a **gate**"); "the definition of the **softmax**" still names the formula."""


def formula_name(sentence: str) -> tuple[str, float] | None:
    """The name a sentence gives the formula after it, with how sure the reading is."""
    found = _formula_name(sentence.strip())
    if found is None:
        return None
    words = re.sub(r"^(?:the|a|an)\s+", "", found[0], flags=re.I).lower().split()
    if all(word in GENERIC_NOUNS | ORDINALS for word in words) and words[-1] in GENERIC_NOUNS:
        return None  # "so the definition is", "so the second term is": which one, the card does not say
    return found


def _formula_name(sentence: str) -> tuple[str, float] | None:
    colon = sentence.endswith(":")
    if not colon and not _LEADS_IN.search(sentence):
        return None  # a formula the sentence does not lead into is not the one it names
    bold = re.findall(r"\*\*([^*]{2,40})\*\*", sentence)
    if len(bold) == 1:
        if OBJECT_OF.search(sentence.split(f"**{bold[0]}**", 1)[0]):
            return None  # "the input multiplied by a **gate** that is 0 or 1": a factor of it, not its name
        if re.search(rf"\$[^$]{{1,30}}\$\s*\((?:the |a |an )?\*\*{re.escape(bold[0])}\*\*\)", sentence):
            return None  # "subtract a constant $b$ (the **baseline**)": the name of a symbol in it, not of it
        if re.search(rf"\b(?:be|is|are|becomes?)\s+\*\*{re.escape(bold[0])}\*\*\s*,\s*\$", sentence):
            return None  # "Allow it to be **complex**, $a = ...$": a property of a symbol
        found = _cleaned(bold[0], 0.75)
        if found is None:
            return None
        name = found[0]
        if sentence.lstrip().startswith("**") and name[:1].isupper() and name[1:].islower():
            name = name.lower()  # capitalised only because it opens the sentence
        if re.search(rf"\bthe \*\*{re.escape(bold[0])}\*\*", sentence, re.I):
            name = f"the {name}"  # "the feature mean", "the Rosenbrock function": the text's own article
        if not colon and not _SUBJECT.match(sentence):
            return None  # "The quantity **stride** controls is": the bold term is not what the formula gives
        between = _LEADS_IN.sub("", sentence.split(f"**{bold[0]}**", 1)[1])
        if not colon and not _ONLY_QUALIFIER.fullmatch(between):
            return None  # "The **mean** is easy, but the variance is": the verb it ends on is another's
        qualifier = _qualified(sentence, bold[0])
        return (f"{name} {qualifier}" if qualifier else name), found[1] if colon else 0.7
    text = _LEADS_IN.sub("", sentence) + " is" if not colon else sentence
    text = text.strip().rstrip(":").strip()
    text = re.sub(r"\*\*|(?<![\w$])\*|`", "", text)
    text = re.sub(r"\s+(?:from|in|of) (?:lesson|notebook|chapter|section) \w+$", "", text, flags=re.I)
    # "A tensor of $n$ numbers has norm $\\sqrt{n}$, so Adam's first relative change is": the last clause
    # names what follows, not the sentence's first subject (round 54, both readers: "the formula for tensor")
    text = _LAST_CLAUSE.split(text)[-1]
    while (lead := _LEAD.match(text)) is not None:
        text = text[lead.end() :]
    condition = _CONDITION_PLAIN.match(text)
    if condition is not None:
        text = text[condition.end() :]  # "With stride $S$, the output length is": named with its condition
    text = re.sub(
        r"^(?:\w+\s){0,3}\w+,\s+(?=(?:the|a|an|we|our)\b)", "", text, flags=re.I
    )  # "In short, the ..."
    found = _plain_name(text) or (_named_in_brackets(sentence) if colon else None)
    if found is not None and not colon and (_NOT_A_NOUN_PHRASE.search(found[0]) or "," in found[0]):
        return None  # "the mean is easy to compute, but the variance": a clause, not a name
    if found is None or condition is None:
        return found
    cond = condition.group("cond")
    if _VAGUE.search(cond) or cond.count("$") % 2 or len(f"{found[0]} {cond}".split()) > 12:
        return None  # a condition that leans elsewhere: without it, the name has more than one formula
    return f"{found[0]} {cond[0].lower()}{cond[1:]}", found[1]


_LAST_CLAUSE = re.compile(r"(?:,\s+(?:and\s+)?(?:so|thus|hence|therefore)|;)\s+(?=\S)", re.I)
"""Where a sentence starts the clause that leads into the formula ("..., so the update is")."""


_BRACKETED_NAME = re.compile(r"(?<![$*])\s\((the |a |an )?([A-Za-z][A-Za-z' -]{3,40})\):$")


def _named_in_brackets(sentence: str) -> tuple[str, float] | None:
    """The name a lead-in gives its formula in brackets at its end: "nudge each weight a little and watch
    the loss (finite differences):", "a classic first-order approximation (the Miller-Madow correction):".
    Not after a symbol or a bold term, where the brackets gloss that (`$S-2$ (the last letter)`)."""
    match = _BRACKETED_NAME.search(sentence)
    if match is None or len(match.group(2).split()) < 2 or _NOT_A_NOUN_PHRASE.search(match.group(2)):
        return None
    found = _cleaned(match.group(2), 0.6)
    return (f"the {found[0]}", found[1]) if found and match.group(1) == "the " else found


_NOT_A_NOUN_PHRASE = re.compile(
    r"\b(?:is|are|was|were|be|get|gets|got|when|if|which|that|we|you|our|answer|result|same)\b", re.I
)
"""Words that make a lead-in without a colon a clause or a vague reference, not the formula's name."""
_CONDITION_PLAIN = re.compile(
    r"^(?:(?:in general|more generally|in full|in the general case),\s+)?"
    r"(?P<cond>(?:with|for|given|under|when using)\s+[^,]{3,70}),\s+(?=(?:the|a|an)\b)",
    re.I,
)


def _plain_name(text: str) -> tuple[str, float] | None:
    """The name a lead-in without bold gives, read from its words."""
    for pattern in _NAMED:
        match = pattern.search(text)
        if match:
            found = _cleaned(match.group(1), 0.7)
            if found is not None and re.search(rf"\bthe {re.escape(found[0])}\b", text, re.I):
                found = f"the {found[0]}", found[1]  # the text's own article
            return found
    words = text.split()
    determiners = [i for i, word in enumerate(words) if word.lower() in {"the", "a", "an", "our"}]
    noun_phrase = determiners == [0] or (not determiners and len(words) <= 3)  # not "Compute the loss"
    if noun_phrase and len(words) <= 6 and words[-1].lower().rstrip("s") in QUANTITIES:
        # the sentence is the name itself: "The update rule:", "Output length:"
        found = _cleaned(text, 0.6)
        return (f"the {found[0]}", found[1]) if found and words[0].lower() == "the" else found
    return None


_FUNCTION_LHS = re.compile(
    r"^\s*(?:\\(?:mathrm|operatorname|text|textrm)\{(?P<name>[A-Za-z][A-Za-z ]{1,30})\}"
    r"|\\(?P<command>tanh|sigma|sigmoid|exp|log|sin|cos))\s*(?P<prime>'|\^\{?\\prime\}?)?\s*\("
)
_COMMANDS = {"sigma": "sigmoid"}


def name_from_formula(math: str) -> tuple[str, float] | None:
    """A name the formula gives itself: a named function on its left side (softmax, Attention, Var)."""
    left = math.split("=", 1)[0]
    match = _FUNCTION_LHS.match(left)
    if match is None:
        return None
    name = (match.group("name") or _COMMANDS.get(match.group("command"), match.group("command"))).strip()
    if match.group("prime"):
        if name.lower() not in STANDARD_FUNCTIONS:
            return None
        return f"derivative of {name if any(c.isupper() for c in name[1:]) else name.lower()}", 0.7
    spelled = {"Var": "the variance", "E": "the expectation", "Cov": "the covariance"}.get(name)
    if spelled:
        return spelled, 0.7
    # a right side that labels its pieces splits the function up: "the formula for MSE" calls up the plain
    # mean, which both readers of round 45 said would be marked wrong against the split
    labelled = re.search(r"\\(?:underbrace|overbrace)(?![A-Za-z])", math.split("=", 1)[-1]) is not None
    # of a sum (`\\text{softmax}(s + b)_j`) it is a variant: "the formula for softmax" calls up the plain
    # one, which both readers of round 48 said would be marked wrong
    argument = re.sub(r"[_^]\{[^{}]*\}", "", left[match.end() :]).split(")")[0]  # not `x_{i-1}`'s minus
    variant = re.search(r"[+-]", argument) is not None
    if name.lower() in STANDARD_FUNCTIONS and not labelled:  # ReLU and GELU keep their capitals
        return (name if any(c.isupper() for c in name[1:]) else name.lower()), 0.45 if variant else 0.7
    # a function the lesson names itself (Attention, FFN) may have variants the name admits too
    return (name if name.isupper() or len(name) <= 3 else name.lower()), 0.45


STANDARD_FUNCTIONS = frozenset(
    {"softmax", "log_softmax", "logsoftmax", "sigmoid", "tanh", "relu", "gelu", "silu", "swish", "softplus"}
    | {"elu", "selu", "mse", "bce", "layernorm", "rmsnorm", "batchnorm", "logsumexp", "sign", "erf"}
)
"""Functions with one standard definition: a card asking for one of them by name has one answer."""


NARRATIVE = frozenset(
    {"problem", "idea", "trick", "setup", "set-up", "goal", "fix", "question", "answer", "intuition"}
    | {"motivation", "story", "example", "picture", "payoff", "plan", "catch", "twist", "puzzle", "recap"}
)
"""Words a lesson's headings tell its story with ("The problem", "The fix"): no formula's name."""
GENERIC_NOUNS = frozenset(
    {"definition", "derivative", "bound", "expression", "quantity", "formula", "equation", "value", "term"}
    | {"factor", "identity", "tensor", "matrix", "vector", "number", "sum", "product", "difference"}
)
"""Nouns that say what kind of thing a formula is, not which one: "the derivative" (of what?)."""
ORDINALS = frozenset({"first", "second", "third", "last", "other", "final", "new"})
LAYOUT = frozenset({"line", "lines", "piece", "pieces", "part", "parts", "bit", "thing", "things", "one"})
"""Words that say where a formula sits in the text or the code: a name opening with one names nothing."""
_POSITION = re.compile(
    r"^(?:step[- ]by[- ]step\b|"
    r"(?:step|part|case|stage|phase|attempt|option|version|round)\s+(?:\d+|[ivx]+|[a-z])\b)[.:)]?\s*",
    re.I,
)
"""A label that numbers a place in the lesson ("**Step 1.**", "Case b:"): what follows it may name a
formula ("Step 1: the softmax derivative"), the label itself never does."""


def _cleaned(name: str, confidence: float) -> tuple[str, float] | None:
    name = name.strip(" ,.;")
    name = re.sub(r"\s*\([A-Z][A-Za-z]*[A-Z]s?\)$", "", name)  # "exponential moving average (EMA)"
    if "$" in name and not name.startswith("$"):
        # "the batch mean for feature $j$", "the variance $\sigma^2$": the words before the math name it
        name = re.split(
            r"\s+(?:for|of|over|at|in|with|across|on|along|through|from|into|per|after)\s+[^$]*\$|\s*\$", name
        )[0]
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    name = _POSITION.sub("", name)  # "the formula for step 5": readers found it points into the notebook
    words = name.split()
    if not words or all(word.lower() in _NOT_NAMES for word in words) or name.startswith("$"):
        return None
    if len(words) == 1 and words[0].lower() in NARRATIVE:
        return None  # "The problem: many parameters, one loss": a heading's story word names no formula
    if words[0].lower() in LAYOUT:
        return None  # "This is the line that matters most:": where the formula sits, not what it is
    if words[-1].lower() in NARRATIVE:
        return None  # "The ridge fix", "the bias trick": a step of the lesson's story, not a quantity
    if any(
        word.lower() in {"it", "them", "this", "these", "those", "here", "above", "below"} for word in words
    ):
        return None
    if not words or len(words) > 8 or _PRONOUN_ONLY.match(name) or re.search(r"[$`\"()\[\]{}=]", name):
        return None
    first = words[0].lower()
    participle = first.endswith("ed") and len(words) > 1 and words[1].lower() in _BAD_FIRST
    if first in _BAD_FIRST or participle or words[-1].lower() in _BAD_FIRST | _OPERATOR_WORDS:
        return None  # "added to the scaled scores", "over its own features": a clause, not a name
    return name, confidence


def _last_sentence(paragraph: str) -> str:
    parts = split_sentences(paragraph)
    return parts[-1] if parts else ""


def introduction(blocks: list[MarkdownBlock], index: int) -> str | None:
    if index == 0 or blocks[index - 1].type != "paragraph":
        return None
    return _last_sentence(blocks[index - 1].text)


def inline_displays(block: MarkdownBlock) -> Iterator[tuple[str, MarkdownBlock]]:
    """Display math written inside a paragraph, on lines of its own, with the text that leads into it.

    "The **batch mean** of feature $j$ is" on one line and `$$...$$` on the next make one paragraph;
    an option comment put on the line before the `$$` ends the paragraph there, so a card can take it.
    """
    lines = block.text.splitlines()
    start = None
    for number, line in enumerate(lines):
        stripped = line.strip()
        if start is None and stripped.startswith("$$") and number > 0:
            start = number
        if start is not None and stripped.endswith("$$") and (number > start or len(stripped) > 4):
            math = "\n".join(lines[start : number + 1]).strip()[2:-2].strip()
            lead = " ".join(lines[:start])
            yield lead, MarkdownBlock("math", math, block.first + start, block.first + number)
            return  # text after it leads into nothing this reading can trust


def _displays(blocks: list[MarkdownBlock]) -> Iterator[tuple[str, MarkdownBlock]]:
    """Every display formula of a cell with the sentence before it."""
    for index, block in enumerate(blocks):
        if block.type == "math":
            lead = blocks[index - 1].text if index and blocks[index - 1].type == "paragraph" else ""
            yield lead, block
        elif block.type == "paragraph":
            yield from inline_displays(block)


_ENDS_ON_BOLD = re.compile(r"\b(?:is|are|gives|called)\s+(?:the |a |an )?\*\*([^*]{2,40})\*\*[,:]?$", re.I)


def _named_nearby(
    ctx: SuggestContext, cell: Cell, lead: str, sentence: str, block: MarkdownBlock
) -> tuple[str, float] | None:
    """A name for a formula its lead-in sentence does not name: the one term the end of its paragraph
    sets in bold, or the heading of a section that holds no other display formula.

    A formula whose left side an earlier formula already has (a second `L_out = ...`) is a variant:
    a name borrowed from around it would not say which one, so it gets none here.
    """
    ends = _ENDS_ON_BOLD.search(sentence.strip())
    if ends is not None:  # "... slid along an input $x$ is the **sliding dot product**"
        return _bold_name(ends.group(1), lead, 0.65)
    if _is_variant(ctx, cell, block.text) or re.search(r"[.!?]\W*$", sentence):
        return None  # a variant of an earlier formula; or a lead-in that ends its sentence before it
    after = _continuation(cell, block)
    named_after = re.match(r"^[^.!?]*?,\s+(?:the |a |an )?\*\*([^*]{2,40})\*\*[.,;]", after)
    if named_after is not None:  # "$$R = n(K - 1) + 1$$ inputs, the **receptive field**."
        return _bold_name(named_after.group(1), after, 0.55)
    sentences = split_sentences(lead) or [""]
    last_bold = re.findall(r"\*\*([^*]{2,40})\*\*", sentences[-1])
    if len(last_bold) == 1:  # "after every batch the **running mean** is updated as"
        before, between = sentences[-1].split(f"**{last_bold[0]}**", 1)
        if OBJECT_OF.search(before):
            return None  # "the input multiplied by a **gate** that is 0 or 1": a factor of it, not its name
        if _ONLY_QUALIFIER.fullmatch(_LEADS_IN.sub("", between).rstrip(":,")):
            return _bold_name(last_bold[0], lead, 0.55)
        return None  # "The quantity that **stride** controls is": the bold term is not what it gives
    introduced = re.findall(r"\*\*([^*]{2,40})\*\*:", " ".join(sentences[-2:]))
    if len(introduced) == 1:  # "Now the **normalisation**: subtract ... A small constant sits under it,"
        return _bold_name(introduced[0], lead, 0.55)
    bold = set(re.findall(r"\*\*([^*]{2,40})\*\*", " ".join(sentences[-2:])))
    heading = re.sub(r"[`*]", "", cell.heading).split(":")[0].strip()
    if not heading or any(term.lower() not in heading.lower() for term in bold):
        return None
    if len(heading.split()) > 5 or _displays_in_section(ctx, cell) != 1:
        return None
    return _heading_name(cell)


def _bold_name(term: str, text: str, confidence: float) -> tuple[str, float] | None:
    """A bold term as a formula's name, with the article the text gives it ("the **running mean**")."""
    found = _cleaned(re.sub(r"\s+formula$", "", term), confidence)
    if found is None:
        return None
    name = found[0]
    name = name.lower() if name[:1].isupper() and name[1:].islower() else name
    if re.search(rf"\bthe\s+\*\*{re.escape(term)}\*\*", text, re.I):
        name = f"the {name}"
    return name, found[1]


def _continuation(cell: Cell, block: MarkdownBlock) -> str:
    """The text after a display formula when its sentence runs on ("$$...$$ inputs, the **...**")."""
    lines = cell.source.splitlines()[block.last :]
    while lines and not lines[0].strip():
        lines.pop(0)
    text = []
    for line in lines:
        if not line.strip():
            break
        text.append(line.strip())
    flat = " ".join(text)
    return flat if flat[:1].islower() else ""


def _left_side(math: str) -> str:
    return re.sub(r"\s+", "", _RELATION.split(math, 1)[0])


def _bold_names_another_symbol(sentence: str, math: str) -> bool:
    """Does the bold term the name comes from name a symbol written right after it, one that is not
    the formula's left side? "a raw score, the **logit** $s(x)$, and squashes it with the sigmoid:"
    leads into `D(x) = \\sigma(s(x))`: the logit is a piece of it, not what it gives (round 48)."""
    found = re.search(r"\*\*[^*]{2,40}\*\*\s*\$([^$]{1,40})\$", sentence)
    return found is not None and re.sub(r"\s+", "", found.group(1)) != _left_side(math)


def _right_sides(ctx: SuggestContext) -> list[tuple[tuple[int, int], str, str]]:
    """Where each display formula of the lesson is, with its left side and its right side squeezed."""
    found = []
    for other in ctx.lesson.cells:
        if other.type != "markdown":
            continue
        for _lead, block in _displays(ctx.blocks(other)):
            side = right_side(block.text)
            if side is not None:
                found.append(
                    ((other.index, block.first), _left_side(block.text), squeezed(block.text[slice(*side)]))
                )
    return found


def _written_before(
    part: str, written: list[tuple[tuple[int, int], str, str]], at: tuple[int, int], left: str
) -> bool:
    """Is the part, less its brackets, the right side of an earlier display with another left side
    (`e_{ui} = r_{ui} - [(\\mu + b_u + b_i + p_u \\cdot q_i)]` after `\\hat r_{ui} = \\mu + b_u + b_i + p_u
    \\cdot q_i`)? Blind readers found that side's name (`\\hat r_{ui}`) fits the gap as well."""
    bare = squeezed(re.sub(r"^\s*(?:\\[Bb]ig[gl]?|\\left)?\(|(?:\\[Bb]ig[gr]?|\\right)?\)\s*$", "", part))
    return len(bare) >= 6 and any(
        where < at and side == bare and named != left for where, named, side in written
    )


def _is_variant(ctx: SuggestContext, cell: Cell, math: str) -> bool:
    """Does a display formula before this one (in the lesson) have the same left side?"""
    left = _left_side(math)
    for other in ctx.lesson.cells[: cell.index]:
        if other.type != "markdown":
            continue
        for _lead, block in _displays(ctx.blocks(other)):
            if block.text == math:
                return False
            if _RELATION.search(block.text) and _left_side(block.text) == left:
                return True
    return False


_SYMBOL_SIDE = re.compile(
    r"^\s*(?:\\(?:hat|bar|tilde|widehat|mathcal|mathbf|boldsymbol)\s*\{?)?\\?[A-Za-z]+\}?"
    r"(?:\s*(?:[_^](?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\\?[A-Za-z0-9]+)|\([^()=]{1,20}\)))*\s*$"
)
"""A left side that is one symbol, with scripts or arguments: `H(q, p)`, `\\hat{x}_{ij}`, `\\hat v_t`."""


_TRAILING_SPACE = re.compile(r"(?:\s|\\[,;:! ]|\\q?quad(?![A-Za-z]))+$")
"""Spacing after a left side (`e_k \\;\\leftarrow`), which a name leaves out."""


def _left_as_written(math: str) -> str:
    """The formula's left side as written, without the spacing before its relation."""
    return _TRAILING_SPACE.sub("", _RELATION.split(math.strip(), 1)[0].strip())


def _paired(text: str) -> bool:
    return text.count("{") == text.count("}") and text.count("(") == text.count(")")


def _symbol_name(math: str) -> tuple[str, float] | None:
    """The formula's left side as its name, when that side is one symbol or function (`$H(q, p)$`)."""
    left = _left_as_written(math)
    if not left or len(left) > 30 or not _paired(left):
        return None
    if names_itself(left):
        return f"${left}$", 0.5  # a derivative or a gradient of one symbol names it too
    if not _SYMBOL_SIDE.match(left) and re.search(r"[+\-=]|\\frac|\\cdot|\\sum|\\int|\s\\?[A-Za-z]", left):
        return None  # an expression, not a name
    return f"${left}$", 0.5


_ENDS_ON_TERM = re.compile(r"\*\*[^*]{2,40}\*\*\s*(?:\$[^$]{1,15}\$)?\s*:$")
"""A sentence that ends on its bold term ("Each step applies the **update rule**:"), not one where the
term is only on the way ("divide the logits by a **temperature** $T$ before the softmax:")."""


def _parts_name(
    ctx: SuggestContext,
    cell: Cell,
    lead: str,
    sentence: str,
    block: MarkdownBlock,
    parts: list[tuple[int, int]],
) -> tuple[str, float] | None:
    """A name for a formula asked part by part: the rest of the formula is on the front, so a name
    that is only a symbol is fine, and a wrong name is the one thing to avoid.

    A function with one standard definition on the left (`\\mathrm{softmax}(z / T)_i`) names it; then
    the sentence's name when the sentence is about it (its subject, or no bold term to mislead); then
    the left side itself (`$H(q, p)$`); then what the paragraph or a one-formula section calls it.
    """
    solved = solved_for(block.text)
    if solved is not None:
        # `\\sigma(b) = \\pi \\Longrightarrow b = [...]`: what is solved for names it, not the premise
        return _worked_name(solved)
    if worked_step(block.text):
        # the sentence before a step of algebra says how the step is taken ("Two facts from the
        # definition of variance do it:"), not what the formula is: its left side names it
        return _worked_name(block.text) or _named_nearby(ctx, cell, lead, sentence, block)
    own = name_from_formula(block.text)
    if own is not None and own[1] >= 0.7:
        return own
    from_text = formula_name(sentence) if sentence else None
    bold = re.findall(r"\*\*([^*]{2,40})\*\*", sentence)
    about_it = _SUBJECT.match(sentence.strip()) or _ENDS_ON_TERM.search(sentence.strip())
    if from_text is not None and (not bold or about_it):
        return from_text
    symbol = _pieces_name(block.text, parts)
    if symbol is not None:
        return symbol
    return _named_nearby(ctx, cell, lead, sentence, block)


def _whole_side(
    ctx: SuggestContext, cell: Cell, block: MarkdownBlock, written: list[tuple[tuple[int, int], str, str]]
) -> tuple[int, int] | None:
    """The right side of a display to ask whole, with the left side as its name (see `asked_side`);
    None where another display shares the left side (`written`: every display's sides, by place), or
    where the section heading or the text shown with the card writes it out."""
    if block.text not in cell.source:
        return None
    side = asked_side(block.text)
    here = (cell.index, block.first)
    left = _left_side(block.text)
    if side is None or any(where != here and named == left for where, named, _side in written):
        return None  # `\\Sigma = Q \\Lambda Q^\\top` and later `\\Sigma = L L^\\top`: either fills the gap
    text = block.text[slice(*side)]
    if _in_heading(text, cell.heading_at(block.first)):
        return None
    if _operation_named(text, ctx.shown_context(cell, block.first)):
        return None
    return side


def _worked_name(math: str) -> tuple[str, float] | None:
    """For `a = b = [c]`, a step worked out on the card, the left side as written names it, even an
    expression (`$\\log p_y$`, `$\\frac{\\partial a_i}{\\partial z_j}$`): the step itself is on the front."""
    left = _left_as_written(math)
    if not left or len(left) > 40 or not _paired(left) or "\\\\" in left:
        return None  # `P(r` of `P(r \\le R \\le r + dr) = ...`: a relation inside a bracket cut it
    return f"${left}$", 0.5


def _pieces_name(math: str, parts: list[tuple[int, int]]) -> tuple[str, float] | None:
    """The left sides of the formulas that hold the parts, as the name: of `\\ell = ..., \\qquad
    \\text{acc} = ...` with a part in the second, `$\\text{acc}$` (the first's would name the wrong one)."""
    try:
        pieces = side_by_side(math)
    except Unreadable:
        return None
    holding = [(start, end) for start, end in pieces if any(start <= part[0] < end for part in parts)]
    names = [_symbol_name(math[start:end]) for start, end in holding or pieces[:1]]
    if not names or any(name is None for name in names):
        return None
    return " and ".join(name[0] for name in names if name is not None), 0.5


def _in_heading(part: str, heading: str) -> bool:
    """Does the section heading, shown on every card as its context line, write the part out?"""

    def plain(text: str) -> str:
        text = re.sub(r"\\(?:text|mathrm|operatorname)\s*\{([^{}]*)\}", r"\1", text)
        return re.sub(r"[\s{}$`\\]|\b(?:mathrm|text)\b", "", text).lower()

    return (len(plain(part)) >= 2 and plain(part) in plain(heading)) or _letter_in_heading(part, heading)


GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "varphi": "φ",
    "psi": "ψ",
    "omega": "ω",
    "Sigma": "Σ",
    "Lambda": "Λ",
}
_ONE_LETTER = re.compile(r"\\(?P<name>[A-Za-z]+)(?:\s*[_^](?:\{[^{}]*\}|\w))*(?:\s*\([^()]*\))?\s*")


def _letter_in_heading(part: str, heading: str) -> bool:
    """Is the part one Greek letter, with its scripts or its argument (`\\sigma(W)`, `\\sigma_1`), that the
    heading names ("Dividing by σ", "Dividing by $\\sigma$")? Blind readers found the heading filled
    the gap."""
    match = _ONE_LETTER.fullmatch(part.strip())
    if match is None or match.group("name") not in GREEK:
        return False
    name = match.group("name")
    return GREEK[name] in heading or re.search(rf"\\{name}(?![A-Za-z])", heading) is not None


def _words_beside(math: str, span: tuple[int, int]) -> str:
    """The words the display writes outside the part (`\\text{integrated variance}` on its left)."""
    outside = math[: span[0]] + " " + math[span[1] :]
    return " ".join(re.findall(r"\\(?:text|mathrm|operatorname)\s*\{([^{}]*)\}", outside))


def _operation_named(part: str, context: str) -> bool:
    """Does the card's context line name the operation the part starts with ("log-sum-exp" over a hidden
    `e^{z_i}`)? Blind readers found the title alone filled the gap."""
    words = {word.lower() for word in re.findall(r"[A-Za-z]+", context)}
    return any((written := written_as(word)) is not None and written.match(part.lstrip()) for word in words)


def _several(math: str) -> bool:
    """Does the display hold several formulas side by side (separated by commas or wide spaces)?"""
    from srs.maths.parts import Unreadable, depths, initial_value

    try:
        depth_at = depths(math)
    except Unreadable:
        return True  # brackets that do not pair up: no formula to read
    cuts = [
        m.span()
        for m in re.finditer(r",\s*\\q?quad|\\q?quad|(?<!\\),\s+(?=[A-Za-z\\][^=]{0,12}=)|(?<!\\);", math)
        if depth_at[m.start()] == 0  # a comma inside brackets (`\text{score}(y, v) = ...`) parts no formulas
    ]
    edges = [0, *(edge for span in cuts for edge in span), len(math)]
    parts = [math[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
    # `p(x)\, H(Y \mid X = x)`: a thin space is no comma; `m_0 = 0` beside a recurrence is its start
    return sum(1 for part in parts if _RELATION.search(part) and not initial_value(part)) > 1


def _heading_name(cell: Cell) -> tuple[str, float] | None:
    """The cell's heading as a label for a formula its own sentence introduces ("inverted dropout")."""
    heading = re.sub(r"[`*]", "", cell.heading).split(":")[0].strip()
    if _NOT_A_NOUN_PHRASE.search(heading) or GENERIC_HEADING.match(heading):
        return None  # "Scores are dot products": a claim, not a label; "Exercises": a part of any lesson
    words = heading.split()
    if len(words) > 1 and words[0].lower().endswith("ing") and len(words[0]) > 4:
        return None  # "Checking the properties numerically": what the section does, not what a formula is
    found = _cleaned(heading, 0.5) if heading and len(heading.split()) <= 6 else None
    if found is None:
        return None
    name = found[0]
    first = name.split()[0]
    keep = ACRONYM_START.match(name) or any(c.isupper() for c in first[1:])  # "ReLU", "GELU" keep theirs
    return (name if keep else name[0].lower() + name[1:]), found[1]


ACRONYM_START = re.compile(r"^[A-Z]{2}")
DATA_SECTION = re.compile(
    r"^(?:the |a |an |our |some )?(?:[\w-]+ ){0,2}(?:data|dataset|data set|corpus|samples)$", re.I
)
"""A heading over the lesson's own data ("The data", "A toy dataset"): its formulas make the data."""
NOISE = re.compile(r"\\(?:var)?epsilon|\\sim(?![A-Za-z])|\\mathcal\s*\{?\s*[NU]\b|\bnoise\b")


def _makes_data(math: str, heading: str) -> bool:
    """Is the formula how the lesson draws its data: a random term, under a heading about the data?"""
    title = re.sub(r"[`*]", "", heading).split(":")[0].strip()
    return DATA_SECTION.match(title) is not None and NOISE.search(math) is not None


GENERIC_HEADING = re.compile(
    r"^(?:exercises?|shortcuts|in practice|summary|recap|what we learned|setup|putting it together|"
    r"key (?:points|takeaways)|next steps|further reading)\b",
    re.I,
)
"""Headings every lesson has: they name a part of the lesson, not a formula."""


def _displays_in_section(ctx: SuggestContext, cell: Cell) -> int:
    """How many display formulas the cells under the same heading hold."""
    return sum(
        1
        for other in ctx.lesson.cells
        if other.type == "markdown" and other.heading == cell.heading
        for _lead, block in _displays(ctx.blocks(other))
        if _RELATION.search(block.text)
    )


GAP = "[…]"
SAYS_HOW = re.compile(
    r"\b(?:divid\w*|multipl\w*|subtract\w*|add(?:s|ed|ing)?|sum(?:s|med|ming)?|exponentiat\w*|averag\w*|"
    r"squar\w*|square roots?|scal(?:e|es|ed|ing) (?:by|down|up)|times|minus|plus|negat\w*|clamp\w*|"
    r"product of|difference of|ratio of|against the gradient|fraction|convex combination|weighted average|"
    r"interpolat\w*|blend\w*)\b",
    re.I,
)
"""Words that say how a formula computes: a lead-in using them states the formula in words."""
BACK_REFERENCE = re.compile(
    r"^(?:but|yet|however|the (?:bracket|series|geometric series|sum|term|terms|product|result|expression|"
    r"identity|difference|ratio|numerator|denominator|same|first term|second term|last term|clever\b.*))\b|"
    r"\b(?:does exactly that|the clever choice|as before|this choice|(?:chain|product|quotient) rule gives|"
    r"substitut\w*|plug\w* in|taylor|series|expand\w*|differentiat\w*|move\w* (?:one|the|a|each|it)|"
    r"bring\w*|rearrang\w*|cancel\w*|isolat\w*)\b",
    re.I,
)
"""A lead-in that continues a derivation the card does not show."""
CONDITION_ONLY = re.compile(r"^(?:with|for|given|taking|using)\s.*?\$[^$]+\$[^a-z$]*:?\s*$", re.I)
"""A lead-in that only sets values ("With $m_1 = 0.1g$ and $v_1 = 0.001g^2$:"): which quantity follows?"""
NAME_ONLY_CONFIDENCE = 0.45
WHOLE_CONFIDENCE = 0.45
"""A formula asked whole (not part by part) is shown on request: over four rounds of blind review on new
lessons readers rated 43% of them usable, against 78% of formulas asked part by part (the sentence in
front rarely pins down one form, and a whole formula is often several steps)."""
PARTS_CONFIDENCE = 0.6
WORKED_CONFIDENCE = 0.45
SIDE_CONFIDENCE = 0.35
"""A right side asked whole under its left side, when no sentence names the formula: blind readers rated
2 of 6 usable (`\\Sigma = [Q \\Lambda Q^\\top]`: "`L L^\\top` fits too"; an entropy written with another
convention), so these come only with the weakest kinds."""
_INSTANCE = re.compile(r"\\(?:sum|prod)\s*_\s*(?:\{[^{}]*\}|\w)\s*\^\s*(?:\{\s*\d+\s*\}|\d)")
"""A sum or a product up to a number (`\\sum_{i=1}^{6} w_i x_i`): the formula written for the notebook's
own sizes."""
INSTANCE_CONFIDENCE = 0.45
"""A formula summed up to a number is shown on request: a weighted sum over the notebook's six inputs was
a prerequisite and a detail to both readers of round 52."""
MAX_FRONT_WORDS = 45


def context_front(lead: str, continuation: str) -> str | None:
    """The sentence a formula completes, with a gap where the formula goes, as the card's front.

    "Each extra layer of kernel size $K$ (stride 1) widens the view by $K - 1$, so $n$ layers see [...]
    inputs, the receptive field." states the symbols and the conditions that a bare "What is the formula
    for the receptive field?" leaves out. None when that text points elsewhere or runs too long.
    """
    from srs.suggest.heuristics.terms import leans

    parts = split_sentences(lead)
    if not parts or not parts[-1]:
        return None
    last = parts[-1]
    if len(parts) > 1 and (len(last.split()) < 6 or ("**" not in last and "**" in parts[-2])):
        last = f"{parts[-2]} {last}"  # "A small constant sits under the square root," needs its subject
    after = re.split(r"(?<=[.!?])\s", " ".join(continuation.split()), maxsplit=1)[0] if continuation else ""
    if "**" not in after:
        after = ""  # "and the running variance the same way": more text, no more meaning
    if re.match(r"(?:putting|combining|together|collecting|assembling|chaining)\b", last, re.I):
        return None  # "Putting the pieces together gives ...": the pieces are not on the card
    if re.search(r"\b(?:so|thus|hence|then|gives|giving|than that|by that)\s*:?\s*$", last, re.I):
        return None  # "..., so:": the step from the sentence to the formula is the card's whole content
    if re.search(r"\b(?:that is|this is|each other)\b", last, re.I):
        return None  # "Relative to each other that is a factor of [...]": of what, the card does not say
    if re.search(r"\b(?:and|or|with|plus)\s*$", last, re.I) or re.match(r"both\b", last, re.I):
        return None  # "... are the principal directions and [...]": a list's next item, many fit
    last = re.sub(r"^(?:now|so|then|thus|hence|and|first|finally|next|also)\b,?\s+", "", last, flags=re.I)
    last = sentence_case(last)
    text = f"{last.rstrip()} {GAP}{(' ' + after) if after else ''}".strip()
    plain = re.sub(r"\*\*|`", "", text)
    if leans(plain.replace(GAP, "")) or len(plain.split()) > MAX_FRONT_WORDS or text.count("$") % 2:
        return None
    if PICTURE.search(plain):
        return None  # "the dots sit on the dashed line": the picture is not on the card
    if SAYS_HOW.search(re.sub(r"\$[^$]*\$", " ", last)):
        return None  # "divide by the sum of the exponentials: [...]": the sentence is the formula in words
    if BACK_REFERENCE.match(last) or CONDITION_ONLY.match(last):
        return None  # "The bracket is", "But then", "With $m_1 = 0.1g$:": what they follow is not shown
    if not re.search(r"[.!?]$", text):
        text += "" if text.endswith(GAP) else "."
    return f"{text}\n\nWhich formula fills the gap?"


def _asked_key(part: str) -> str:
    """A part as compared with the parts already asked: `\\pi_k N(x_n)` and `\\pi_k N(x)` are one part."""
    return squeezed(re.sub(r"_\s*(?:\{\s*[A-Za-z]\s*\}|[A-Za-z](?![A-Za-z]))", "", part))


MAX_WEIGHT_CHARS = 4
"""A part that is an asked part times a symbol this short (`\\pi` or `w` in front of it) asks it again."""


def _already_asked(part: str, asked: set[str]) -> bool:
    """Is the part one asked already, or one asked already with a symbol in front of it?"""
    key = _asked_key(part)
    return key in asked or any(
        other in key and len(key.replace(other, "", 1)) <= MAX_WEIGHT_CHARS for other in asked
    )


def _gapped(math: str, parts: list[tuple[int, int]]) -> str:
    """The formula as a card asking its parts shows it: each part a gap."""
    for start, end in sorted(parts, reverse=True):
        math = f"{math[:start]}{GAP}{math[end:]}"
    return squeezed(math)


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A formula card for each display formula a sentence names."""
    known = ctx.existing_text()
    names: set[str] = set()
    formulas: set[str] = set()
    asked: set[str] = set()  # parts already asked: a variant of a formula asks only what is new in it
    fronts: set[str] = set()  # formulas with their parts hidden, as the cards show them
    written = _right_sides(ctx)  # each display's right side, by where it is: a later part may write one out
    for cell in ctx.lesson.cells:
        if cell.type != "markdown":
            continue
        blocks = ctx.blocks(cell)
        covered = ctx.covered_lines(cell)
        for lead, block in _displays(blocks):
            sentence = _last_sentence(lead)
            if "{{c" in block.text or _DERIVATION_STEP.search(block.text):
                continue
            if not _RELATION.search(block.text) or block.first in covered or (block.first - 1) in covered:
                continue
            if _makes_data(block.text, cell.heading_at(block.first)):
                continue  # how the lesson makes its toy data: a detail of the notebook, not an idea
            parts = formula_parts(block.text) if block.text in cell.source else []
            if _several(block.text) and not parts:
                continue  # "Q = XW_Q, \quad K = XW_K, \quad V = XW_V": three formulas, no parts to ask
            if is_mean(block.text):
                continue  # a mean or a variance written out: the definition everyone knows
            if " ".join(block.text.split()) in " ".join(known.split()):
                continue
            from_text = formula_name(sentence) if sentence else None
            if from_text is not None and _bold_names_another_symbol(sentence, block.text):
                from_text = None
            named = (
                from_text or name_from_formula(block.text) or _named_nearby(ctx, cell, lead, sentence, block)
            )
            front = context_front(lead, _continuation(cell, block))
            if named is None and front is not None and not re.search(r"[.!?]\W*$", sentence):
                # the sentence it completes says what it is; the name only labels the card's source
                named = _heading_name(cell)
            parts = [
                span
                for span in parts
                if not _already_asked(block.text[slice(*span)], asked)
                and not _in_heading(block.text[slice(*span)], cell.heading_at(block.first))
                and not _operation_named(
                    block.text[slice(*span)],
                    f"{ctx.shown_context(cell, block.first)} {_words_beside(block.text, span)}",
                )
                and not _written_before(
                    block.text[slice(*span)], written, (cell.index, block.first), _left_side(block.text)
                )
            ]
            if parts:
                named = _parts_name(ctx, cell, lead, sentence, block, parts)
            elif chained_relations(block.text) > 2:
                continue  # `a = b = c = d` asked whole is a derivation of several steps, not one
            whole_side = _whole_side(ctx, cell, block, written) if named is None and not parts else None
            if whole_side is not None:
                # nothing names it and no part stands out, but its left side says what it gives:
                # `\frac{\partial \ell}{\partial z_k} = [p_k - y_k]` asks the right side with the left shown
                parts = [whole_side]
                named = _worked_name(block.text)
            if named is None:
                continue
            name, confidence = named
            math = " ".join(block.text.split())
            label = f"{name.lower()} {front or ''}"
            if label in names or math in formulas:
                continue
            names.add(label)
            formulas.add(math)
            options: tuple[tuple[str, object], ...] = (("card", "formula"), ("name", name))
            if parts:
                asked.update(_asked_key(block.text[slice(*span)]) for span in parts)
                front = _gapped(block.text, parts)
                if front in fronts:
                    continue  # the front of an earlier card with another answer: both would be ambiguous
                fronts.add(front)
                # the formula on the front with one part hidden: the rest of it says which formula is
                # meant, so the name needs to say less than it would alone
                yield Suggestion(
                    cell=cell,
                    kind="formula",
                    # a step of algebra on the front: blind readers rated `(Wx + b) - (Wy + b) = [W(x - y)]`
                    # visible on the card, so these are shown on request
                    confidence=WORKED_CONFIDENCE
                    if worked_step(block.text)
                    else SIDE_CONFIDENCE
                    if whole_side is not None
                    else INSTANCE_CONFIDENCE
                    if _INSTANCE.search(block.text)
                    else max(confidence, PARTS_CONFIDENCE),
                    reason=f"display formula named by its left side ({name}), its right side asked"
                    if whole_side is not None
                    else f"display formula named ({name}), asked part by part",
                    heuristic="formulas",
                    options=options,
                    line=block.first,
                    math=(block.text, with_clozes(block.text, parts)),
                )
                continue
            if front is not None:
                options += (("front", front),)
            elif name.lower() not in STANDARD_FUNCTIONS:
                # "What is the formula for the batch variance?" with nothing else on the front: blind
                # readers found another formula fits the name as often as not (biased or unbiased?)
                confidence = min(confidence, NAME_ONLY_CONFIDENCE)
            if name.lower() not in STANDARD_FUNCTIONS or chained_relations(block.text) > 1:
                # `\\sigma(z) = \\frac{1}{1+e^{-z}} = (1+e^{-z})^{-1}` asked whole holds two answers, and the
                # step between them is not asked (round 49, both readers)
                confidence = min(confidence, WHOLE_CONFIDENCE)
            yield Suggestion(
                cell=cell,
                kind="formula",
                confidence=confidence,
                reason=f'display formula introduced as "{sentence.strip()}"'
                if from_text
                else f"display formula named ({name}) by the function it defines or the text around it",
                heuristic="formulas",
                options=options,
                line=block.first,
            )
