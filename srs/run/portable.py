"""Which way srs starts, watches and ends processes here: the fast Linux paths, or the portable ones.

On Linux srs widens the report pipe (fcntl), ties the worker's life to its own with the kernel's
parent-death signal, draws figures in forked copies of the worker, and checks on the worker without
reaping it (waitid). Elsewhere (macOS, Windows) it takes the portable paths: no fcntl, figures drawn
in the worker itself, the worker watching a pipe that closes when srs ends. Setting
SRS_PORTABLE=1 makes Linux take the portable paths too, which is how the tests exercise them.
"""

from __future__ import annotations

import os
import sys

FORCE_PORTABLE = "SRS_PORTABLE"
"""Environment variable: "1" selects the portable paths on any platform (the worker inherits it)."""


def fast_paths() -> bool:
    """Does this process take the Linux fast paths?"""
    return sys.platform == "linux" and os.environ.get(FORCE_PORTABLE) != "1"
