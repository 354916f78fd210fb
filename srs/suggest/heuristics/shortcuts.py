"""The lesson's shortcuts (the library calls that replace what it built by hand) -> cards asking for them.

Lessons end by naming the one-liners to use in real code, as a list ("- `nn.LayerNorm(features)` when
batches are small") or as a table with a "by hand" and a "library" column. A list item that opens with
one call and says what it is for becomes a cloze hiding the call; a table row becomes "Which library
call replaces <by hand>?" with the library cell as the answer. Only sections whose heading says they
hold shortcuts are read, and an item whose other words name the call (or lean on the lesson's own
code) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.kinds.phrasing import sentence_case
from srs.suggest.heuristics.terms import leans, lesson_names, needs_notebook
from srs.suggest.model import SuggestContext, Suggestion, last_line, list_items, split_sentences

CONFIDENCE = 0.55
SECTION = re.compile(r"shortcut|in practice|one-liners|library calls|cheat ?sheet", re.I)
OPENING_CALL = re.compile(
    r"^(?P<bold>\*\*)?`(?P<call>[^`]+)`(?P=bold)?"
    r"(?P<rest>\s+(?:for|when|to|is|are|gives|does|keeps|turns|makes|computes|returns)\b.*|:\s+[a-z$].*)$"
)
"""An item that opens with one call and says what it does: "`F.normalize(z, dim=1)`: divide each row by
its length", "`nn.GELU()` for the exact form"."""
BY_HAND = re.compile(r"by hand|manual|from scratch|ours|hand-written", re.I)
LIBRARY = re.compile(r"library|pytorch|torch|built-in|shortcut|one-liner", re.I)
MIN_WORDS, MAX_WORDS = 5, 35
OURS = re.compile(r"\b(?:our|we|us)\b", re.I)
"""The lesson speaking of itself ("as in our exercises"): the card would need the notebook."""
MAX_CALL_CHARS = 70


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A cloze for each shortcut list item, a question for each row of a by-hand/library table."""
    names = lesson_names(ctx)
    known = ctx.existing_text()
    for cell in ctx.lesson.cells:
        if cell.type != "markdown" or not SECTION.search(cell.heading):
            continue
        for block in ctx.blocks(cell):
            if block.type == "list":
                for item in list_items(block.text):
                    text = item_cloze(item, names)
                    if text is not None and text.split("}}")[0] not in known:
                        yield Suggestion(
                            cell=cell,
                            kind="cloze",
                            confidence=CONFIDENCE,
                            reason="a shortcut the lesson names",
                            heuristic="shortcuts",
                            line=block.last,
                            text=text,
                        )
            elif block.type == "table":
                for question, answer in table_questions(block.text, names):
                    if answer not in known:
                        yield Suggestion(
                            cell=cell,
                            kind="qa",
                            confidence=CONFIDENCE,
                            reason="a row of the lesson's by-hand and library table",
                            heuristic="shortcuts",
                            line=last_line(cell),
                            qa=(question, answer),
                        )


SAME = re.compile(r"\W*(?:just |exactly )?(?:the )?same\b", re.I)
"""A purpose that opens "the same ..." says what the item before does, which the card does not show."""


def item_cloze(item: str, names: frozenset[str] = frozenset()) -> str | None:
    """ "- `call` for/when ..." or "- `call`: what it does" as a cloze hiding the call, first clause only."""
    clause = (split_sentences(re.split(r";\s+", item)[0]) or [""])[0].rstrip(".") + "."
    match = OPENING_CALL.match(clause)
    if match is None:
        return None
    call, rest = match.group("call"), match.group("rest")
    if len(call) > MAX_CALL_CHARS or "`" in rest or needs_notebook(f"`{call}`", names):
        return None  # a second call, or the lesson's own code
    path = re.split(r"[(\[]", call, maxsplit=1)[0]
    if path.count(".") >= 2 and not path.startswith(("torch.", "np.", "numpy.", "F.", "nn.")):
        return None  # `torchmetrics.classification.BinaryAUROC`: another library's module path is trivia
    if leans(rest) or OURS.search(rest) or SAME.match(rest):
        return None  # a pointer at the lesson ("as in our exercises") or at the item before ("the same as")
    if _named_in(call, rest):
        return None  # "`x.transpose(1, 2)` before a Conv1d": the rest says it
    if not MIN_WORDS <= len(rest.split()) <= MAX_WORDS:
        return None
    return hide_name(call) + rest


def hide_name(call: str) -> str:
    """The call in code with only its function's name as the cloze: the module path and the arguments
    stay shown (`torch.`, `(b, L)`). Blind readers rated a whole dotted path or the order of the
    arguments to recall trivia (`torch.nn.utils.parametrize.remove_parametrizations(module, "weight")`)."""
    head, bracket, arguments = call.partition("(")
    prefix, dot, name = head.rpartition(".")
    shown_before = f"`{prefix}{dot}`" if dot else ""
    shown_after = f"`{bracket}{arguments}`" if bracket else ""
    return f"{shown_before}{{{{c1::`{name}`}}}}{shown_after}"


def table_questions(text: str, names: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """Question and answer for each row of a two-column table headed "by hand | library"."""
    rows = [_cells(line) for line in text.splitlines() if line.strip().startswith("|")]
    if len(rows) < 3 or len(rows[0]) != 2 or not re.fullmatch(r"[\s:|-]+", text.splitlines()[1]):
        return
    hand, library = rows[0]
    if not BY_HAND.search(hand) or not LIBRARY.search(library):
        return
    for by_hand, call in rows[2:]:
        if not by_hand or not call or "`" not in call or needs_notebook(by_hand + call, names):
            continue
        if leans(by_hand) or leans(call) or _named_in(_first_code(call), by_hand):
            continue
        if _CHAINED.search(_first_code(call)):
            continue  # `Normal(mu, sigma).log_prob(x).exp()`: three steps, not one call (round 48)
        # "Which library call does this:" named no library, and both readers of round 48 called it awkward
        library = _library(_first_code(call))
        if by_hand.startswith("`") and by_hand.endswith("`"):
            question = f"Which {library} call replaces {by_hand}, written by hand?"
        else:
            # "Which PyTorch call computes $\\log\\sigma(s)$?", but "handles masking whole channels?"
            verb = "handles" if re.match(r"[a-z]+ing\b", by_hand) else "computes"
            question = f"Which {library} call {verb} {by_hand}?"
        yield question, sentence_case(call)


_CHAINED = re.compile(r"\)\s*\.\s*\w+\s*\([^()]*\)\s*\.\s*\w+\s*\(")
"""A call followed by two more method calls on its result."""
_LIBRARIES = (
    (re.compile(r"^(?:torch|nn|F|optim)\."), "PyTorch"),
    (re.compile(r"^(?:np|numpy)\."), "NumPy"),
    (re.compile(r"^scipy\."), "SciPy"),
    (re.compile(r"^(?:sklearn|scikit)"), "scikit-learn"),
)


def _library(call: str) -> str:
    """The library a call belongs to, by its module prefix ("library" where the prefix says none)."""
    return next((name for prefix, name in _LIBRARIES if prefix.match(call.strip())), "library")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _first_code(text: str) -> str:
    found = re.search(r"`([^`]+)`", text)
    return found.group(1) if found else text


def _named_in(call: str, text: str) -> bool:
    """Does the text name the call's own function or class ("Conv1d" of `nn.Conv1d(...)`)?"""
    head = re.split(r"[(\[]", call, maxsplit=1)[0].split(".")[-1]
    return len(head) >= 3 and re.search(rf"\b{re.escape(head.lower())}", text.lower()) is not None
