"""The package tree is the pipeline: every import points down it, never up.

core < notebook < run < maths < render < kinds < sources < lint < deck < build < (collection,
preview, suggest) < cli. A module may import its own package and any package below it, at module
level or inside a function alike.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import srs

LAYERS = (
    ("core",),
    ("notebook",),
    ("run",),
    ("maths",),
    ("render",),
    ("kinds",),
    ("sources",),
    ("lint",),
    ("deck",),
    ("build",),
    ("collection", "preview", "suggest"),
    ("cli",),
)
ROOT = Path(srs.__file__).parent
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


def _package(module: str) -> str | None:
    """The first-level package of an srs module name ('srs.kinds.shape' -> 'kinds'), or None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "srs" and len(parts) > 1 else None


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] if node.module == "srs" else []
            found += [(node.lineno, name) for name in names or [node.module]]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if p.parent != ROOT)


def test_every_package_has_a_layer() -> None:
    packages = {p.relative_to(ROOT).parts[0] for p in _modules()}
    assert packages == set(RANK), "add new packages to LAYERS, in pipeline order"


def test_no_loose_modules_beside_the_packages() -> None:
    loose = sorted(p.name for p in ROOT.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_only_point_down_the_pipeline(path: Path) -> None:
    own = path.relative_to(ROOT).parts[0]
    upward = []
    for line, module in _imported_modules(path):
        target = _package(module)
        if target in RANK and RANK[target] > RANK[own]:
            upward.append(f"line {line}: {module} ({target} is above {own})")
    assert not upward, "; ".join(upward)


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from srs.cli.app import main\n    import srs.build.lesson\n")
    assert [name for _, name in _imported_modules(module)] == ["srs.cli.app", "srs.build.lesson"]
    assert RANK[_package("srs.cli.app") or ""] > RANK["core"]


@pytest.mark.parametrize("package", sorted(RANK))
def test_every_package_is_a_regular_package(package: str) -> None:
    # a folder without __init__.py still imports (as a namespace package), so its absence from a
    # clone would go unnoticed but for this
    assert (ROOT / package / "__init__.py").is_file()
