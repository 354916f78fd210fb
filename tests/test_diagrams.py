"""Shape diagrams: deterministic, small, labelled SVGs named by their content."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

from srs.render.diagrams import CARD_FILL, MAX_UNITS, Block, render_shape_diagram, side_units

Q = Block("Q", (3, 4), ("tokens", "d_k"))
K = Block("K", (5, 4), ("tokens", "d_k"))
SCORES = Block("scores", (3, 5), ("tokens", "tokens"))


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def test_same_input_gives_identical_bytes_and_name() -> None:
    first = render_shape_diagram([Q, K], SCORES, "scores = Q @ K.T")
    second = render_shape_diagram([Q, K], SCORES, "scores = Q @ K.T")
    assert first.data == second.data
    assert first.name == second.name


def test_name_is_the_content_hash() -> None:
    media = render_shape_diagram([Q, K], SCORES)
    assert re.fullmatch(r"srs-[0-9a-f]{16}\.svg", media.name)
    assert media.name == f"srs-{hashlib.sha256(media.data).hexdigest()[:16]}.svg"


def test_different_shapes_give_different_diagrams() -> None:
    wider = render_shape_diagram([Q, Block("K", (6, 4), K.dims)], Block("scores", (3, 6)))
    assert wider.data != render_shape_diagram([Q, K], Block("scores", (3, 5))).data
    assert wider.name != render_shape_diagram([Q, K], Block("scores", (3, 5))).name


def test_svg_is_small_and_free_of_dates() -> None:
    big = Block("x", (2, 8, 128, 64), ("batch", "heads", "tokens", "d_head"))
    for media in (
        render_shape_diagram([Q, K], SCORES, "scores = Q @ K.T"),
        render_shape_diagram([big, Block("w", (64,))], Block("y", (2, 8, 128)), "y = x @ w"),
    ):
        assert len(media.data) < 15_000
        assert b"<dc:date>" not in media.data
        assert b"Matplotlib" not in media.data


def test_labels_are_real_text_with_names_sizes_and_dimensions() -> None:
    texts = svg_texts(render_shape_diagram([Q, K], SCORES, "scores = Q @ K.T").data)
    for expected in ("scores = Q @ K.T", "Q", "K", "scores", "(3, 4)", "(5, 4)", "(3, 5)", "tokens × d_k"):
        assert expected in texts
    assert "d_k = 4" in texts and "tokens = 5" in texts


def test_batch_dimensions_are_labelled_as_a_stack() -> None:
    texts = svg_texts(render_shape_diagram([Block("x", (2, 8, 3, 4))], Block("y", (2, 3, 4))).data)
    assert "stack of 2 × 8" in texts
    assert "stack of 2" in texts
    named = svg_texts(render_shape_diagram([], Block("h", (2, 3, 4), ("batch", "tokens", "d"))).data)
    assert "batch = 2" in named


def test_dollar_signs_and_underscores_stay_literal() -> None:
    texts = svg_texts(render_shape_diagram([], Block("cost_$", (2,)), "cost_$ = a_b * $x").data)
    assert "cost_$ = a_b * $x" in texts
    assert "cost_$" in texts


def test_scalars_and_vectors_render() -> None:
    texts = svg_texts(render_shape_diagram([Block("v", (7,))], Block("loss", ())).data)
    assert "(7,)" in texts and "() scalar" in texts


def test_drawn_on_a_light_card_with_a_transparent_page() -> None:
    data = render_shape_diagram([Q], SCORES).data.decode()
    assert CARD_FILL in data
    # the figure's own background is left unpainted, so only the rounded card shows
    assert re.search(r'<g id="patch_1">\s*<path d="[^"]*" style="fill: none"', data)


def test_large_dimensions_are_compressed_but_still_ordered() -> None:
    sizes = [1, 3, 8, 16, 64, 512, 100_000]
    units = [side_units(size) for size in sizes]
    assert units[:3] == [1.0, 3.0, 8.0]
    assert units == sorted(units) and len(set(units[:-1])) == len(units) - 1
    assert units[-1] == MAX_UNITS
