"""The preview page: every card's front and back in deck order, grouped by section, in one HTML file.

The card sides are Anki's own rendering (srs.preview.deck); this module only frames them: a header
per card with its key, kind and cell link, the night-mode and phone-width switches, and MathJax
configured as Anki configures it. Images and MathJax are written beside the page, so the page needs
no network and keeps working when its folder is copied elsewhere.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from srs.core.files import write_text_atomically
from srs.preview.assets import ENTRY, copy_mathjax
from srs.preview.deck import MEDIA_REFERENCE, PreviewCard, PreviewDeck

HERE = Path(__file__).parent


@dataclass(frozen=True)
class PreviewPage:
    """A written preview page."""

    path: Path
    deck_name: str
    card_count: int


def media_folder_for(page: Path) -> Path:
    """The folder beside the page that holds its images: `NAME-media/`."""
    return page.with_name(f"{page.stem}-media")


def write_page(deck: PreviewDeck, page: Path, anki_version: str) -> PreviewPage:
    """Write the page, its images and (once per folder) MathJax."""
    mathjax = copy_mathjax(page.parent)
    media = media_folder_for(page)
    _write_media(deck, media)
    text = render_page(deck, f"{mathjax}/{ENTRY}", media.name, anki_version)
    write_text_atomically(page, text)
    return PreviewPage(page, deck.name, len(deck.cards))


def _write_media(deck: PreviewDeck, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.name not in deck.media:
            stale.unlink()
    for name, data in deck.media.items():
        target = folder / name
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)


def render_page(deck: PreviewDeck, mathjax_src: str, media_folder: str, anki_version: str) -> str:
    """The page's HTML."""
    title = html.escape(deck.name or "deck")
    styles = "\n".join(
        f'<style data-note-type-css="{index}">\n{css}\n</style>' for index, css in enumerate(deck.styles)
    )
    sections = "\n".join(_sections(deck.cards, media_folder))
    count = len(deck.cards)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: {title}</title>
<style>
{_read("page.css")}
</style>
{styles}
<script>
{_read("mathjax-config.js")}
</script>
<script id="MathJax-script" defer src="{html.escape(mathjax_src)}"
  onerror="window.srsPreview &amp;&amp; window.srsPreview.mathjaxMissing()"></script>
</head>
<body class="srs-preview" data-mathjax="loading">
<header class="srs-preview-bar">
<h1>{title}</h1>
<span>{count} card{"s" if count != 1 else ""}</span>
<label><input type="checkbox" id="srs-night"> Night mode</label>
<label><input type="checkbox" id="srs-phone"> Phone width (360 px)</label>
<p class="srs-preview-note">Each card side is rendered by Anki's own template engine
(anki {html.escape(anki_version)}), so fields, templates, CSS and clozes are exactly Anki's; math is
typeset by MathJax 3 set up as Anki sets it up. The frame around the cards (this bar, the headers,
the Front/Back captions) is this page's own.</p>
</header>
<p class="srs-preview-warning" id="srs-mathjax-missing" hidden>MathJax did not load from
{html.escape(mathjax_src)}: copy that folder along with the page, or write the page again with
<code>srs preview</code>.</p>
<p class="srs-preview-warning" id="srs-math-problems" hidden></p>
<main>
{sections}
</main>
<script>
{_read("page.js")}
</script>
</body>
</html>
"""


def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _sections(cards: tuple[PreviewCard, ...], media_folder: str) -> Iterator[str]:
    number = 0
    for index, (section, group) in enumerate(groupby(cards, key=lambda card: card.section), start=1):
        heading = html.escape(section) if section else "(no section)"
        articles = []
        for card in group:
            number += 1
            articles.append(_card(card, number, media_folder))
        body = "\n".join(articles)
        opening = f'<section class="srs-preview-section" id="section-{index}">'
        yield f"{opening}\n<h2>{heading}</h2>\n{body}\n</section>"


def _card(card: PreviewCard, number: int, media_folder: str) -> str:
    template = f"card{card.cloze_number or 1}"
    cloze = f'<span class="srs-preview-cloze">cloze c{card.cloze_number}</span>' if card.cloze_number else ""
    link = (
        f'<a class="srs-preview-cell" href="{html.escape(card.source_url)}">'
        f"{html.escape(card.source_label or 'cell')}</a>"
        if card.source_url
        else ""
    )
    data = json.dumps({"key": card.key, "kind": card.kind, "cloze": card.cloze_number})
    sides = "".join(
        f'<figure class="srs-preview-side" data-side="{side}"><figcaption>{side}</figcaption>'
        f'<div class="card {template}" data-note-type-css="{card.style}">\n'
        f"{_local_media(text, media_folder)}\n</div></figure>"
        for side, text in (("front", card.question), ("back", card.answer))
    )
    return (
        f'<article class="srs-preview-card" id="card-{number}" data-card="{html.escape(data)}">\n'
        f'<header class="srs-preview-meta"><span class="srs-preview-number">#{number}</span>'
        f'<span class="srs-preview-key">{html.escape(card.key)}</span>'
        f'<span class="srs-preview-kind">{html.escape(card.kind)}</span>{cloze}{link}</header>\n'
        f'<ul class="srs-preview-problems" hidden></ul>\n'
        f'<div class="srs-preview-sides">{sides}</div>\n</article>'
    )


def _local_media(side: str, media_folder: str) -> str:
    """Point the side's images at the page's media folder (Anki serves them from its own)."""

    def local(match: re.Match[str]) -> str:
        prefix, quote, name = match.group(1), match.group(2), match.group(3)
        if "/" in name or ":" in name:
            return match.group(0)
        return f"{prefix}{quote}{media_folder}/{name}{quote}"

    return MEDIA_REFERENCE.sub(local, side)
