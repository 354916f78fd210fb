"""How srs words the fronts it writes: every generated front is a question that stands on its own.

Authors name formulas and derivations with noun phrases ("keys of all tokens, from their embeddings",
"scaled dot-product attention") or with a question of their own; these helpers turn such a name into
the subject of a question, so the same notebooks get grammatical fronts without any change.
"""

from __future__ import annotations

import re

_DETERMINERS = frozenset(
    {"a", "an", "the", "one", "each", "every", "this", "that", "these", "those", "its", "their", "our"}
)
_POST_MODIFIER = re.compile(r"\b(?:of|for|from|with|that|which|between|per|over|in|on|to|by|when)\b")
"""A phrase such as 'keys of all tokens' names a quantity (it takes 'the'); 'softmax' names a concept."""


def noun_phrase(name: str, quantity: bool = False) -> str:
    """The name as the subject of a question: 'keys of all tokens' -> 'the keys of all tokens'.

    A name with a modifier after its head names a quantity and takes 'the'; a bare name such as
    'scaled dot-product attention' is a concept and stays as it is, unless `quantity` says it is
    asked for as a value.
    """
    name = " ".join(name.split())
    first = name.split(" ", 1)[0]
    possessive = first.endswith(("'s", "’s"))  # "momentum's velocity" takes no article
    if not first or not first[0].islower() or first.lower() in _DETERMINERS or possessive:
        return name
    if quantity or _POST_MODIFIER.search(re.split(r"[,(;:]", name, maxsplit=1)[0]):
        return f"the {name}"
    return name


def is_question(name: str) -> bool:
    """Did the author write the name as a question of their own?"""
    return name.rstrip().endswith("?")


def sentence_case(text: str) -> str:
    """The text with its first letter capitalised (for a label that opens a front)."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


_SELF_NAMED = re.compile(
    r"^(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:rule|law|identity|formula|theorem|equation|definition)s?\b",
    re.IGNORECASE,
)
"""A name whose head already says it is a formula ('the chain rule for ...') is asked for directly."""
_RELATIVE = re.compile(r"\b(?:that|which|whose)\b")
"""A name with a relative clause ('the factor that attention multiplies its scores by') names a value."""


def _formula_subject(name: str) -> tuple[str, str]:
    """How a formula question refers to the name: ('', 'the chain rule ...') or ('formula for ', ...)."""
    if _SELF_NAMED.match(" ".join(name.split())):
        return "", noun_phrase(name, quantity=True)  # "product rule" -> "the product rule"
    phrase = noun_phrase(name)
    if _RELATIVE.search(name):
        return "expression", phrase
    return "formula", phrase


def formula_question(name: str) -> str:
    """'What is the formula for ...?'; 'What is the chain rule for ...?'; 'Which expression gives ...?'"""
    form, phrase = _formula_subject(name)
    if form == "":
        return f"What is {phrase}?"
    if form == "expression":
        return f"Which expression gives {phrase}?"
    return f"What is the formula for {phrase}?"


def formula_gap_question(name: str) -> str:
    """The question above a formula with a part hidden."""
    form, phrase = _formula_subject(name)
    if form == "":
        return f"What is missing from {phrase}?"
    return f"What is missing from the {form} for {phrase}?"


def example_question(name: str, given: str) -> str:
    """'With $d_k = 64$, what is the factor that ...?': a worked value, asked without the formula."""
    return f"With {given}, what is {noun_phrase(name, quantity=True)}?"


def derivation_question(name: str, before: str, because: str | None = None) -> str:
    """The front of a derivation step: one question, whose answer is the single line that follows.

    The step's reason (`because:`), when the author gives one, is on the front, so that only one next
    line is right. A name written as a question is the card's question, with the line reached as its
    given; a noun phrase or a claim ("softmax ignores a shift") labels the derivation.
    """
    how = f"by {_reason(because)}" if because else "in one step"
    if is_question(name):
        return f"{name.strip()} Starting from\n\n$${before}$$\n\nwhich line follows {how}?"
    lead = f"Derivation: {name.strip().rstrip('.')}."
    return f"{lead}\n\nWhich line follows\n\n$${before}$$\n\n{how}?"


def _reason(because: str) -> str:
    """The reason as the object of 'by': 'The exponent rule.' -> 'the exponent rule'."""
    text = because.strip().rstrip(".")
    if text.lower().startswith("by "):
        text = text[3:].lstrip()
    if text[:1].isupper() and not text[1:2].isupper():
        text = text[:1].lower() + text[1:]
    return text
