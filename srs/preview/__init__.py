"""`srs preview`: see every card of a deck as Anki will show it, in one HTML page beside the deck.

deck.py renders the cards with Anki's own engine, assets.py brings MathJax along, page.py writes the
page, watch.py notices a saved notebook. Building the deck itself is srs.build.lesson's work.
"""

from __future__ import annotations

from pathlib import Path

from srs.preview.deck import INSTALL_HINT, PreviewCard, PreviewDeck, PreviewUnavailable, read_preview_deck
from srs.preview.page import PreviewPage, write_page

__all__ = [
    "INSTALL_HINT",
    "PreviewCard",
    "PreviewDeck",
    "PreviewPage",
    "PreviewUnavailable",
    "page_path_for",
    "preview_deck",
    "read_preview_deck",
    "require_preview",
]


def require_preview() -> None:
    """Raise PreviewUnavailable, saying how to install it, when anki or MathJax is missing."""
    from srs.preview.assets import mathjax_distribution

    try:
        import anki  # noqa: F401
    except ImportError:
        raise PreviewUnavailable(
            f"the preview renders cards with Anki's own engine, which is not installed: {INSTALL_HINT}",
            "srs preview",
        ) from None
    mathjax_distribution()


def page_path_for(deck: Path, out_dir: Path | None = None) -> Path:
    """Where a deck's page goes: `NAME.html` beside the deck, or in `out_dir`."""
    return (out_dir or deck.parent) / f"{deck.stem}.html"


def preview_deck(deck: Path, page: Path | None = None) -> PreviewPage:
    """Render every card of a built .apkg with Anki and write the preview page (default: beside it)."""
    require_preview()  # say what is missing before the slower work
    rendered = read_preview_deck(deck)
    return write_page(rendered, page or page_path_for(deck), _anki_version())


def _anki_version() -> str:
    try:
        from anki.buildinfo import version
    except ImportError:  # pragma: no cover - read_preview_deck has already needed anki
        return "unknown"
    return str(version)
