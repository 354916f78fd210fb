"""Installed package versions, read from the names of their metadata folders.

`importlib.metadata` gives the same answers, but importing it takes a few hundredths of a second,
and the version check sits on the way to a build's first cell. A distribution's metadata folder is
named `<name>-<version>.dist-info` (`.egg-info` for older installs) in a folder on `sys.path`; the
first one found wins, as with `importlib.metadata`.
"""

from __future__ import annotations

import functools
import os
import re
import sys


def installed_version(name: str) -> str | None:
    """The version of the installed distribution `name`, or None when none is found."""
    return _installed().get(_normalized(name))


@functools.cache
def _installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, or a folder that is gone
            continue
        for folder in names:
            stem, dot, suffix = folder.rpartition(".")
            if not dot or suffix not in ("dist-info", "egg-info"):
                continue
            project, _, version = stem.partition("-")
            if version:
                # an egg-info folder may go on with the Python version: name-1.0-py3.11.egg-info
                found.setdefault(_normalized(project), version.split("-")[0])
    return found


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
