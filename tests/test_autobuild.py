"""Issue 4, point 5: live preview with the real sphinx-autobuild, end to end.

A temporary blog is served by ``sphinx-autobuild`` on 127.0.0.1 at a free port. A post's
title and body are edited on disk; within a bounded wait the served post page and the
served index page's post list show the change. Then nothing more happens: no further
build starts (the extension writes nothing the watcher would see) and no file of the source
folder was created or changed by any build.
"""

from __future__ import annotations

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
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from postblog_testing import listed_titles, main, text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

pytest.importorskip("sphinx_autobuild")

#: Bounded waits, generous for slow CI machines; the test returns as soon as it can.
START_TIMEOUT = 60.0
CHANGE_TIMEOUT = 60.0
#: How long the server must stay quiet once the change is served.
QUIET = 5.0

POST = "_posts/2024-05-01-first-light.md"
POST_PAGE = "_posts/2024-05-01-first-light.html"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

CONF = """\
project = "Live blog"
extensions = ["myst_parser", "sphinx_postblog"]
html_theme = "alabaster"
"""

INDEX = """\
# Live blog

Latest posts:

```{postlist}
```
"""

FIRST = """\
---
title: First light
author: Ada Lovelace
tags: [telescope]
---
The telescope saw its first star tonight.
"""

SECOND = """\
---
title: Cloudy week
author: Bob Smith
tags: [weather]
---
Nothing to see all week.
"""

EDITED = """\
---
title: First light, again
author: Ada Lovelace
tags: [telescope]
---
The mirror was realigned and the star is sharp now.
"""


def _autobuild_command() -> list[str]:
    """The ``sphinx-autobuild`` executable of this environment, or its module."""
    found = Path(sys.executable).with_name("sphinx-autobuild")
    if found.is_file():
        return [str(found)]
    on_path = shutil.which("sphinx-autobuild")
    return [on_path] if on_path else [sys.executable, "-m", "sphinx_autobuild"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _source_files(src: Path) -> dict[str, tuple[int, int]]:
    """Every file of the source folder: name → (modification time, size)."""
    return {p.relative_to(src).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(src.rglob("*")) if p.is_file()}


class Server:
    """A running sphinx-autobuild and everything it printed."""

    def __init__(self, src: Path, out: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self._lock = threading.Lock()
        environ = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [*_autobuild_command(), str(src), str(out), "--host", "127.0.0.1",
             "--port", str(self.port), "-N"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environ,
            cwd=out.parent,
            # Its own process group, so that the Sphinx build it runs ends with it.
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(_ANSI.sub("", line.rstrip("\n")))

    def output(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def count(self, marker: str) -> int:
        with self._lock:
            return sum(marker in line for line in self.lines)

    def get(self, path: str) -> BeautifulSoup | None:
        """The served page, parsed, or None while the server does not answer."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return BeautifulSoup(response.read().decode("utf-8"), "html.parser")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, what: str, check: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"sphinx-autobuild exited ({self.process.returncode}) while "
                            f"waiting for {what}:\n{self.output()}")
            if check():
                return
            time.sleep(0.25)
        pytest.fail(f"no {what} within {timeout:.0f} s; sphinx-autobuild said:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self._reader.join(timeout=5)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    (src / POST).write_text(FIRST, encoding="utf-8")
    (src / "_posts/2024-04-20-cloudy-week.md").write_text(SECOND, encoding="utf-8")
    return src


@pytest.fixture
def server(blog: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(blog, tmp_path / "out")
    try:
        yield running
    finally:
        running.stop()


def _post_shows(server: Server, title: str, words: str) -> bool:
    soup = server.get(POST_PAGE)
    if soup is None or soup.title is None:
        return False
    return title in soup.title.get_text() and words in text(main(soup))


def _index_lists(server: Server, title: str) -> bool:
    soup = server.get("index.html")
    return soup is not None and title in listed_titles(soup)


def test_an_edited_post_is_served_without_a_rebuild_loop(blog: Path, server: Server):
    before_start = _source_files(blog)
    server.wait_for("post page", lambda: _post_shows(server, "First light", "first star"),
                    START_TIMEOUT)
    server.wait_for("post list", lambda: _index_lists(server, "First light"), START_TIMEOUT)
    # The initial build has finished before the server answers (its last line may still
    # be on its way through the pipe).
    server.wait_for("end of the initial build",
                    lambda: server.count("build succeeded") >= 1, START_TIMEOUT)
    assert server.count("build succeeded") == 1, server.output()
    assert _source_files(blog) == before_start, "the initial build wrote into the source folder"

    builds = server.count("build succeeded")
    (blog / POST).write_text(EDITED, encoding="utf-8")
    edited = _source_files(blog)
    server.wait_for("edited post page",
                    lambda: _post_shows(server, "First light, again", "star is sharp"),
                    CHANGE_TIMEOUT)
    server.wait_for("edited post list",
                    lambda: _index_lists(server, "First light, again"), CHANGE_TIMEOUT)
    # Let the build that served the change finish (feeds are written at its very end).
    server.wait_for("end of the rebuild",
                    lambda: server.count("build succeeded") > builds, CHANGE_TIMEOUT)
    soup = server.get("index.html")
    assert soup is not None
    assert listed_titles(soup) == ["First light, again", "Cloudy week"]

    # Settled: the server stays quiet, so nothing the build did looked like a change.
    started = server.count("Running Sphinx")
    finished = server.count("build succeeded")
    time.sleep(QUIET)
    assert server.count("Running Sphinx") == started, server.output()
    assert server.count("build succeeded") == finished, server.output()
    assert finished == 2, server.output()
    assert _source_files(blog) == edited, "a build wrote into the source folder"
    assert server.process.poll() is None, server.output()


# -- in a real browser ---------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser_page():
    """A Chromium page driven by playwright (Debian's chromium; skipped where it is absent)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox"])
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_an_open_page_reloads_itself_with_the_edit(blog: Path, server: Server, browser_page):
    """What a writer sees: the post open in a browser shows the edit, with no manual reload."""
    server.wait_for("post page", lambda: _post_shows(server, "First light", "first star"),
                    START_TIMEOUT)
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    browser_page.goto(server.base + POST_PAGE)
    heading = browser_page.locator(".postblog-post h1").first
    assert heading.inner_text().strip() == "First light"
    assert browser_page.locator(".postblog-header .p-author").first.inner_text() == "Ada Lovelace"
    # The live-reload connection is open before the edit, so the reload cannot be missed.
    browser_page.wait_for_function(
        "() => typeof ws !== 'undefined' && ws.readyState === WebSocket.OPEN",
        timeout=START_TIMEOUT * 1000)

    (blog / POST).write_text(EDITED, encoding="utf-8")
    browser_page.wait_for_function(
        "() => document.title.includes('First light, again')", timeout=CHANGE_TIMEOUT * 1000)
    assert heading.inner_text().strip() == "First light, again"
    assert "star is sharp" in browser_page.locator(".postblog-post").first.inner_text()
    assert errors == []
