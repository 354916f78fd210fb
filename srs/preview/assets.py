"""MathJax for the preview page: the static MathJax 3 distribution installed from PyPI, copied beside
the page so that it works offline and wherever its folder is copied.

The distribution is the `django-static-mathjax` package (its files only; nothing of Django is used),
pinned to MathJax 3.2.2, the release Anki's reviewer ships.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

from srs.preview.deck import INSTALL_HINT, PreviewUnavailable

ENTRY = "tex-chtml-full.js"
"""The combined component Anki's reviewer loads: TeX input, CommonHTML output, every TeX extension."""

COPIED = (ENTRY, "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y")
"""What the page can ask for: the entry, its fonts, and the parts MathJax loads on demand (the menu)."""


@cache
def mathjax_distribution() -> tuple[Path, str]:
    """The installed distribution's `es5` folder and its MathJax version."""
    from importlib.util import find_spec

    spec = find_spec("mathjax")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        root = Path(location) / "static" / "mathjax"
        if (root / "es5" / ENTRY).is_file():
            version = json.loads((root / "package.json").read_text(encoding="utf-8"))["version"]
            return root / "es5", str(version)
    raise PreviewUnavailable(
        f"the preview typesets math with MathJax 3 from the django-static-mathjax package, which is not "
        f"installed: {INSTALL_HINT}",
        "srs preview",
    )


def copy_mathjax(folder: Path) -> str:
    """Copy MathJax into `folder` (once per version); return the copy's path relative to `folder`."""
    source, version = mathjax_distribution()
    name = f"mathjax-{version}"
    target = folder / name
    if (target / ENTRY).is_file() and (target / "LICENSE").is_file():
        return name
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{name}-", dir=folder) as staging:
        fresh = Path(staging) / name
        for part in COPIED:
            if (source / part).is_dir():
                shutil.copytree(source / part, fresh / part)
            else:
                (fresh / part).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / part, fresh / part)
        shutil.copy2(source.parent / "LICENSE", fresh / "LICENSE")
        shutil.rmtree(target, ignore_errors=True)
        fresh.rename(target)
    return name
