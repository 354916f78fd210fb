"""A bold term in the sentence that defines it -> a cloze hiding the term.

Lessons bold a key term where they define it: "**Padding** adds P extra values at each end of the
signal." The cloze "{{c1::Padding}} adds P extra values at each end of the signal." asks for the term
from its meaning. Only sentences that stand alone are used, and only bold spans that are terms (a short
noun phrase), not emphasis ("**not**"), labels ("**Before this one:**") or whole claims. The sentence
must say what the term is or does: the term opens it and a verb follows, a colon or "which" defines it,
or the sentence names it ("is called **X**", "...: the **X**.").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.core.model import Cell
from srs.kinds.phrasing import sentence_case
from srs.suggest.giveaway import written_as
from srs.suggest.model import PICTURE, MarkdownBlock, SuggestContext, Suggestion

CONFIDENCE = 0.6
WEAK_CONFIDENCE = 0.45
"""A long sentence or a short everyday word as the term: often several terms fit, so shown on request."""
MIN_WORDS, MAX_WORDS, LONG_WORDS = 8, 40, 30
MAX_TERM_WORDS = 4
GENERIC_LENGTH = 5
"""A one-word lowercase term this short ("bias", "head", "gain") is easily confused with a neighbour."""

BOLD = re.compile(r"\*\*(?P<term>[^*\n]+?)\*\*")
TERM_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")
CLAUSE_WORDS = frozenset(
    {
        "is", "are", "was", "were", "be", "do", "does", "can", "must", "should", "will", "has", "have",
        "not", "no", "never", "what", "how", "why", "when", "which", "you", "we", "this", "that", "it",
    }
)  # fmt: skip
EMPHASIS = frozenset(
    {
        "every", "each", "all", "any", "once", "twice", "after", "before", "last", "first", "only", "both",
        "same", "different", "always", "local", "own", "more", "less", "adds", "decay", "dead", "exactly",
    }
)  # fmt: skip
LEAD = r"(?:(?:[Aa]n?|[Tt]he|[Ee]ach|[Ee]very)\s+)?"
ARTICLE = re.compile(r"^(?:a|an|the)$", re.I)
COPULAS = frozenset({"is", "are", "means", "refers", "can", "cannot", "will", "must", "may", "does"})
NOT_VERBS = frozenset(
    {
        "its", "his", "this", "thus", "plus", "minus", "versus", "as", "was", "across", "always", "less",
        "unless", "loss", "class", "bias", "process", "perhaps", "towards", "afterwards", "sometimes",
    }
)  # fmt: skip
LEANING = re.compile(
    r"\b(?:this|these|those|it|they|them|their|here|earlier|previous(?:ly)?|we saw|as before|instead|also|"
    r"another|the (?:former|latter|table|grid|run|two|same (?:way|reason|idea|trick|fix|approach))|"
    r"such(?! as)|does (?:that|so)|step by step|step \d|collect\w*|"
    r"(?:training|helper|plotting|evaluation) (?:function|loop)|"
    r"our (?:own )?\w*\s?function|(?:first|second|last|other) (?:term|piece|half)|^so\b|"
    r"sections?|(?:cells?|figure|plot|code|output)\s+(?:above|below)|"
    r"(?:of|on|in|at|to|by|for|from|with|around|about|into|through|over|under|along|across|is|are)\s+that|^that)\b",
    re.I,
)
"""Words that point at the text around the sentence: the card would not stand alone (lint's SRS117
pointers, "seen from above" among them, are checked as well)."""
SYMBOL = r"(?:\s*\$[^$]{1,30}\$|\s*\([^()$`]{1,40}\))?"
"""What may follow a term before its verb: its symbol ($\\gamma$) or a parenthesis ((RNN))."""
ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*")
CLOSING = re.compile(r"\{\{c1::[^}]*\}\}[.!]$")
"""A cloze that closes its sentence: the meaning comes before the term."""
NAMING = re.compile(r"\b(?:is|are) (?:called|known as|named)\s+(?:(?:an?|the|its|their)\s+)?\{\{c1::")
"""A sentence that says what it names before the term: the meaning comes first, the term is its name."""


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each bold term in a sentence that defines it."""
    for cell, block, term, (text, words) in _clozes(ctx):
        generic = term.isalpha() and term.islower() and len(term) <= GENERIC_LENGTH
        # one word the sentence does not open with ("units are {{saturated}}", "a weak {{regulariser}}"):
        # blind readers found the words around it either give it away or fit other words as well
        generic = generic or (" " not in term and not ACRONYM.fullmatch(term) and not _opens(text))
        # "A matrix constant along its diagonals is called a {{Toeplitz}} matrix": the sentence names it
        generic = generic and not NAMING.search(text)
        # "..., so the whole forward process is a {{Markov chain}}.": blind readers rated 8 of 16 usable
        # over rounds 38 to 40 (other labels fit a short description), against 19 of 22 for a term that
        # opens its sentence or labels a meaning after it
        closing = CLOSING.search(text) is not None and not NAMING.search(text)
        yield Suggestion(
            cell=cell,
            kind="cloze",
            confidence=WEAK_CONFIDENCE if words > LONG_WORDS or generic or closing else CONFIDENCE,
            reason=f"the sentence that defines **{term}**",
            heuristic="terms",
            line=block.last,
            text=text,
        )


def _parallel(term: str, others: list[str]) -> bool:
    """Does another bold term of the sentence share a word with it (`hard negatives`, `hard positives`)?"""
    words = {w.lower() for w in TERM_WORD.findall(term) if len(w) > 2}
    return any(words & {w.lower() for w in TERM_WORD.findall(other) if len(w) > 2} for other in others)


def _opens(text: str) -> bool:
    """Does the cloze open its sentence, or a clause after a semicolon, with the hidden term?"""
    return re.search(r"(?:^|;\s+)(?:(?:an?|the)\s+)?\{\{c1::", text, re.I) is not None


def _clozes(ctx: SuggestContext) -> Iterator[tuple[Cell, MarkdownBlock, str, tuple[str, int]]]:
    answers = (part for source in ctx.existing for part in source.parts)
    known = " ".join([ctx.existing_text(), *answers]).lower()  # a term may be a card's answer, too
    elsewhere = _asked_elsewhere(ctx)
    seen: set[str] = set()
    names = lesson_names(ctx)
    # headings, tables of contents and key-point lists are not definitions
    for cell, block in ctx.prose_blocks("paragraph"):
        if ctx.overview(cell):
            continue  # the opening previews and the summary restates: each term is defined elsewhere
        for sentence in sentences(block.text):
            if len(BOLD.findall(sentence)) >= 3:
                continue  # a series of terms ("**padding**, **stride**, **channels**") is an overview
            if PICTURE.search(sentence):
                continue  # "the red points inside the blue cloud": the picture is not on the card
            for match in BOLD.finditer(sentence):
                term = match.group("term").strip()
                key = term.lower()
                others = [m.group("term") for m in BOLD.finditer(sentence) if m.span() != match.span()]
                if _parallel(term, others):
                    continue  # "are **hard negatives**, and ... are **hard positives**": each shows the other
                if key in seen or key in known or any(i == cell.index and key in t for i, t in elsewhere):
                    continue
                if gives_away(term, ctx.shown_context(cell, block.first)):
                    continue  # the card shows its lesson's title and heading: they would give it away
                made = cloze_for(sentence, match, names)
                if made is not None:
                    seen.add(key)
                    yield cell, block, term, made


def cloze_for(
    sentence: str, match: re.Match[str], lesson_names: frozenset[str] | None = None
) -> tuple[str, int] | None:
    """The cloze hiding one bold term of a sentence and its word count, or None when it is no definition.

    A sentence too long for a card, or one whose opening leans on the text before it, gives the clause
    that holds the term instead (the part after a colon, or between semicolons).
    """
    term = match.group("term").strip()
    if not is_term(term):
        return None
    if _written_in_symbols(term, sentence):
        # "the **product** of the ratios $\\prod_t r_t$", "**ArviZ** (`az.loo`)"; and a clause that leaves
        # `\\max_D` out of "the **best possible** detective" would be vaguer still
        return None
    made = _cloze(sentence, match.start(), match.end(), lesson_names)
    if made is not None:
        return made
    for clause, offset in _clauses(sentence):
        start, end = match.start() - offset, match.end() - offset
        if start >= 0 and end <= len(clause) and clause != sentence:
            clause = sentence_case(clause)
            return _cloze(
                clause if clause.endswith((".", "!", "?")) else f"{clause}.", start, end, lesson_names
            )
    return None


def _clauses(sentence: str) -> Iterator[tuple[str, int]]:
    """The parts of a sentence between semicolons and after a colon, with where each starts."""
    for piece in re.finditer(r"(?:^|(?<=[;:]\s))[^;:]+", sentence):
        text = piece.group(0).strip()
        if text:
            yield text, piece.start() + (len(piece.group(0)) - len(piece.group(0).lstrip()))


def _cloze(
    sentence: str, start: int, end: int, lesson_names: frozenset[str] | None
) -> tuple[str, int] | None:
    term = sentence[start:end].strip("*").strip()
    before, after = sentence[:start], sentence[end:]
    if not (_defines(before, after) or _explains(before, after)):
        return None
    plain_before, plain_after = _plain(before), _plain(after)
    if gives_away(term, f"{plain_before} {plain_after}") or contrasted(term, f"{plain_before} {plain_after}"):
        return None  # the sentence would give its own answer away ("backpropagation ... **BPTT**")
    if _SUBJECTLESS.match(plain_after):
        return None  # "**Heavy tails**: most are small and a few are large": most of what is not said
    named = re.match(r"\s*\(([^()$`]{1,40})\)", plain_after)
    hidden = term
    if named and (ACRONYM.fullmatch(term) or ACRONYM.fullmatch(named.group(1))):
        # "(RNN)" after a name, or "(low-rank adaptation)" after an acronym, would give it away
        hidden = f"{term} ({named.group(1)})"
        plain_after = plain_after[named.end() :]
    text = f"{plain_before}{{{{c1::{hidden}}}}}{plain_after}".strip()
    text = re.sub(r"\s*:$", ".", text)  # a sentence that led into a formula ends here
    if needs_notebook(text, lesson_names) or _leans_around(plain_before, plain_after):
        # code names and pointers at the text around need the notebook open; but in "That rise is
        # **catastrophic forgetting**: training on a new task ..." the part after the colon stands alone
        meaning = re.fullmatch(r"\s*:\s+(?P<meaning>[^:]+[.!?])", plain_after)
        if meaning is None or needs_notebook(meaning.group(0), lesson_names):
            return None
        if leans(meaning.group("meaning")):
            return None
        text = f"{{{{c1::{sentence_case(hidden)}}}}}: {meaning.group('meaning')}"
    words = _words(text.replace("{{c1::", "").replace("}}", ""))
    if not MIN_WORDS <= words <= MAX_WORDS:
        return None
    if not re.search(r"[.!?][)\"'”’]*$", text) or text.count("(") != text.count(")"):
        return None  # "... for any two inputs," runs on into a formula; "(Another fix is ...": an aside cut
    return text, words


BACK_REFERENCES = re.compile(r"\b(?:it|its|they|them|their)\b", re.I)
OBJECT_PRONOUN = re.compile(
    r"\b(?:for|to|of|with|on|from|about|against|into|solves?|fix(?:es)?)\s+(?:it|them)\b", re.I
)
"""A pronoun after a preposition or a verb of fixing: it names something outside the sentence."""


def _leans_around(before: str, after: str) -> bool:
    """Does the sentence point outside itself? After the term, "it" and "they" refer back to the term;
    "...: this **term**" names what the words before the colon describe."""
    before = re.sub(r"(:\s+)this\s+$", r"\1", before)
    if OBJECT_PRONOUN.search(after):
        return True  # "**Dropout** is a simple fix for it": "it" is what the sentence before described
    return leans(before) or leans(BACK_REFERENCES.sub("", after))


COUNTED = re.compile(
    r"\b(?:two|three|four|five|several|both)\s+(?:\w+\s+){0,3}?\w+\s*:\s+(?:an?\s+|the\s+)?$", re.I
)
"""A colon after a count ("two things in advance:") opens a list, not a definition."""
SOURCE = re.compile(r"(?:from|in|of|per|at|for|on|by|see|as|like|e\.g\.|i\.e\.)\s", re.I)
"""How a parenthesis that says where a thing comes from or where to look opens: no meaning."""


def _explains(before: str, after: str) -> bool:
    """Does the sentence explain the term right after it: an apposition or a parenthesis of several words?

    "most units are **saturated**, sitting on the flat part of tanh where its derivative is nearly zero",
    "the running statistics are **buffers** (saved with the model, never touched by the optimiser)".
    """
    if len(before.split()) < 2:
        return False
    apposition = re.match(
        rf"{SYMBOL},\s+(?:[a-z]+ing|where|whose|which|so that|i\.e\.,?)\s+(?P<rest>[^.;]+)", after
    )
    if apposition and len(apposition.group("rest").split()) >= 4:
        return True
    parenthesis = re.match(r"\s*\((?P<inside>[^()]+)\)", after)
    if parenthesis and len(parenthesis.group("inside").split()) >= 3:
        # "the **mean temperature** (from the weather forecast)": where it comes from, not what it is
        return SOURCE.match(parenthesis.group("inside")) is None
    if re.search(r"\((?:an?\s+|the\s+)?$", before) and after.startswith(")"):
        # "a convolution whose window only looks backwards (a **causal convolution**)"
        return len(before.split()) >= 5
    if re.search(r":\s+this\s+$", before):
        # "Every output uses the same K weights: this **weight sharing** is the whole point."
        return len(before.split()) >= 6
    # the term closes a sentence that describes it: "..., a weak **regulariser**.", "...: three **channels**."
    ends = re.fullmatch(r"\s*[.!]\s*", after) is not None
    clause = re.split(r"[:;]\s+", before)[-1].split()
    return ends and (len(clause) >= 5 or (len(clause) <= 2 and len(before.split()) >= 6))


def lesson_names(ctx: SuggestContext) -> frozenset[str]:
    """The names the lesson's code binds (its variables, functions and classes)."""
    import ast

    found: set[str] = set()
    for _cell, tree in ctx.code_trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                found.add(node.name)
    return frozenset(found)


RUN_DETAIL = re.compile(r"(?<![\w.,-])(?:\d{2,}(?:\.\d+)?|\d\.\d+|-\d+(?:\.\d+)?)(?![\w%])")
"""A number in prose that is not a small count (two digits or more, a decimal, a negative number)."""


def needs_notebook(text: str, names: frozenset[str] | None) -> bool:
    """Does the text hold code that needs the notebook open: a name the lesson's code made (longer than
    one letter, which is as often a symbol), or any code when the names are not known? Library calls
    (`tanh`, `dim=0`, `nn.LayerNorm`) read on their own."""
    prose = re.sub(r"`[^`]*`|\$[^$]*\$", " ", text)
    if RUN_DETAIL.search(prose):
        return True  # "out of 500", "(logit -3 in the table)": a detail of this notebook's run
    spans = re.findall(r"`([^`]+)`", text)
    if names is None:
        return bool(spans)
    made = {name for name in names if len(name) > 1}
    # an attribute (`nn.BatchNorm1d`) is the library's even where the lesson wrote a class of that name
    return any(set(re.findall(r"(?<![.\w])[A-Za-z_]\w*", span)) & made for span in spans)


OPPOSITES = (
    ("input", "output"), ("inputs", "outputs"), ("gather", "scatter"), ("gathers", "scatters"),
    ("larger", "smaller"), ("forward", "backward"), ("encoder", "decoder"), ("training", "test"),
    ("train", "test"), ("row", "column"), ("rows", "columns"), ("reads", "writes"), ("read", "write"),
    ("minimum", "maximum"), ("upper", "lower"), ("left", "right"), ("before", "after"),
    ("precision", "recall"), ("bias", "variance"), ("numerator", "denominator"), ("aleatoric", "epistemic"),
    ("generator", "discriminator"), ("sensitivity", "specificity"), ("vanishing", "exploding"),
    ("underfitting", "overfitting"), ("query", "key"), ("queries", "keys"),
)  # fmt: skip
"""Pairs where one half on the card leaves the other as the only fill."""


def contrasted(term: str, rest: str) -> bool:
    """Does the rest of the sentence give the term away by contrast: its noun with another word in front
    ("**training set**" beside "test set"), or its opposite ("**input**" beside "from the output alone")?"""
    words = term.lower().split()
    head = words[-1]
    if len(words) > 1 and len(head) >= 3 and re.search(rf"\b{re.escape(head)}\b", rest, re.I):
        return True
    said = set(re.findall(r"[a-z]+", rest.lower()))
    return any((a in words and b in said) or (b in words and a in said) for a, b in OPPOSITES)


GIVEAWAY_LETTERS = 6
"""A word of a term this long found elsewhere gives the term away ("recurrent" of "recurrent network");
its last word (its noun) from five letters ("decay" beside "exponential decay")."""


def gives_away(term: str, text: str) -> bool:
    """Does the text hold the term, or a longer word of it ("recurrent" of "recurrent neural network")?"""
    text = text.lower()
    words = term.lower().split()
    long = [w for w in words if len(w) >= GIVEAWAY_LETTERS] + [w for w in words[-1:] if len(w) >= 5]
    return term.lower() in text or any(re.search(rf"\b{re.escape(w)}", text) for w in long)


_SUBJECTLESS = re.compile(
    r"\s*:\s+(?:most|some|many|few|a few|all|both|none|half|each)\s+(?:are|is|were|was|have|has|do|does)\b",
    re.I,
)
"""A meaning after a colon that opens on a quantifier standing for a noun the card does not show."""


def _written_in_symbols(term: str, text: str) -> bool:
    """Does the sentence write the term in symbols: its operation as a LaTeX command (`\\prod` for
    "product"), or its capitals as the prefix of a code name (`az.loo` for "ArviZ")? Both readers of
    round 43 rated such clozes given away."""
    written = written_as(term)
    if written is not None and written.search(text):
        return True
    capitals = "".join(c for c in term if c.isupper()).lower()
    return len(capitals) >= 2 and re.search(rf"`{re.escape(capitals)}\.\w", text, re.I) is not None


ONE_OF_TWO = frozenset(
    {"positive", "negative", "larger", "smaller", "higher", "lower", "increasing", "decreasing"}
    | {"zero", "true", "false", "up", "down", "greater", "less", "above", "below"}
)
"""One-word answers with a single alternative: the card is a coin toss, not a term (both readers, rounds 42
and 43, on "the coefficient is [positive]")."""


def is_term(term: str) -> bool:
    """Is a bold span a term (a short noun phrase), not emphasis, a label or a claim?"""
    words = term.split()
    if not 1 <= len(words) <= MAX_TERM_WORDS or not all(TERM_WORD.fullmatch(w) for w in words):
        return False  # punctuation ("**Before this one:**"), math or code is not a bare term
    lowered = {w.lower() for w in words}
    if lowered & CLAUSE_WORDS or (len(words) == 1 and words[0].lower() in EMPHASIS | ONE_OF_TWO):
        return False
    if words[0].lower() in PREPOSITIONS:
        return False  # "**With a bias column**: ...": a condition set in bold, not a name
    if lowered & DEGREE:
        return False  # "**too large**", "**gradient of exactly zero**": how much, in bold, not a name
    if any(ARTICLE.match(word) for word in words[1:]):
        return False  # "**blind to the units**": a phrase that says a property, not a name
    return not ARTICLE.match(words[0])


PREPOSITIONS = frozenset(
    {"with", "without", "for", "in", "on", "at", "by", "from", "to", "under", "after", "before", "per"}
)
DEGREE = frozenset(
    {"too", "exactly", "very", "much", "far", "quite", "rather", "just", "only", "even", "so", "almost"}
    | {"nearly", "roughly", "barely", "fully", "entirely", "completely", "slightly"}
)
"""First words of a bold phrase that says how much ("**too large**"): emphasis, never a term."""


def _defines(before: str, after: str) -> bool:
    """Does the sentence around a term say what the term is or does?"""
    head = before.strip()
    opens = re.fullmatch(rf"(?:[A-Z][^,.;:]{{0,40}}[,:]\s+)?{LEAD}", before.lstrip()) is not None
    opens = opens or re.search(rf";\s+{LEAD}$", before) is not None  # "...; **Swish** gates by ..."
    if opens and _verb_follows(after):
        return True  # "**Padding** adds ...", "A **recurrent neural network** (RNN) takes ..."
    tail = re.match(rf"{SYMBOL}\s*(?::|\s[—–]|,\s+which\s)\s*(?P<meaning>.*)$", after)
    if tail and len(tail.group("meaning").split()) >= 4:
        return True  # "**binary cross-entropy**: minus the log of ...", "**momentum**, which keeps ..."
    if re.search(r"\b(?:called|known as|named)\s+(?:an?\s+|the\s+)?$", before):
        return True  # "... is called **backpropagation**"
    if re.match(rf"{SYMBOL},\s+(?:an?|the)\s+(?:\S+\s+){{3}}", after):
        return True  # "**AdamW**, the version used to train most transformers, ..."
    if len(head.split()) < 3:
        return False
    if re.search(r"\b(?:is|are|becomes|become)\s+(?:an?|the|its|their|our|[\w’]+['’]s)\s+$", before):
        return True  # "The step size $\eta$ is the **learning rate**."
    if COUNTED.search(before):
        return False  # "we know two things in advance: the **mean temperature** ... and ...": a list
    return re.search(r"[:—–]\s+(?:an?\s+|the\s+)?$", before) is not None and len(head.split()) >= 6


def _verb_follows(after: str) -> bool:
    """Is the first word after a term (its symbol, acronym or ', which' skipped) a verb?"""
    of = r"(?:\s+of\s+(?:an?|the|its|each|every)\s+[a-z]+)?"  # "The **feature mean** of a token is ..."
    match = re.match(rf"{SYMBOL}{of}(?:,\s+which)?\s+(?P<verb>[a-z]+)(?:\s+(?P<next>[a-z]+))?", after)
    if match is None:
        return False
    verb, following = match.group("verb"), match.group("next") or ""
    if verb in COPULAS:
        return True
    if following in {"is", "are", "of"}:
        return False  # "**attention** weights are ..." : the bold word only qualifies a noun
    return len(verb) >= 3 and verb.endswith("s") and not verb.endswith("ss") and verb not in NOT_VERBS


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, joined onto one line; math spans are never cut."""
    from srs.lint.text import MATH

    flat = " ".join(text.split())
    spans = [m.span() for m in MATH.finditer(flat)]
    found, start = [], 0
    for stop in re.finditer(r"[.!?](?:\*\*)?\s+(?=[A-Z*$])", flat):
        end = stop.start() + len(stop.group(0).rstrip())
        if any(a < end <= b for a, b in spans):
            continue
        found.append(flat[start:end].strip())
        start = stop.end()
    found.append(flat[start:].strip())
    return [s for s in found if s]


def leans(text: str) -> bool:
    """Does the text point at the sentences or cells around it?"""
    from srs.lint.notebook_refs import PLACES, POINTING

    return any(rule.search(text) for rule in (LEANING, PLACES, POINTING))


def _plain(text: str) -> str:
    """Text with bold and italic markers removed (other bold terms read as plain words in the cloze);
    code spans are kept as written (`*` in "feeds `*` and `sin`" is an operator, not emphasis)."""
    pieces = re.split(r"(`[^`]*`)", text)
    for index in range(0, len(pieces), 2):
        piece = re.sub(r"\*\*(.+?)\*\*", r"\1", pieces[index])
        pieces[index] = re.sub(r"(?<![\w*$\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", piece)
    return "".join(pieces)


def _words(text: str) -> int:
    from srs.lint.text import CODE_WORD, MATH_WORD, count_words, mask

    return count_words(mask(text, MATH_WORD, CODE_WORD))


def _asked_elsewhere(ctx: SuggestContext) -> set[tuple[int, str]]:
    """(cell, text) pairs of what the markdown heuristics already make cards of at the default threshold.

    A formula named after X, from the same cell, already asks about the term; a cloze of it would be the
    same card again. (Definition questions are shown on request only, and leave a term the cloze asks.)
    """
    from srs.suggest import DEFAULT_MIN_CONFIDENCE
    from srs.suggest.heuristics import formulas

    taken: set[tuple[int, str]] = set()
    for other in formulas.suggest(ctx):
        if other.confidence >= DEFAULT_MIN_CONFIDENCE:
            said = [other.reason, *(str(value) for _, value in other.options), *(other.qa or ())]
            taken.add((other.cell.index, " ".join(said).lower()))
    return taken
