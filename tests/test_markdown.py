"""Markdown and math to the HTML Anki shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from srs.core.errors import SourceError
from srs.core.model import Location
from srs.notebook.markdown import check_dollars
from srs.render.markdown import RenderContext, render_markdown

WHERE = Location(Path("lesson.ipynb"), 3, "abc", 1)


def render(text: str) -> str:
    return render_markdown(text, RenderContext(Path("."), WHERE))


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("The score $q \\cdot k$ is one number.", "<p>The score \\(q \\cdot k\\) is one number.</p>"),
        ("$$\\frac{a}{b}$$", '<div class="srs-math">\\[\\frac{a}{b}\\]</div>'),
        ("It costs $5, then $x$ more.", "<p>It costs $5, then \\(x\\) more.</p>"),
        ("Exactly $1$, or $1/4$ of it.", "<p>Exactly \\(1\\), or \\(1/4\\) of it.</p>"),
        ("From $3.50 to $10.", "<p>From $3.50 to $10.</p>"),
        ("Run `echo $HOME` now.", "<p>Run <code>echo $HOME</code> now.</p>"),
        ("A \\$ sign.", "<p>A $ sign.</p>"),
        ("inline $$a = b$$ display", '<p>inline <span class="srs-math">\\[a = b\\]</span> display</p>'),
        ("$x < y$ and <b>bold</b>", "<p>\\(x &lt; y\\) and &lt;b&gt;bold&lt;/b&gt;</p>"),
    ],
)
def test_markdown_to_anki_html(markdown: str, html: str):
    assert render(markdown) == html


def test_align_environment_becomes_display_math():
    out = render("\\begin{align}\na &= b \\\\\n&= c\n\\end{align}")
    assert out.startswith('<div class="srs-math">\\[\\begin{align}') and out.endswith("\\end{align}\\]</div>")


def test_clozes_inside_math_are_made_safe_for_anki():
    out = render("$$\\frac{1}{ {{c1::\\sqrt{d_k}}} }$$")
    assert "{{c1::\\sqrt{d_k} }}" in out


def test_code_blocks_are_highlighted_and_escaped():
    out = render("```python\nif a < b:\n    print('<ok>')\n```")
    assert out.startswith('<pre class="srs-code"><code>') and "&lt;ok&gt;" in out and "<ok>" not in out


def test_unbalanced_dollar_names_its_line():
    with pytest.raises(SourceError, match=r"cell 3:line 3: \[SRS021\] unbalanced"):
        check_dollars("Fine $x$.\n\nBroken $y here.", WHERE)


def test_a_parser_first_used_by_two_threads_at_once_renders_right():
    # a build renders from two threads; markdown-it compiles its rules on first use
    import sys
    import threading

    from srs.render import markdown

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race if any
    wrong = 0
    try:
        for _ in range(300):
            markdown._parser.cache_clear()
            outputs: list[str] = []

            def render(into: list[str]) -> None:
                into.append(markdown._parser().render("Some **bold**\n\n- item"))

            threads = [threading.Thread(target=render, args=(outputs,)) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wrong += len(outputs) != 4 or any("<strong>bold</strong>" not in out for out in outputs)
    finally:
        sys.setswitchinterval(interval)
        markdown._parser.cache_clear()
    assert wrong == 0
