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


def formula_question(name: str) -> str:
    """'What is the formula for ...?'"""
    return f"What is the formula for {noun_phrase(name)}?"


def formula_gap_question(name: str) -> str:
    """The question above a formula with a part hidden."""
    return f"What is missing from the formula for {noun_phrase(name)}?"


def example_question(name: str, given: str) -> str:
    """'With $d_k = 64$, what is the factor that ...?': a worked value, asked without the formula."""
    return f"With {given}, what is {noun_phrase(name, quantity=True)}?"


def derivation_question(name: str, before: str) -> str:
    """The front of a derivation step: what is derived, the expression reached, and the question."""
    # a name may be a noun phrase ("log-softmax") or a claim ("softmax ignores a shift"): a label fits both
    lead = name.strip() if is_question(name) else f"Derivation: {name.strip().rstrip('.')}."
    return f"{lead}\n\nFrom\n\n$${before}$$\n\nwhat is the next step?"
