"""Does a suggested card show its own answer? The words it hides, looked for in what its front shows.

Blind readers rated most cards whose front names the answer unusable: "normalises each feature with the
mean and variance across the batch" over a hidden BatchNorm, a hint "(search "REINFORCE ...")" beside a
hidden REINFORCE. A card's front is its text without the hidden part, plus the context line (the
lesson's title and the section's heading). A hidden word is shown when a word of the front starts the
same way (`norm` in "normalises") or a symbol's subscript shortens it (`$B_\\text{eff}$` for
"effective"); the card gives itself away when a long or capitalised hidden word is shown, or every hidden
word is.
"""

from __future__ import annotations

import re

from srs.suggest.model import Suggestion

CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
STOP = frozenset(
    {"the", "a", "an", "of", "to", "in", "on", "for", "with", "by", "and", "or", "is", "are", "be", "as"}
    | {"at", "from", "its", "it", "this", "that", "than", "into", "per", "each", "one", "two", "not", "no"}
    | {"all", "any", "can"}
)
PREFIX = 5
"""Two words are the same word when they are equal (`ctc`) or share their first letters this far (or the
shorter's length, at least four): `normalises` shows `norm`, `mixing` does not show `mixup`."""
DISTINCT = 6
"""A hidden word this long, or an acronym, says the answer by itself when the front shows it."""
MAX_ANSWER_WORDS = 6
"""A question's answer longer than this is an explanation, whose words the question may well share."""
_NAMED = r"\\(?:mathrm|operatorname|text)\s*\{\s*"
_EXPONENTIAL, _ROOT, _EXPECTED = r"e\s*\^|\\exp", r"\\sqrt", r"\\mathbb\s*\{?\s*E"
_NORMAL = r"\\mathcal\s*\{?\s*N"
_OPTIMUM = r"\\(?:max|min|arg\s*\\?(?:max|min)|operatorname\s*\{\s*arg\s*(?:max|min)\s*\})"
_WRITTEN = {
    "exp": _EXPONENTIAL, "exponential": _EXPONENTIAL, "log": r"\\log", "logarithm": r"\\log",
    "sqrt": _ROOT, "root": _ROOT, "square root": _ROOT,
    "tanh": r"\\tanh", "cosine": r"\\cos", "sine": r"\\sin", "gaussian": _NORMAL,
    "softmax": _NAMED + r"softmax\s*\}", "sign": _NAMED + r"sign\s*\}|\\sgn",
    "variance": _NAMED + r"Var\s*\}",
    "product": r"\\(?:prod|cdot|times)", "sum": r"\\sum", "integral": r"\\int",
    "maximum": r"\\max", "minimum": r"\\min", "gradient": r"\\nabla", "partial derivative": r"\\partial",
    "expectation": _EXPECTED, "expected value": _EXPECTED,
    "normal": _NORMAL, "normal distribution": _NORMAL, "gaussian distribution": _NORMAL,
    "best": _OPTIMUM, "best possible": _OPTIMUM, "optimal": _OPTIMUM, "optimum": _OPTIMUM,
    "largest": r"\\max", "highest": r"\\max", "smallest": r"\\min", "lowest": r"\\min",
}  # fmt: skip
WRITTEN_AS = {name: re.compile(rf"(?:{latex})(?![A-Za-z])") for name, latex in _WRITTEN.items()}
"""How an operation a text names is written in LaTeX: "log-sum-exp" over a hidden `e^{z_i}`, "product"
beside `\\prod_t r_t`. Blind readers found the name alone filled the gap, and the symbol alone the name."""


def written_as(name: str) -> re.Pattern[str] | None:
    """The LaTeX that writes the operation a word or term names ("gaussians" too), or None."""
    name = name.lower()
    return WRITTEN_AS.get(name) or WRITTEN_AS.get(name.removesuffix("s"))


def gives_itself_away(suggestion: Suggestion, context: str) -> bool:
    """Does the suggestion's front (with the context line `context`) show what it hides?"""
    found = _hidden_and_shown(suggestion)
    if found is None:
        return False
    hidden, shown = found
    hidden_words = _words(hidden)
    shown_words = _words(f"{shown} {context}")
    named = _called_name(hidden)
    if not hidden_words and named:
        # a hidden library call is shown when every word of its name is (`nn.Dropout` in a lesson on
        # dropout), not when one is (`nn.AlphaDropout` says more than "dropout")
        return all(any(_same(word, other) for other in shown_words) for word in named)
    if not hidden_words:
        return False
    if any(_spelled_out(word, f"{shown} {context}") for word in re.findall(r"\b[A-Z]{2,6}\b", hidden)):
        return True  # `LAC` beside "least ambiguous set-valued classifier"
    short = _abbreviations(f"{shown} {context}")
    seen = [
        word
        for word in hidden_words
        if any(_same(word, other) for other in shown_words) or any(word.lower().startswith(a) for a in short)
    ]
    distinct = [w for w in seen if len(w) >= DISTINCT or w.isupper()]
    return bool(distinct) or len(seen) == len(hidden_words)


def _hidden_and_shown(suggestion: Suggestion) -> tuple[str, str] | None:
    if suggestion.kind == "cloze" and suggestion.text:
        hidden = " ".join(CLOZE.findall(suggestion.text))
        if "$" in hidden:
            return None  # a relation's hidden side: symbols, not words
        return hidden, CLOZE.sub(" ", suggestion.text)
    if suggestion.kind == "qa" and suggestion.qa:
        question, answer = suggestion.qa
        if len(answer.split()) > MAX_ANSWER_WORDS:
            return None
        return answer, question
    return None


def _called_name(hidden: str) -> list[str]:
    """The words of the name a hidden code span calls or names (`nn.LayerNorm(d)`: layer, norm)."""
    spans = re.findall(r"`([^`]+)`", hidden)
    if len(spans) != 1 or re.sub(r"`[^`]*`", "", hidden).strip():
        return []
    name = re.split(r"[(\[]", spans[0].strip(), maxsplit=1)[0].split(".")[-1]
    parts = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_", " ", name).split()  # CTCLoss: ctc, loss
    return [part.lower() for part in parts if len(part) >= 3]


def _spelled_out(word: str, text: str) -> bool:
    """Is the word an acronym whose letters start words of the text in a row (one word may be skipped:
    "least ambiguous set-valued classifier" spells LAC)?"""
    if not (word.isupper() and 2 <= len(word) <= 6):
        return False
    initials = [w[0].upper() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if len(w) > 1]
    for start in range(len(initials)):
        window = initials[start : start + len(word) + (len(word) > 2)]
        if window[:1] != [word[0]]:
            continue
        letters = iter(window)
        if all(letter in letters for letter in word) and len(window) >= len(word):
            return True
    return False


def _abbreviations(text: str) -> set[str]:
    """Words a symbol's subscript shortens (`eff` of `$B_\\text{eff}$`): `effective` is shown by it."""
    found = set()
    for math in re.findall(r"\$([^$]*)\$", text):
        for sub in re.findall(r"_\{?\s*(?:\\(?:text|mathrm|operatorname)\s*\{)?([A-Za-z]{3,})", math):
            found.add(sub.lower())
    return found


def _words(text: str) -> list[str]:
    text = re.sub(r"\$[^$]*\$|`[^`]*`", " ", text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)  # BatchNorm: batch, norm
    found = [w.strip("'") for w in WORD.findall(text.replace("-", " "))]
    kept = [w for w in found if len(w) >= 3 and w.lower() not in STOP]
    return [w if w.isupper() and len(w) >= 4 else w.lower() for w in kept]


def _same(word: str, other: str) -> bool:
    a, b = word.lower(), other.lower()
    reach = min(PREFIX, len(a), len(b))
    return a == b or (reach >= 4 and a[:reach] == b[:reach])
