"""Issue 15: ``sphinx-postblog preview`` serves, after every change, what a clean build writes.

A preview runs as its own process (``python -m sphinx_postblog.cli preview``) on a free
port, on a copy of ``test-reports`` (posts, authors and events files, a report whose talks
come from a schedule file), with a post list on the home page and a small local extension
that makes the build fail on demand. The test edits the sources as a writer does: adds a
post, retitles one, retags one, deletes one, renames an author in ``_data/authors.yml``,
retitles a talk in the schedule file, writes a directive MyST does not know (an error
the build logs), makes the build raise (an error that stops it) and fixes both, and edits
``conf.py`` (the preview starts again, in the same process id, and builds incrementally
after that too). After each step it waits for the preview's build and compares every
file a clean build of the same sources writes (with the same drafts settings) with what
the server serves for it: HTML pages by their main text, links and JSON-LD
(``snapshot``) and byte for byte without the live reload script; the search index as
parsed JSON; everything else byte for byte.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.testing.util import _clean_up_global_state

from postblog_testing import ROOTS, edit, snapshot, text

pytest.importorskip("watchfiles")

#: Bounded waits, generous for slow machines; every wait returns as soon as it can.
START_TIMEOUT = 180.0
CHANGE_TIMEOUT = 90.0
#: Quiet time that tells a settled preview from one about to build again.
SETTLE = 0.6

DRAFTS = {"postblog_drafts": True, "postblog_future": True}
SCRIPT = re.compile(rb'<script src="/_preview/reload\.js" data-build="[^"]*"></script>')
REPORT = "_posts/2025-05-16-lighthouse-day-one"
UNRELATED = "_posts/2025-06-10-unrelated.md"

BOOM_EXTENSION = '''\
"""Fails the build of any document that says BOOM (a stand-in for a failing extension)."""


def _check(app, docname, source):
    if "BOOM" in source[0]:
        raise RuntimeError(f"{docname} says BOOM")


def setup(app):
    app.connect("source-read", _check)
    return {"parallel_read_safe": True}
'''

CONF_EXTRA = """
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))
extensions.append("boom")
exclude_patterns = ["_build"]
"""

INDEX = """\
# Reports

Conference reports of the team.

```{postlist} 3
```
"""

NEW_POST = """\
---
title: "A new post"
author: jon
tags: [maintainers, news]
---

Written while the preview ran.
"""


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def put(path: Path, content: str) -> None:
    """Write a file whole (a temporary file renamed over it), as many editors save."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(content, encoding="utf-8")
    temporary.replace(path)


class Preview:
    """A running ``sphinx-postblog preview`` and everything it printed."""

    def __init__(self, src: Path, out: Path, *options: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self._lock = threading.Lock()
        environ = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sphinx_postblog.cli", "preview", str(src), str(out),
             "--port", str(self.port), *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environ,
            cwd=out.parent, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def fetch(self, path: str) -> tuple[int, bytes]:
        """Status code and body of a served path (0 while nothing answers)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                TimeoutError):
            return 0, b""  # not answering (starting, or starting again)

    def status(self) -> dict[str, Any] | None:
        code, body = self.fetch("_preview/status")
        return json.loads(body) if code == 200 else None

    def wait(self, after: dict[str, Any] | None = None,
             timeout: float = CHANGE_TIMEOUT) -> dict[str, Any]:
        """The status once a build newer than ``after`` has ended and no other follows."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the preview exited ({self.process.returncode}):\n{self.output()}")
            found = self.status()
            if found and found["state"] in {"ready", "failed"} and _key(found) != _key(after):
                time.sleep(SETTLE)  # one save may be seen as two changes: let both build
                again = self.status()
                if again and _key(again) == _key(found) and again["state"] == found["state"]:
                    return again
                continue
            time.sleep(0.05)
        pytest.fail(f"no new build within {timeout:.0f} s; the preview said:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self._reader.join(timeout=5)


def _key(status: dict[str, Any] | None) -> tuple[object, ...]:
    return (None,) if status is None else (status["build"], status.get("number"))


def clean_build(src: Path, work: Path) -> Path:
    """Build a copy of ``src`` afresh, as the preview does (drafts listed); its output."""
    if work.exists():
        shutil.rmtree(work)
    copy = work / "src"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    # Sphinx itself, as sphinx-build runs it (SphinxTestApp would swap alabaster for basic).
    out = work / "out"
    app = Sphinx(copy, copy, out, out / ".doctrees", "html", confoverrides=DRAFTS,
                 status=io.StringIO(), warning=io.StringIO(), freshenv=True)
    try:
        app.build()
    finally:
        _clean_up_global_state()  # as a test application's cleanup does
        sys.modules.pop("boom", None)
    return out


def compare(preview: Preview, src: Path, work: Path) -> None:
    """Every file a clean build of ``src`` writes is served as that build wrote it."""
    clean = clean_build(src, work / "clean")
    served = work / "served"
    if served.exists():
        shutil.rmtree(served)
    different = []
    for file in sorted(clean.rglob("*")):
        path = file.relative_to(clean).as_posix()
        if not file.is_file() or path.startswith(".doctrees/"):
            continue
        code, body = preview.fetch(path)
        assert code == 200, f"{path} is not served ({code}):\n{preview.output()}"
        if path.endswith(".html"):
            assert len(SCRIPT.findall(body)) == 1, f"{path} has no live reload script"
            body = SCRIPT.sub(b"", body)
        (served / path).parent.mkdir(parents=True, exist_ok=True)
        (served / path).write_bytes(body)
        expected = file.read_bytes()
        if path == "searchindex.js":
            same = _search_index(body) == _search_index(expected)
        else:
            same = body == expected
        if not same:
            different.append(path)
    # Pages first by what readers see (a readable difference), then byte for byte.
    assert snapshot(SimpleNamespace(outdir=served)) == snapshot(SimpleNamespace(outdir=clean))
    assert different == [], f"served differently from a clean build: {different}"


def _search_index(body: bytes, *, sphinx_leftovers: bool = False) -> object:
    index = json.loads(body.decode()[len("Search.setIndex("):-1])
    if sphinx_leftovers:
        # Sphinx's own incremental index keeps words no page has any more (with no pages).
        for key in ("terms", "titleterms"):
            index[key] = {word: pages for word, pages in index[key].items() if pages != []}
    return index


def _h1(preview: Preview, path: str) -> str:
    code, body = preview.fetch(path)
    assert code == 200, path
    return text(BeautifulSoup(body, "html.parser").find("h1"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-reports", src)
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(CONF_EXTRA)
    (src / "_ext").mkdir()
    (src / "_ext" / "boom.py").write_text(BOOM_EXTENSION, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    return src


@pytest.fixture
def preview(site: Path, tmp_path: Path):
    running = Preview(site, tmp_path / "out")
    try:
        yield running
    finally:
        running.stop()


def test_every_change_is_served_as_a_clean_build_writes_it(site: Path, preview: Preview,
                                                             tmp_path: Path):
    work = tmp_path / "work"
    status = preview.wait(timeout=START_TIMEOUT)
    assert status["state"] == "ready", preview.output()
    compare(preview, site, work)
    status = _writers_edits(site, preview, status, work)
    status = _data_edits(site, preview, status, work)
    status = _errors_and_fixes(site, preview, status, work)
    _configuration_edit(site, preview, status, work)


def _writers_edits(site: Path, preview: Preview, status: dict[str, Any],
                   work: Path) -> dict[str, Any]:
    """Add a post; retitle one; retag one; delete one."""
    put(site / "_posts/2025-06-20-a-new-post.md", NEW_POST)
    status = preview.wait(status)
    assert _h1(preview, "_posts/2025-06-20-a-new-post.html") == "A new post"
    compare(preview, site, work)

    unrelated = site / UNRELATED
    put(unrelated, unrelated.read_text(encoding="utf-8").replace(
        '"An unrelated post"', '"A retitled post"'))
    status = preview.wait(status)
    assert _h1(preview, "_posts/2025-06-10-unrelated.html") == "A retitled post"
    compare(preview, site, work)

    put(unrelated, unrelated.read_text(encoding="utf-8").replace(
        "tags: [cooking]", "tags: [baking, maintainers]"))
    status = preview.wait(status)
    assert preview.fetch("blog/tag/baking.html")[0] == 200
    compare(preview, site, work)

    (site / "_posts/2025-06-01-harbour-notes.md").unlink()
    status = preview.wait(status)
    assert status["state"] == "ready"
    compare(preview, site, work)
    return status


def _data_edits(site: Path, preview: Preview, status: dict[str, Any],
                work: Path) -> dict[str, Any]:
    """An author renamed in the authors file, a talk of the schedule file retitled."""
    authors = site / "_data/authors.yml"
    put(authors, authors.read_text(encoding="utf-8").replace("Mira Okafor", "Mira O. Okafor"))
    status = preview.wait(status)
    compare(preview, site, work)

    schedule = site / "programmes/lighthouse-2025.yaml"
    put(schedule, schedule.read_text(encoding="utf-8").replace(
        "Lanterns for maintainers", "Lanterns for every maintainer"))
    status = preview.wait(status)
    code, report = preview.fetch(f"{REPORT}.html")
    assert code == 200
    assert b"Lanterns for every maintainer" in report
    compare(preview, site, work)
    return status


def _errors_and_fixes(site: Path, preview: Preview, status: dict[str, Any],
                      work: Path) -> dict[str, Any]:
    """An error the build logs, then one that stops it; both fixed in the same process."""
    boot = status["build"].split("-")[0]
    post = site / "_posts/2025-06-20-a-new-post.md"
    put(post, NEW_POST + "\n```{eval-rst}\n.. nosuchdirective::\n```\n")
    status = preview.wait(status)
    assert status["state"] == "ready"
    assert any("nosuchdirective" in error for error in status["errors"]), status
    compare(preview, site, work)  # built as a clean build builds it
    put(post, NEW_POST)
    status = preview.wait(status)
    assert status["errors"] == []

    put(post, NEW_POST + "\nBOOM\n")
    status = preview.wait(status)
    assert status["state"] == "failed", status
    assert any("says BOOM" in error for error in status["errors"]), status
    assert "says BOOM" in preview.output()
    put(post, NEW_POST + "\nNo boom after all.\n")
    status = preview.wait(status)
    assert status["state"] == "ready", status
    assert status["errors"] == []
    assert status["build"].split("-")[0] == boot, "fixing a file restarted the preview"
    compare(preview, site, work)
    return status


def _configuration_edit(site: Path, preview: Preview, status: dict[str, Any],
                        work: Path) -> None:
    """conf.py: the preview starts again (same process id), then builds incrementally."""
    pid, boot = preview.process.pid, status["build"].split("-")[0]
    conf = site / "conf.py"
    put(conf, conf.read_text(encoding="utf-8").replace('project = "Reports"',
                                                       'project = "Team reports"'))
    status = preview.wait(status, timeout=START_TIMEOUT)
    assert status["state"] == "ready", preview.output()
    assert status["build"].split("-")[0] != boot, "conf.py changed without a restart"
    assert preview.process.pid == pid
    assert "starting again" in preview.output()
    compare(preview, site, work)

    unrelated = site / UNRELATED
    put(unrelated, unrelated.read_text(encoding="utf-8").replace(
        '"A retitled post"', '"Retitled after the restart"'))
    status = preview.wait(status)
    assert _h1(preview, "_posts/2025-06-10-unrelated.html") == "Retitled after the restart"
    assert status["number"] > 1
    compare(preview, site, work)


def test_a_deleted_post_is_no_longer_served(site: Path, preview: Preview):
    status = preview.wait(timeout=START_TIMEOUT)
    page = "_posts/2025-06-10-unrelated.html"
    assert preview.fetch(page)[0] == 200
    (site / UNRELATED).unlink()
    preview.wait(status)
    code, body = preview.fetch(page)
    assert code == 404
    assert SCRIPT.search(body), "the not-found page reloads when the page comes back"


def test_drafts_are_listed_unless_asked_not_to(site: Path, tmp_path: Path):
    draft = "---\ntitle: Not yet\nauthor: jon\npublished: false\n---\n\nSoon.\n"
    (site / "_posts/2025-07-01-not-yet.md").write_text(draft, encoding="utf-8")
    for options, listed in (((), True), (("--no-drafts",), False)):
        running = Preview(site, tmp_path / f"out{len(options)}", *options)
        try:
            running.wait(timeout=START_TIMEOUT)
            code, body = running.fetch("blog/index.html")
            assert code == 200
            assert (b"Not yet" in body) is listed
        finally:
            running.stop()


def test_output_and_version_control_folders_are_not_watched(site: Path, preview: Preview):
    status = preview.wait(timeout=START_TIMEOUT)
    (site / ".git").mkdir()
    (site / ".git" / "index").write_text("x", encoding="utf-8")
    (site / "_posts" / ".2025-06-10-unrelated.md.swp").write_text("x", encoding="utf-8")
    (site / "_posts" / "#draft.md#").write_text("x", encoding="utf-8")
    (site / "_posts" / "4913").write_text("x", encoding="utf-8")
    time.sleep(2 * SETTLE)
    assert preview.status() == status, "a change nobody makes to the sources started a build"


def test_stopping_leaves_what_sphinx_build_continues_from(site: Path, preview: Preview,
                                                          tmp_path: Path):
    """Ctrl+C writes what was deferred: the next build starts from it, reading nothing."""
    status = preview.wait(timeout=START_TIMEOUT)
    unrelated = site / UNRELATED
    put(unrelated, unrelated.read_text(encoding="utf-8").replace("cooking", "baking"))
    preview.wait(status)
    preview.stop()
    assert preview.process.returncode == 0, preview.output()
    out = tmp_path / "out"
    said = io.StringIO()
    app = Sphinx(site, site, out, out / ".doctrees", "html", confoverrides=DRAFTS,
                 status=said, warning=io.StringIO())
    app.build()
    sys.modules.pop("boom", None)
    assert "0 added, 0 changed, 0 removed" in said.getvalue(), said.getvalue()
    clean = clean_build(site, tmp_path / "clean")
    for file in sorted(clean.rglob("*")):
        path = file.relative_to(clean).as_posix()
        if file.is_file() and not path.startswith(".doctrees/"):
            kept = (out / path).read_bytes()
            if path == "searchindex.js":
                assert _search_index(kept) == _search_index(file.read_bytes())
            else:
                assert kept == file.read_bytes(), path


@pytest.mark.parametrize("fast", [True, False], ids=["shortcuts", "plain"])
def test_builds_in_one_process_equal_a_clean_build(site: Path, tmp_path: Path, fast: bool):
    """The builder alone, with its shortcuts and without (a Sphinx they were not checked on)."""
    from sphinx_postblog.preview.builder import PreviewBuilder  # noqa: PLC0415
    from sphinx_postblog.preview.fastpaths import Changes, available, norm  # noqa: PLC0415

    assert available((9, 0))
    assert not available((7, 2))
    out = tmp_path / "out"
    builder = PreviewBuilder(site, out, overrides=DRAFTS, fast=fast, watched=[site])
    assert builder.build().ok
    unrelated = site / UNRELATED
    edit(unrelated, unrelated.read_text(encoding="utf-8").replace(
        '"An unrelated post"', '"Retitled in one process"').replace("cooking", "baking"))
    outcome = builder.build(Changes(frozenset({norm(unrelated)})))
    assert outcome.ok
    assert outcome.read == 1
    builder.close()
    # What a test application undoes when it is cleaned up: the node classes and roles
    # this application registered for the process (later test builds would warn).
    _clean_up_global_state()
    sys.modules.pop("boom", None)
    clean = clean_build(site, tmp_path / "clean")
    for file in sorted(clean.rglob("*")):
        path = file.relative_to(clean).as_posix()
        if file.is_file() and not path.startswith(".doctrees/"):
            kept = (out / path).read_bytes()
            if path == "searchindex.js":
                assert _search_index(kept, sphinx_leftovers=not fast) == _search_index(
                    file.read_bytes())
            else:
                assert kept == file.read_bytes(), path
