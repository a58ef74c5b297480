"""The package as users get it: ``python -m build`` (hatchling) makes a wheel and an sdist
with the theme, ``py.typed``, the licence, both entry points and the message catalogs
(compiled into the wheel by ``hatch_build.py``), and the wheel, installed in a fresh virtual
environment, builds a blog, in German too."""

from __future__ import annotations

import configparser
import email
import os
import subprocess
import sys
import tarfile
import zipfile
from importlib.util import find_spec
from pathlib import Path

import pytest

import sphinx_postblog

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "sphinx_postblog"
VERSION = sphinx_postblog.__version__
DIST_INFO = f"sphinx_postblog-{VERSION}.dist-info"
#: What a failed download says: then the machine is offline, and the test cannot run.
OFFLINE = ("No matching distribution", "Could not find a version", "Failed to establish",
           "Temporary failure in name resolution", "Network is unreachable")

pytestmark = pytest.mark.skipif(find_spec("build") is None,
                                reason="the 'build' package is not installed (it is in the "
                                       "test extra: pip install -e '.[test]')")


def _run(command: list[str], *, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _skip_if_offline(result: subprocess.CompletedProcess, what: str) -> None:
    output = result.stdout + result.stderr
    if result.returncode and any(sign in output for sign in OFFLINE):
        pytest.skip(f"{what} needs packages from the index, which cannot be reached")
    assert result.returncode == 0, output


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The wheel and the sdist, built from the working tree."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out)]
    if find_spec("hatchling") is not None and find_spec("babel") is not None:
        # The backend is here already: no isolated environment to download it into.
        command.append("--no-isolation")
    result = _run([*command, str(ROOT)], cwd=out)
    _skip_if_offline(result, "an isolated build (hatchling is not installed here)")
    return out


def test_the_wheel_has_the_theme_py_typed_licence_and_entry_points(dist):
    [wheel] = dist.glob("*.whl")
    assert wheel.name == f"sphinx_postblog-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"{DIST_INFO}/entry_points.txt").decode()
        metadata = email.message_from_bytes(archive.read(f"{DIST_INFO}/METADATA"))
        licence = archive.read(f"{DIST_INFO}/licenses/LICENSE").decode()
    # Every file of the package is in the wheel: modules, templates, stylesheets, py.typed;
    # the message catalogs compiled (.mo), not their sources (.po, .pot).
    shipped = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts
               and p.suffix not in {".pyc", ".po", ".pot", ".mo", ".tmp"}}
    assert shipped <= names, sorted(shipped - names)
    catalogs = {po.relative_to(ROOT).with_suffix(".mo").as_posix()
                for po in PACKAGE.glob("locale/*/LC_MESSAGES/sphinx_postblog.po")}
    assert {"sphinx_postblog/locale/de/LC_MESSAGES/sphinx_postblog.mo",
            "sphinx_postblog/locale/fr/LC_MESSAGES/sphinx_postblog.mo"} <= catalogs
    assert {n for n in names if "/locale/" in n} == catalogs
    with zipfile.ZipFile(wheel) as archive:
        german = archive.read("sphinx_postblog/locale/de/LC_MESSAGES/sphinx_postblog.mo")
    assert b"Weiterlesen" in german
    assert {"sphinx_postblog/py.typed", "sphinx_postblog/theme/postblog/theme.toml",
            "sphinx_postblog/theme/postblog/layout.html",
            "sphinx_postblog/theme/postblog/static/postblog.css",
            "sphinx_postblog/output/static/postblog-elements.css"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    points = configparser.ConfigParser()
    points.read_string(entry_points)
    assert dict(points["console_scripts"]) == {"sphinx-postblog": "sphinx_postblog.cli:main"}
    assert dict(points["sphinx.html_themes"]) == {"postblog": "sphinx_postblog.theme"}
    assert metadata["Version"] == VERSION
    assert metadata["Summary"] == ("A blog and conference reports inside any Sphinx "
                                   "documentation site.")
    assert any(r.startswith("babel") for r in metadata.get_all("Requires-Dist"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    assert "Copyright (c) 2026 sphinx-postblog developers" in licence


def test_the_sdist_has_the_sources_licence_and_changelog(dist):
    [sdist] = dist.glob("*.tar.gz")
    top = f"sphinx_postblog-{VERSION}"
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(f"{top}/") for name in archive.getnames()}
    assert {"pyproject.toml", "PKG-INFO", "README.md", "LICENSE", "CHANGELOG.md",
            "hatch_build.py", "sphinx_postblog/py.typed",
            "sphinx_postblog/theme/postblog/layout.html", "sphinx_postblog/cli/__init__.py",
            "sphinx_postblog/locale/sphinx_postblog.pot",
            "sphinx_postblog/locale/de/LC_MESSAGES/sphinx_postblog.po",
            "sphinx_postblog/locale/fr/LC_MESSAGES/sphinx_postblog.po",
            "tests/test_packaging.py"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".mo"))]
    assert not [n for n in names if n.startswith(("docs/", "benchmarks/", ".ci/"))]


POST = """---
title: Hello from the wheel
author: ada
tags: [packaging]
---
The installed package built this post.
"""


def test_the_wheel_installed_in_a_fresh_venv_builds_a_blog(dist, tmp_path):
    [wheel] = dist.glob("*.whl")
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                cwd=tmp_path).returncode == 0
    python, bin_ = venv / "bin" / "python", venv / "bin"
    # The test's own pip installs into the new environment (no ensurepip: faster);
    # the dependencies come from the index, or pip's cache.
    result = _run([sys.executable, "-m", "pip", "--python", str(python), "install",
                   "--quiet", "--disable-pip-version-check", str(wheel)], cwd=tmp_path)
    _skip_if_offline(result, "installing the wheel's dependencies")
    where = _run([str(python), "-c", "import sphinx_postblog; print(sphinx_postblog.__file__)"],
                 cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv)  # not the working tree

    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "conf.py").write_text('project = "Wheel"\nextensions = ["myst_parser", '
                                 '"sphinx_postblog"]\nhtml_theme = "postblog"\n',
                                 encoding="utf-8")
    (src / "index.md").write_text("# Home\n", encoding="utf-8")
    (src / "_posts/2024-01-02-hello.md").write_text(POST, encoding="utf-8")
    out = tmp_path / "out"
    build = _run([str(bin_ / "sphinx-build"), "-q", "-b", "html", str(src), str(out)],
                 cwd=tmp_path)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (out / "_posts/2024-01-02-hello.html").is_file()
    assert (out / "blog/index.html").is_file()
    assert (out / "_static/postblog.css").is_file()  # the theme came from the wheel

    helped = _run([str(bin_ / "sphinx-postblog"), "--help"], cwd=tmp_path)
    assert helped.returncode == 0
    assert helped.stdout.startswith("usage: sphinx-postblog")
    listed = _run([str(bin_ / "sphinx-postblog"), "list", str(src)], cwd=tmp_path)
    assert listed.returncode == 0
    assert "2024-01-02  published  ada  Hello from the wheel  _posts/2024-01-02-hello.md" \
        in listed.stdout

    # The wheel's compiled German catalog, and Babel's German dates.
    german = tmp_path / "out-de"
    build = _run([str(bin_ / "sphinx-build"), "-q", "-b", "html", "-D", "language=de",
                  str(src), str(german)], cwd=tmp_path)
    assert build.returncode == 0, build.stdout + build.stderr
    page = (german / "_posts/2024-01-02-hello.html").read_text(encoding="utf-8")
    assert "Min. Lesezeit" in page
    assert "2. Januar 2024" in page
    assert "min read" not in page
    installed = Path(where.stdout.strip()).parent
    assert not list(installed.glob("locale/*/LC_MESSAGES/*.po"))  # nothing to compile
