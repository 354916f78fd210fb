"""Package versions read from metadata folder names agree with importlib.metadata."""

from __future__ import annotations

import sys
from importlib import metadata

import pytest

from srs.core import versions


@pytest.mark.parametrize("name", ["torch", "numpy", "matplotlib", "IPython", "sympy", "markdown-it-py", "srs"])
def test_the_same_version_as_importlib_metadata(name):
    assert versions.installed_version(name) == metadata.version(name)


def test_a_package_that_is_not_installed_has_no_version():
    assert versions.installed_version("no-such-package-anywhere") is None


def test_the_first_folder_on_the_path_wins_and_old_egg_info_counts(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "Some_Lib-2.0.dist-info").mkdir(parents=True)
    (second / "some_lib-1.0.dist-info").mkdir(parents=True)
    (second / "old.thing-0.5-py3.11.egg-info").mkdir()
    (second / "not-a-distribution.txt").write_text("")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "gone"), str(second)])
    versions._installed.cache_clear()
    try:
        assert versions.installed_version("some-lib") == "2.0"
        assert versions.installed_version("Old.Thing") == "0.5"
    finally:
        versions._installed.cache_clear()
