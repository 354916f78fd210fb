"""A plot whose labels say what it shows and whose next paragraph says what to see -> a figure card.

The front asks what the plot looks like, from its title or axis labels; the back is the picture
and the first sentence of the paragraph that explains it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from srs.core.model import Cell
from srs.suggest.heuristics.numbers import TRANSITION
from srs.suggest.model import SuggestContext, Suggestion

PLOTS = re.compile(r"\bplt\.|\.plot\(|\.imshow\(|\.scatter\(|\.hist\(|\.bar\(|\.contour|plot_\w+\(")
_TEXT = r"\(\s*[rf]?(['\"])(?P<text>.+?)\1"
TITLE = re.compile(r"(?:\btitle|set_title|suptitle)" + _TEXT + r"|\btitle\s*=\s*[rf]?(['\"])(?P<kw>.+?)\2")
XLABEL = re.compile(r"(?:xlabel|set_xlabel)" + _TEXT)
YLABEL = re.compile(r"(?:ylabel|set_ylabel)" + _TEXT)
SEEING = re.compile(
    r"\b(?:rises?|falls?|grows?|shrinks?|decays?|flat|flattens?|bends?|steep\w*|saturat\w*|plunges?|"
    r"approach\w*|drops?|climbs?|levels? off|plateaus?|oscillat\w*|diverges?|converges?|zig-?zags?|"
    r"stays?|remains?|smooth\w*|noisy|spikes?|jagged|exponential\w*|linearly|sharp\w*|symmetric|"
    r"overlap\w*|shift\w*|cent(?:er|re)d|collapses?|explodes?|vanish\w*|widens?|narrows?)\b",
    re.I,
)
"""Words that describe how a curve or a picture looks: the explanation a figure's back needs."""


def wants_figures(cell: Cell) -> bool:
    """Does the cell look like it draws a plot (so the run should keep its figures)?"""
    return cell.type == "code" and bool(PLOTS.search(cell.source))


def _label(pattern: re.Pattern[str], code: str) -> str | None:
    match = pattern.search(code)
    if match is None:
        return None
    text = match.groupdict().get("text") or match.groupdict().get("kw") or ""
    return None if "{" in text or not text.strip() else text.strip()


def front_for(code: str) -> str | None:
    """A question about the plot, from its axis labels or its title."""
    x, y, title = _label(XLABEL, code), _label(YLABEL, code), _label(TITLE, code)
    if x and y:
        return f"What does a plot of {_lowered(y)} against {_lowered(x)} look like?"
    if title and not _states(title):
        return f"What does a plot of {_lowered(title)} look like?"
    return None


def _states(title: str) -> bool:
    """Is the title a claim ("pos_weight slides the boundary toward the majority"), not a name of what is
    plotted? A verb in -s before its object gives it away; the front would carry its own answer."""
    return re.search(r"\b[a-z]{3,}(?<![su])s (?:the|a|an|its|their|up|down|towards?)\b", title) is not None


def _lowered(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower():
        first = first.lower()
    return f"{first} {rest}".strip()


MAX_BACK_WORDS = 15


def what_it_shows(paragraph: str) -> str:
    """The first short sentence (or first clause) of the first two that says what the plot shows."""
    flat = " ".join(paragraph.split())
    sentences = [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z$*`])", flat) if part][:2]
    for sentence in sentences:
        if TRANSITION.match(sentence) or not SEEING.search(sentence) or sentence.endswith(":"):
            continue
        if len(sentence.split()) <= MAX_BACK_WORDS:
            return sentence
        clause = re.split(r"[;:]\s+|,\s+(?:so|while|but|and then)\s+", sentence)[0].rstrip(",") + "."
        if len(clause.split()) <= MAX_BACK_WORDS and SEEING.search(clause) and len(clause.split()) >= 4:
            return clause
    return ""


CURVE_LABEL = re.compile(r"\blabel\s*=\s*[rf]?(['\"])(?P<label>[^'\"{}]{2,30})\1")
MAX_COMPARED_WORDS = 25


def compared_curves(code: str, paragraph: str) -> tuple[list[str], str] | None:
    """The curves' labels and the sentence that says how each looks, when one sentence covers them all.

    "The plain activations grow exponentially with depth, while the normalized ones stay flat." covers
    the curves labelled "plain" and "layer norm": with the labels on the front, it is the one answer.
    """
    labels = list(dict.fromkeys(m.group("label").strip() for m in CURVE_LABEL.finditer(code)))
    if not 2 <= len(labels) <= 3:
        return None
    flat = " ".join(paragraph.split())
    for sentence in [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z$*`])", flat) if part][:2]:
        if TRANSITION.match(sentence) or not SEEING.search(sentence) or sentence.endswith(":"):
            continue
        if len(sentence.split()) > MAX_COMPARED_WORDS:
            continue
        words = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", sentence)]
        if all(_mentioned(label, words) for label in labels):
            return labels, sentence
    return None


def _mentioned(label: str, words: list[str]) -> bool:
    """Does a word of the label (or its stem: 'norm' in 'normalized') appear among the sentence's words?"""
    return any(
        any(word.startswith(part.lower()[:4]) for word in words)
        for part in re.findall(r"[A-Za-z]{4,}", label)
    )


def _joined(labels: list[str]) -> str:
    quoted = [f'"{label}"' for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" and {quoted[-1]}"


def suggest(ctx: SuggestContext) -> Iterator[Suggestion]:
    """A figure card for each explained plot with labels."""
    for cell, result in ctx.code_cells():
        if not result.figures:
            continue
        front = front_for(cell.source)
        following = ctx.next_cell(cell)
        if front is None or following is None or following.type != "markdown":
            continue
        blocks = ctx.blocks(following)
        paragraph = blocks[0].text if blocks and blocks[0].type == "paragraph" else ""
        # "What does the plot look like?" has many right answers (decreasing, convex, zero at 1): blind
        # readers rated it unusable unless the front names the curves it compares
        confidence = 0.45
        explanation = what_it_shows(paragraph)
        compared = compared_curves(cell.source, paragraph)
        if compared is not None:
            labels, explanation = compared
            front = f"{front.rstrip('?')}, for {_joined(labels)}?"
            confidence = 0.55
        if not explanation:
            continue
        yield Suggestion(
            cell=cell,
            kind="figure",
            confidence=confidence,
            reason="a labelled plot that the next paragraph explains",
            heuristic="figures",
            options=(("card", "figure"), ("front", front), ("back", explanation)),
        )
