"""Shared fixtures: Sphinx's testing fixtures, with every test building in its own folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot="x")`` finds ``roots/test-x``."""
    return ROOTS


@pytest.fixture
def app_params(app_params, tmp_path: Path):
    """Copy the test root into this test's own folder and build there.

    Sphinx shares one source and build folder between all tests of a test root; tests that
    change settings or edit sources would then see each other's environments.
    """
    args, kwargs = app_params
    srcdir = tmp_path / "src"
    shutil.copytree(kwargs["srcdir"], srcdir, ignore=shutil.ignore_patterns("_build"))
    return type(app_params)(args, {**kwargs, "srcdir": srcdir, "builddir": tmp_path / "_build"})
