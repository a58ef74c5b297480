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


@pytest.fixture(autouse=True)
def _sphinx_defaults_left_as_found():
    """Put back Sphinx's shared default ``templates_path`` list after each test.

    pydata-sphinx-theme and sphinx-book-theme append their folders to
    ``app.config.templates_path``; in a project that does not set it, that is the default
    list every later application of this process shares, so a furo or basic build that
    follows would find their templates. One build per process, as users run Sphinx, never
    sees this.
    """
    from sphinx.config import Config  # noqa: PLC0415

    default = Config.config_values["templates_path"].default
    kept = list(default)
    yield
    default[:] = kept
