"""Shape diagrams: the tensors a statement reads and the one it makes, drawn as sized blocks.

The SVG is deterministic (fixed hash salt, no date or creator metadata, text kept as text), so the
same shapes always give the same bytes and therefore the same media name. The drawing sits on a
rounded light card, which reads the same in Anki's day and night modes.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from srs.core.model import Media

UNIT = 0.2
"""Inches per element along a dimension (before large dimensions are compressed)."""

MIN_UNIT = 0.06
"""The least a wide block's elements shrink to so that it fits a phone-wide row."""

EXACT_LIMIT = 8
"""Dimensions up to this size are drawn to scale, one grid cell per element."""

MAX_UNITS = 14.0
"""The longest a side can get, in elements, however large the dimension."""

FONT_SIZE = 10.0
SMALL_FONT_SIZE = FONT_SIZE - 1
"""Edge labels and dimension names: the smallest text of a diagram."""
PHONE_TEXT_WIDTH = 322
"""CSS pixels a picture gets on a 360-px-wide phone screen (the card's padding of 19 px each side)."""
MIN_TEXT_PX = 9
"""The smallest text a reader can take in at arm's length on a phone, in CSS pixels."""
MAX_WIDTH = PHONE_TEXT_WIDTH * SMALL_FONT_SIZE / MIN_TEXT_PX / 72
"""Widest drawing (inches) whose smallest text is still MIN_TEXT_PX on a phone (SVG units are points)."""
ROW_GAP = 0.1
LAYOUT = "rows-for-phones"
"""Names the drawing's layout in the memo key, so a kept diagram drawn by an older layout is redrawn."""
GAP = 0.35
ARROW = 0.6
PAD = 0.2
STACK_STEP = 0.09
LINE = 0.22

TEXT = "#1f2933"
MUTED = "#52606d"
CARD_FILL = "#f4f6f9"
CARD_EDGE = "#cfd6df"
OPERAND_FILL, OPERAND_EDGE = "#7ba7d9", "#3d6da6"
RESULT_FILL, RESULT_EDGE = "#efa864", "#b4661f"

_RC = {
    "svg.hashsalt": "srs-shape-diagram",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.monospace": ["DejaVu Sans Mono"],
}


@dataclass(frozen=True)
class Block:
    """One tensor in a diagram: its name, its shape and (optionally) a name per dimension."""

    label: str
    shape: tuple[int, ...]
    dims: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Layout:
    """Where one block goes and how big it is, in inches."""

    block: Block
    width: float
    height: float
    shadows: int
    slot: float


def render_shape_diagram(operands: Sequence[Block], result: Block, title: str = "") -> Media:
    """Draw `operands -> result` (just the result when there are no operands) as a content-named SVG.

    The same blocks always give the same drawing, so a build keeps it for the next one.
    """
    from srs.core.memo import remembered

    key = [[dataclasses.asdict(block) for block in operands], dataclasses.asdict(result), title, LAYOUT]
    return remembered("diagram", key, lambda: _render(operands, result, title), _media_json, _media)


def _media_json(media: Media) -> dict[str, str]:
    return {"name": media.name, "data": base64.b64encode(media.data).decode("ascii")}


def _media(kept: Any) -> Media:
    return Media(str(kept["name"]), base64.b64decode(kept["data"]))


def _render(operands: Sequence[Block], result: Block, title: str) -> Media:
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = build_shape_figure(operands, result, title)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    data = buffer.getvalue()
    return Media.of(data, ".svg")


def prepare() -> None:
    """Import what drawing a diagram needs, so a build can do it while the notebook runs.

    Not when the last build's diagrams are kept: most are then reused, and matplotlib may not be
    needed at all.
    """
    from srs.core.memo import keeps

    if keeps("diagram"):
        return
    import matplotlib.figure  # noqa: F401
    from matplotlib.backends import backend_svg  # noqa: F401


def build_shape_figure(operands: Sequence[Block], result: Block, title: str = "") -> Any:
    """The matplotlib Figure behind `render_shape_diagram` (also handy for a PNG preview).

    Blocks go left to right and wrap onto further rows when one row would make the drawing wider
    than MAX_WIDTH, so that its smallest text stays readable on a phone.
    """
    # A bare Figure, not pyplot: no backend or global figure list is touched.
    from matplotlib.figure import Figure

    layouts = [_layout(block) for block in (*operands, result)]
    title_lines = _title_lines(title)
    label_rows = 2 + any(item.block.dims for item in layouts)
    rows = _wrap(layouts)
    heights = [_row_height(row, label_rows) for row in rows]
    # a result that starts a row of its own gets an arrow pointing down at it, in a wider gap
    result_alone = len(rows) > 1 and rows[-1][0][0] == len(layouts) - 1
    gaps = [ROW_GAP] * (len(rows) - 2) + [ARROW if result_alone else ROW_GAP] if len(rows) > 1 else []
    height = 2 * PAD + len(title_lines) * LINE + sum(heights) + sum(gaps)
    row_widths = [_row_width(row, len(layouts)) for row in rows]
    title_width = max((text_width(line, family="monospace") for line in title_lines), default=0.0)
    width = 2 * PAD + max(*row_widths, title_width)
    figure = Figure(figsize=(width, height))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.set_axis_off()
    _draw_card(axes, width, height)
    _draw_title(axes, title_lines, width, height)
    top = height - PAD - len(title_lines) * LINE
    for row, row_height, row_width, gap in zip(rows, heights, row_widths, [*gaps, 0.0], strict=True):
        bottom = top - row_height
        band = row_height - LINE - 0.12 - label_rows * LINE
        labels_top = bottom + label_rows * LINE
        left = PAD + (width - 2 * PAD - row_width) / 2
        _draw_row(axes, row, len(layouts), left, labels_top + 0.12 + band / 2, labels_top)
        if result_alone and gap == ARROW:
            _draw_arrow(axes, width / 2, bottom, down=True)
        top = bottom - gap
    return figure


def _wrap(layouts: list[_Layout]) -> list[list[tuple[int, _Layout]]]:
    """The blocks, numbered, in rows no wider than MAX_WIDTH allows (at least one block a row)."""
    room = MAX_WIDTH - 2 * PAD
    rows: list[list[tuple[int, _Layout]]] = [[]]
    for number, item in enumerate(layouts):
        candidate = [*rows[-1], (number, item)]
        if rows[-1] and _row_width(candidate, len(layouts)) > room:
            rows.append([(number, item)])
        else:
            rows[-1] = candidate
    return rows


def _row_width(row: list[tuple[int, _Layout]], count: int) -> float:
    """Width of a row of blocks: their slots, the gaps between operands, the arrow before the result."""
    width = 0.0
    for position, (number, item) in enumerate(row):
        if number == count - 1 and count > 1 and position > 0:
            width += ARROW
        elif position > 0:
            width += GAP
        width += item.slot
    return width


def _row_height(row: list[tuple[int, _Layout]], label_rows: int) -> float:
    band = max(item.height + item.shadows * STACK_STEP for _, item in row)
    return LINE + band + 0.12 + label_rows * LINE


def side_units(size: int) -> float:
    """How many element-lengths a dimension of `size` is drawn with (to scale, then compressed)."""
    if size <= EXACT_LIMIT:
        return float(max(size, 1))
    # past the exact range each doubling adds one element-length, so 64 still looks longer than 32
    return min(EXACT_LIMIT + math.log2(size / EXACT_LIMIT), MAX_UNITS)


@functools.cache
def text_width(text: str, size: float = FONT_SIZE, family: str = "sans-serif") -> float:
    """Width of a line of text in inches, from matplotlib's font metrics (advance widths)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    if not text:
        return 0.0
    prop = FontProperties(family=[family], size=size)
    width, _, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    # fonts on the viewing side may run a little wider than DejaVu
    return width / 72 * 1.1


def _layout(block: Block) -> _Layout:
    shape = block.shape
    rows = shape[-2] if len(shape) >= 2 else 1
    cols = shape[-1] if shape else 1
    shadows = min(2, math.prod(shape[:-2]) - 1) if len(shape) >= 3 else 0
    lead = text_width(_lead_text(block)) + 0.06 if len(shape) >= 3 else 0.0
    beside = _row_room(block) + shadows * STACK_STEP + lead
    # a block too wide for a row of its own is drawn with smaller elements, never smaller text
    unit = min(UNIT, max(MIN_UNIT, (MAX_WIDTH - 2 * PAD - beside) / side_units(cols)))
    width, height = side_units(cols) * unit, side_units(rows) * unit
    body = beside + width
    texts = [block.label, _shape_text(block), _dims_text(block), _top_text(block)]
    slot = max(body, *(text_width(text) for text in texts))
    return _Layout(block, width, height, shadows, slot)


def _row_room(block: Block) -> float:
    if len(block.shape) < 2:
        return 0.0
    if _has_dim_names(block):
        return 0.3
    return text_width(_dim_label(block, -2)) + 0.12


def _has_dim_names(block: Block) -> bool:
    return bool(block.dims) and len(block.dims or ()) == len(block.shape)


def _shape_text(block: Block) -> str:
    return repr(tuple(block.shape)) if block.shape else "() scalar"


def _dims_text(block: Block) -> str:
    return " × ".join(block.dims) if block.dims else ""


def _dim_label(block: Block, axis: int) -> str:
    size = block.shape[axis]
    if block.dims and _has_dim_names(block):
        return f"{block.dims[axis]} = {size}"
    return str(size)


def _top_text(block: Block) -> str:
    return _dim_label(block, -1) if block.shape else ""


def _lead_text(block: Block) -> str:
    if len(block.shape) < 3:
        return ""
    leading = " × ".join(_dim_label(block, axis) for axis in range(len(block.shape) - 2))
    return leading if _has_dim_names(block) else f"stack of {leading}"


def _title_lines(title: str) -> list[str]:
    """The statement as title lines, wrapped to the drawing's width, at most three."""
    import textwrap

    # DejaVu Sans Mono advances 0.6 em per character; text_width adds 10% for other fonts
    columns = max(20, int((MAX_WIDTH - 2 * PAD) * 72 / (0.6 * FONT_SIZE * 1.1)))
    lines = [
        piece
        for line in title.strip().splitlines()
        if line.strip()
        for piece in textwrap.wrap(line.rstrip(), columns, subsequent_indent="    ", drop_whitespace=True)
    ]
    if len(lines) > 3:
        lines = [*lines[:2], "…"]
    return lines


def _draw_card(axes: Any, width: float, height: float) -> None:
    from matplotlib.patches import FancyBboxPatch

    box = FancyBboxPatch(
        (0.03, 0.03),
        width - 0.06,
        height - 0.06,
        boxstyle="round,pad=0,rounding_size=0.12",
        facecolor=CARD_FILL,
        edgecolor=CARD_EDGE,
        linewidth=1.0,
    )
    axes.add_patch(box)


def _draw_title(axes: Any, lines: list[str], width: float, height: float) -> None:
    for number, line in enumerate(lines):
        _label(axes, width / 2, height - PAD - (number + 0.5) * LINE, line, color=TEXT, family="monospace")


def _label(axes: Any, x: float, y: float, text: str, **style: Any) -> None:
    """Plain text (never mathtext, so `$` and `_` stay literal), centred unless told otherwise."""
    settings = {"ha": "center", "va": "center", "color": MUTED, "fontsize": FONT_SIZE, "parse_math": False}
    axes.text(x, y, text, **(settings | style))


def _draw_row(
    axes: Any, row: list[tuple[int, _Layout]], count: int, x: float, centre_y: float, labels_top: float
) -> None:
    last = count - 1
    for position, (number, item) in enumerate(row):
        if number == last and last > 0 and position > 0:
            _draw_arrow(axes, x, centre_y)
            x += ARROW
        elif position > 0:
            x += GAP
        colours = (RESULT_FILL, RESULT_EDGE) if number == last else (OPERAND_FILL, OPERAND_EDGE)
        _draw_block(axes, item, x, centre_y, colours)
        _draw_names(axes, item.block, x + item.slot / 2, labels_top)
        x += item.slot


def _draw_arrow(axes: Any, x: float, y: float, down: bool = False) -> None:
    """An arrow ARROW long: rightwards from (x, y), or downwards from (x, y) when `down`."""
    style = {"arrowstyle": "-|>", "color": MUTED, "linewidth": 1.6, "shrinkA": 0, "shrinkB": 0}
    if down:
        axes.annotate("", xy=(x, y - ARROW + 0.1), xytext=(x, y - 0.1), arrowprops=style)
    else:
        axes.annotate("", xy=(x + ARROW - 0.12, y), xytext=(x + 0.12, y), arrowprops=style)


def _draw_block(axes: Any, item: _Layout, x: float, centre_y: float, colours: tuple[str, str]) -> None:
    from matplotlib.patches import Rectangle

    fill, edge = colours
    row_room = _row_room(item.block)
    depth = item.shadows * STACK_STEP
    lead = text_width(_lead_text(item.block)) + 0.06 if len(item.block.shape) >= 3 else 0.0
    left = x + (item.slot - row_room - item.width - depth - lead) / 2 + row_room
    bottom = centre_y - (item.height + depth) / 2
    for step in range(item.shadows, 0, -1):
        corner = (left + step * STACK_STEP, bottom + step * STACK_STEP)
        axes.add_patch(Rectangle(corner, item.width, item.height, facecolor=fill, edgecolor=edge, alpha=0.55))
    axes.add_patch(Rectangle((left, bottom), item.width, item.height, facecolor=fill, edgecolor=edge, lw=1.2))
    _draw_grid(axes, item, left, bottom)
    _draw_edge_labels(axes, item, left, bottom, depth)


def _draw_grid(axes: Any, item: _Layout, left: float, bottom: float) -> None:
    shape = item.block.shape
    rows = shape[-2] if len(shape) >= 2 else 1
    cols = shape[-1] if shape else 1
    xs: list[float] = []
    ys: list[float] = []
    right, top = left + item.width, bottom + item.height
    if rows <= EXACT_LIMIT:
        for row in range(1, rows):
            y = bottom + row * item.height / rows
            xs += [left, right, math.nan]
            ys += [y, y, math.nan]
    if cols <= EXACT_LIMIT:
        for col in range(1, cols):
            x = left + col * item.width / cols
            xs += [x, x, math.nan]
            ys += [bottom, top, math.nan]
    if xs:
        axes.plot(xs, ys, color="white", linewidth=0.8, alpha=0.7)


def _draw_edge_labels(axes: Any, item: _Layout, left: float, bottom: float, depth: float) -> None:
    block = item.block
    top = bottom + item.height + depth + 0.05
    small = SMALL_FONT_SIZE
    if block.shape:
        _label(axes, left + item.width / 2, top, _top_text(block), va="bottom", fontsize=small)
    if len(block.shape) >= 3:
        # the stack's depth is labelled at its far corner, where the copies recede
        corner = left + item.width + depth + 0.06
        _label(axes, corner, top - 0.05, _lead_text(block), ha="left", va="top", fontsize=small)
    if len(block.shape) >= 2:
        # names read better turned along the side; a bare number reads better upright
        turned = {"va": "bottom", "rotation": 90, "rotation_mode": "anchor"} if _has_dim_names(block) else {}
        side = {"ha": "center" if turned else "right", "fontsize": small, **turned}
        _label(axes, left - 0.07, bottom + item.height / 2, _dim_label(block, -2), **side)


def _draw_names(axes: Any, block: Block, centre_x: float, labels_top: float) -> None:
    _label(axes, centre_x, labels_top - 0.5 * LINE, block.label, color=TEXT, fontweight="bold")
    _label(axes, centre_x, labels_top - 1.5 * LINE, _shape_text(block))
    if block.dims:
        _label(axes, centre_x, labels_top - 2.5 * LINE, _dims_text(block), fontsize=SMALL_FONT_SIZE)
