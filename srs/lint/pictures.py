"""SRS119: a picture whose smallest text is too small to read on a phone.

Anki shows a picture at its own size, shrunk to the card's width when wider. On a 360-px-wide phone
the card leaves PHONE_TEXT_WIDTH CSS pixels; text that ends up under MIN_TEXT_PX there cannot be read
without zooming. Shape diagrams are SVG (their text sizes are in the file); a lesson's figures carry
the size of their smallest text in a PNG text chunk written when they are drawn.
"""

from __future__ import annotations

import re

from srs.core.model import Card, Media
from srs.core.pngtext import SMALLEST_TEXT, image_width, read_text
from srs.lint.rule import RuleContext
from srs.render.diagrams import MIN_TEXT_PX, PHONE_TEXT_WIDTH

SVG_WIDTH = re.compile(r"<svg\b[^>]*?\bwidth=\"([\d.]+)(pt|px)?\"")
SVG_VIEWBOX = re.compile(r"<svg\b[^>]*?\bviewBox=\"[\d.\-]+\s+[\d.\-]+\s+([\d.]+)\s+[\d.]+\"")
SVG_FONT = re.compile(r"font-size:\s*([\d.]+)(?:px)?|font-size=\"([\d.]+)")
CSS_PX = {"pt": 4 / 3, "px": 1.0, None: 1.0}


def check_picture_text(card: Card, ctx: RuleContext) -> list[str]:
    """SRS119: a picture's smallest text would be under MIN_TEXT_PX on a phone."""
    messages = []
    for media in card.media:
        size = smallest_text_on_phone(media)
        if size is not None and size < MIN_TEXT_PX:
            messages.append(
                f"the smallest text of picture {media.name} would be {size:.1f} px on a 360-px phone screen "
                f"(under {MIN_TEXT_PX:g} px); draw it narrower or with larger text "
                "(for a matplotlib figure: a smaller figsize, or a larger font size)"
            )
    return messages


def smallest_text_on_phone(media: Media) -> float | None:
    """Height in CSS pixels of the picture's smallest text on a phone, or None when unknown."""
    if media.name.endswith(".svg"):
        return _svg(media.data.decode("utf-8", errors="replace"))
    if media.name.endswith(".png"):
        return _png(media.data)
    return None


def _svg(svg: str) -> float | None:
    width, box = SVG_WIDTH.search(svg), SVG_VIEWBOX.search(svg)
    fonts = [float(a or b) for a, b in SVG_FONT.findall(svg)]
    if width is None or not fonts:
        return None
    shown = float(width.group(1)) * CSS_PX[width.group(2)]
    units = float(box.group(1)) if box else float(width.group(1))
    # font sizes are in the drawing's own units; the drawing is shown at min(its size, the phone's room)
    return min(fonts) * min(shown, PHONE_TEXT_WIDTH) / units


def _png(png: bytes) -> float | None:
    smallest, width = read_text(png).get(SMALLEST_TEXT), image_width(png)
    if smallest is None or not width:
        return None
    return float(smallest) * min(width, PHONE_TEXT_WIDTH) / width
