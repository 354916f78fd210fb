"""Project settings from `[tool.srs]` in the nearest pyproject.toml, and links back to the notebook."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from srs.core.errors import OptionError

KNOWN_KEYS = frozenset({"deck_prefix", "source_url", "timeout", "lint", "jobs", "collection", "profile"})


@dataclass(frozen=True)
class Settings:
    """What `[tool.srs]` configures, with defaults for a notebook outside any project."""

    deck_prefix: str = "srs"
    source_url: str | None = None
    timeout: float = 120.0
    lint: Mapping[str, Any] = field(default_factory=dict)
    pyproject: Path | None = None
    jobs: int | None = None
    """Lessons `srs build` builds at once; None: one per core."""
    collection: Path | None = None
    """The Anki collection `srs sync` and `srs stats` use (relative paths from the pyproject's folder)."""
    profile: str | None = None
    """The Anki profile whose collection they use."""


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above a folder."""
    for folder in [start.resolve(), *start.resolve().parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(notebook: Path) -> Settings:
    """Read `[tool.srs]` for a notebook; a malformed table is an OptionError naming the file."""
    pyproject = find_pyproject(notebook.parent)
    if pyproject is None:
        return Settings()
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("srs", {})
    except tomllib.TOMLDecodeError as error:
        raise OptionError(f"pyproject.toml is not valid TOML ({error})", pyproject) from None
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise OptionError(
            f"unknown key '{unknown[0]}' in [tool.srs]; known keys are {', '.join(sorted(KNOWN_KEYS))}",
            pyproject,
        )
    timeout = table.get("timeout", 120.0)
    if not isinstance(timeout, int | float) or timeout <= 0:
        raise OptionError("[tool.srs] timeout must be a positive number of seconds", pyproject)
    jobs = table.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        raise OptionError("[tool.srs] jobs must be a whole number of lessons, 1 or more", pyproject)
        jobs=jobs,
    collection = table.get("collection")
    profile = table.get("profile")
    if collection is not None and not isinstance(collection, str):
        raise OptionError("[tool.srs] collection must be a path (a string)", pyproject)
    if profile is not None and not isinstance(profile, str):
        raise OptionError("[tool.srs] profile must be a profile name (a string)", pyproject)
    return Settings(
        jobs=jobs,
        collection=(pyproject.parent / Path(collection).expanduser()) if collection else None,
        profile=profile,
        deck_prefix=str(table.get("deck_prefix", "srs")),
        source_url=table.get("source_url"),
        timeout=float(timeout),
        lint=table.get("lint", {}),
        pyproject=pyproject,
    )


@dataclass(frozen=True)
class LinkTarget:
    """What a source link points at."""

    path: Path
    cell: int
    cell_id: str
    heading: str


def source_link(settings: Settings, target: LinkTarget) -> str:
    """URL of a cell: `[tool.srs] source_url` filled in, else the git remote, else a file:// URL."""
    template = settings.source_url or _git_template(target.path) or "file://{abspath}"
    absolute = target.path.resolve()
    relative = _relative_to_repo(absolute)
    return template.format(
        path=quote(relative),
        abspath=quote(str(absolute)),
        cell=target.cell,
        cell_id=quote(target.cell_id),
        anchor=heading_anchor(target.heading),
    )


def heading_anchor(heading: str) -> str:
    """The anchor Jupyter gives a heading: its text with spaces as hyphens."""
    return quote(re.sub(r"\s+", "-", heading.strip()))


def _git_dir(path: Path) -> Path | None:
    for folder in path.parents:
        if (folder / ".git").is_dir():
            return folder / ".git"
    return None


def _relative_to_repo(path: Path) -> str:
    git = _git_dir(path)
    return str(path.relative_to(git.parent)) if git else path.name


def _git_template(path: Path) -> str | None:
    git = _git_dir(path.resolve())
    if git is None or not (git / "config").is_file():
        return None
    match = re.search(r'\[remote "origin"\][^\[]*?url\s*=\s*(\S+)', (git / "config").read_text())
    if not match:
        return None
    web = _web_url(match.group(1))
    if web is None:
        return None
    head = (git / "HEAD").read_text().strip() if (git / "HEAD").is_file() else ""
    branch = head.removeprefix("ref: refs/heads/") if head.startswith("ref:") else "main"
    return web + f"/blob/{branch}/{{path}}"


def _web_url(remote: str) -> str | None:
    remote = remote.removesuffix(".git")
    if match := re.match(r"^git@([^:]+):(.+)$", remote):
        return f"https://{match.group(1)}/{match.group(2)}"
    if remote.startswith(("https://", "http://")):
        return re.sub(r"//[^@/]+@", "//", remote)
    return None
