"""Text chunks in PNG images: how a figure carries facts about itself (its smallest text) to the linter.

Standard library only, so the notebook worker can write them without importing anything heavy. A
tEXt chunk is ignored by every viewer and is deterministic, so equal figures stay equal bytes.
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALLEST_TEXT = "srs:smallest-text-px"
"""Height in pixels, at the image's own size, of the smallest text drawn in a figure."""


def add_text(png: bytes, key: str, value: str) -> bytes:
    """The PNG with a tEXt chunk `key`=`value` right after its header (unchanged if not a PNG)."""
    if not png.startswith(SIGNATURE) or len(png) < 33:
        return png
    body = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    header_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    return png[:header_end] + chunk + png[header_end:]


def read_text(png: bytes) -> dict[str, str]:
    """Every tEXt chunk of a PNG, by key (empty for anything that is not a PNG)."""
    found: dict[str, str] = {}
    if not png.startswith(SIGNATURE):
        return found
    at = 8
    while at + 8 <= len(png):
        size = struct.unpack(">I", png[at : at + 4])[0]
        kind = png[at + 4 : at + 8]
        if kind == b"tEXt":
            key, _, value = png[at + 8 : at + 8 + size].partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"IDAT" or kind == b"IEND":
            break  # the text chunks written here come before the image data
        at += 12 + size
    return found


def image_width(png: bytes) -> int | None:
    """The width in pixels from a PNG's header, or None for anything else."""
    if not png.startswith(SIGNATURE) or len(png) < 24:
        return None
    return int(struct.unpack(">I", png[16:20])[0])
