"""What the rules count as a word, a content word and a sentence in card text.

Math, code and HTML say things words cannot be counted on, so they are masked before counting:
removed for word counts, replaced by a placeholder word where a rule needs to know something stood there.
"""

from __future__ import annotations

import re

MATH = re.compile(
    r"\$\$.+?\$\$"
    r"|\\\[.+?\\\]"
    r"|\\\(.+?\\\)"
    r"|\\begin\{([A-Za-z]+\*?)\}.*?\\end\{\1\}"
    r"|(?<![\\$])\$(?:\\.|[^$\\])+?\$",
    re.DOTALL,
)
CODE = re.compile(r"```.*?```|~~~.*?~~~|(`+)(?:(?!\1).)+?\1", re.DOTALL)
HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)
WORD = re.compile(r"[^\W_](?:[\w'’]|[.,\-](?=[^\W_]))*")

MATH_WORD = "MATHSPAN"
CODE_WORD = "CODESPAN"
PLACEHOLDERS = frozenset({MATH_WORD.lower(), CODE_WORD.lower()})

# fmt: off
STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "of", "to", "in",
    "on", "at", "by", "for", "from", "with", "without", "into", "onto", "over", "under", "about", "as",
    "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "has", "have",
    "had", "having", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "not",
    "no", "yes", "true", "false", "it", "its", "it's", "this", "that", "these", "those", "they", "them",
    "their", "there", "here", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "one", "ones",
    "some", "any", "each", "every", "all", "both", "either", "neither", "such", "same", "other",
    "another", "more", "most", "less", "least", "very", "much", "many", "few", "just", "only", "also",
    "too", "again", "once", "up", "down", "out", "off", "per", "via", "vs", "versus"
})
"""Words that carry grammar rather than content."""
# fmt: on


def mask(text: str, math: str = " ", code: str = " ") -> str:
    """The text with code and math replaced (by a space unless told otherwise) and HTML tags removed."""
    text = CODE.sub(f" {code} " if code.strip() else " ", text)
    text = MATH.sub(f" {math} " if math.strip() else " ", text)
    return HTML.sub(" ", text)


def words(text: str) -> list[str]:
    """The prose words of a text, leaving out math, code and HTML."""
    return WORD.findall(mask(text))


def count_words(text: str) -> int:
    """How many prose words a text has (math, code spans and HTML tags do not count)."""
    return len(words(text))


def tokens(text: str) -> list[str]:
    """Words in order, with each math or code span kept as one placeholder word."""
    return WORD.findall(mask(text, MATH_WORD, CODE_WORD))


def is_content_word(word: str) -> bool:
    """Does a word carry meaning of its own (not grammar, not a placeholder, not a lone digit)?"""
    lowered = word.lower()
    if lowered in STOPWORDS or lowered in PLACEHOLDERS:
        return False
    return len(lowered) >= 3 or (len(lowered) == 2 and any(char.isdigit() for char in lowered))


def content_words(text: str) -> list[str]:
    """The lower-cased content words of a text's prose, in order."""
    return [word.lower() for word in words(text) if is_content_word(word)]


def normalise(text: str) -> str:
    """Lower-case with runs of whitespace collapsed, for comparing texts."""
    return " ".join(text.lower().split())


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")


def sentences(text: str) -> list[str]:
    """The text cut at sentence ends, blank lines and list items (callers mask what must not be cut)."""
    return [part for part in SENTENCE_END.split(text) if part.strip()]


def question_sentence(text: str) -> str:
    """The sentence that asks: the last one ending in '?', else the whole text."""
    masked = mask(text, MATH_WORD, CODE_WORD)
    asking = [part for part in sentences(masked) if part.rstrip().endswith("?")]
    return asking[-1].strip() if asking else masked.strip()


def first_word(text: str) -> str:
    """The first word of a text, lower-cased ('' when it has none)."""
    found = WORD.findall(text)
    return found[0].lower() if found else ""
