"""The preview phase: from a saved edit to the served page showing it, with a live server.

Four live servers, each on a free port of 127.0.0.1 and on the site the build phases left
(its output folder and doctrees, so each starts with a no-op build):

- **preview**: ``sphinx-postblog preview --no-drafts`` on the postblog site (same settings
  as the sphinx-build phases), one Sphinx application in memory;
- **autobuild-postblog**, **autobuild-floor**, **autobuild-ablog**: sphinx-autobuild on
  the postblog, floor and ablog sites (a new ``sphinx-build`` process per save; ablog's
  from its own virtual environment).

Each edit appends a paragraph with a new marker to the site's target post and measures,
from the write:

- **reload**: the live reload event that makes an open page reload (sphinx-autobuild's
  ``refresh`` on its websocket, the preview's next ``ready`` build on its event stream),
  received by a client of each, as the browser's script receives it; this is the figure
  the tables show;
- **page**: the served post page containing the marker, polling the URL every 10 ms.
  sphinx-autobuild serves the page as soon as its build writes it, before the build
  (feeds, search index) has ended and before it tells the browser; the preview serves it
  when its build has ended.

After each edit the server finishes its build and idles for ``pause`` seconds, as a writer
pauses between saves. The preview's memory is its resident set size (``/proc``) after its
first build, every ``MEMORY_STEP`` edits of a long series, and at its end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from measure import Site

LIVE_SYSTEMS = ("preview", "autobuild-postblog", "autobuild-floor", "autobuild-ablog")
#: The site (system of the build phases) each live server serves.
SITE_OF = {"preview": "postblog", "autobuild-postblog": "postblog",
           "autobuild-floor": "floor", "autobuild-ablog": "ablog"}
#: A line each server prints when a build has ended.
BUILT = {"preview": re.compile(r"\[preview\] build \d+ (built|FAILED)"),
         "autobuild": re.compile(r"Serving on http")}
START_TIMEOUT = 3600.0
EDIT_TIMEOUT = 1800.0
POLL = 0.01
MEMORY_STEP = 20


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveRun:
    """One live server's figures: seconds per edit, start-up, memory samples."""

    #: From the write to the live reload event, per edit.
    seconds: list[float] = field(default_factory=list)
    #: From the write to the served page showing the edit, per edit.
    page_seconds: list[float] = field(default_factory=list)
    start_seconds: float = 0.0
    #: (edits done, resident MB) after the first build and every MEMORY_STEP edits.
    rss_mb: list[tuple[int, float]] = field(default_factory=list)
    failure: str = ""

    @property
    def median(self) -> float | None:
        """The median edit-to-reload time."""
        return statistics.median(self.seconds) if self.seconds else None

    def as_json(self) -> dict[str, Any]:
        """The run as JSON data, with its medians."""
        page = statistics.median(self.page_seconds) if self.page_seconds else None
        return {**asdict(self), "median": self.median, "page_median": page}


class Reloads(threading.Thread):
    """A client of a server's live reload, as the browser's script is: when it said reload."""

    def __init__(self, system: str, base: str) -> None:
        super().__init__(daemon=True)
        self.system, self.base = system, base
        self.times: list[float] = []
        self.connected = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        try:
            if self.system == "preview":
                self._events()
            else:
                self._websocket()
        except Exception:  # noqa: BLE001 (the server stopped: nothing more to hear)
            return

    def _websocket(self) -> None:
        from websockets.sync.client import connect  # noqa: PLC0415 (sphinx-autobuild's)

        url = self.base.replace("http://", "ws://") + "websocket-reload"
        with connect(url, open_timeout=60) as socket_:
            self.connected.set()
            for message in socket_:
                if message == "refresh":
                    self._note()

    def _events(self) -> None:
        with urllib.request.urlopen(self.base + "_preview/events", timeout=EDIT_TIMEOUT) as stream:
            shown = None
            for line in stream:
                if not line.startswith(b"data: "):
                    continue
                data = json.loads(line[len(b"data: "):])
                if shown is None:
                    shown = data["build"]  # the build the page was loaded from
                    self.connected.set()
                elif data["state"] in {"ready", "failed"} and data["build"] != shown:
                    shown = data["build"]
                    self._note()

    def _note(self) -> None:
        with self._lock:
            self.times.append(time.perf_counter())

    def first_after(self, start: float) -> float | None:
        """When the first reload after ``start`` was said, if it was."""
        with self._lock:
            return next((t for t in self.times if t > start), None)


class Server:
    """A live server process and what it printed."""

    def __init__(self, system: str, command: list[str], cwd: Path, pythonpath: str) -> None:
        self.system = system
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self._lock = threading.Lock()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        self.process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace", start_new_session=True)
        self.built = BUILT["preview" if system == "preview" else "autobuild"]
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def builds(self) -> int:
        """Builds ended so far."""
        with self._lock:
            return sum(bool(self.built.search(line)) for line in self.lines)

    def tail(self) -> str:
        with self._lock:
            return "\n".join(self.lines[-30:])

    def get(self, path: str) -> bytes | None:
        """A served page, or None while the server does not answer."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=EDIT_TIMEOUT) as response:
                return response.read()
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                TimeoutError):
            return None  # not answering yet, or the file changed while it was sent

    def rss_mb(self) -> float:
        """The server process's resident set size (Linux), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        return round(int(match.group(1)) / 1024, 1) if match else 0.0

    def wait_for(self, what: str, check: Any, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = f"{self.system} exited ({self.process.returncode}) waiting for {what}"
                raise RuntimeError(f"{msg}:\n{self.tail()}")
            if check():
                return
            time.sleep(POLL)
        raise RuntimeError(f"{self.system}: no {what} within {timeout:.0f} s:\n{self.tail()}")

    def stop(self) -> None:
        """Stop the server (Ctrl+C), as a user does; killed if it does not stop."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


def command(system: str, site: Site, defines: tuple[str, ...] = ()) -> list[str]:
    """The command line of a live server on a site (``defines``: ``-D`` for postblog's)."""
    python = str(site.python)
    options = [f"-D{define}" for define in defines] if SITE_OF[system] == "postblog" else []
    if system == "preview":
        return [python, "-m", "sphinx_postblog.cli", "preview", "--no-drafts", *options,
                str(site.srcdir), str(site.outdir)]
    # sphinx-autobuild runs sphinx-build with its own interpreter (the site's).
    return [python, "-m", "sphinx_autobuild", *options, str(site.srcdir), str(site.outdir)]


def has_autobuild(python: Path) -> bool:
    """Whether sphinx-autobuild is installed for ``python``; installs it if it can."""
    check = [str(python), "-c", "import sphinx_autobuild"]
    if subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return True
    install = [str(python), "-m", "pip", "install", "--quiet", "sphinx-autobuild"]
    subprocess.run(install, capture_output=True, check=False)
    return subprocess.run(check, capture_output=True, check=False).returncode == 0


def append_marker(path: Path, marker: str) -> None:
    """Append a paragraph naming ``marker`` to a post (as an editor saves it)."""
    text = path.read_bytes().decode("utf-8")
    path.write_bytes((text.rstrip() + f"\n\nLive edit {marker}.\n").encode("utf-8"))


def measure(system: str, site: Site, edits: int, pause: float,
            memory_edits: int = 0, defines: tuple[str, ...] = ()) -> LiveRun:
    """Start a live server on ``site``, make ``edits`` edits (or ``memory_edits``), stop it."""
    run = LiveRun()
    post = site.srcdir / "_posts" / site.target
    page = f"_posts/{Path(site.target).stem}.html"
    server = Server(system, command(system, site, defines), site.srcdir.parent,
                    site.pythonpath)
    try:
        start = time.perf_counter()
        server.wait_for("first build", lambda: server.builds() >= 1, START_TIMEOUT)
        server.wait_for("post page", lambda: server.get(page) is not None, START_TIMEOUT)
        run.start_seconds = round(time.perf_counter() - start, 2)
        reloads = Reloads(system, server.base)
        reloads.start()
        if not reloads.connected.wait(60):
            raise RuntimeError(f"{system}: no live reload connection:\n{server.tail()}")
        if memory_edits:
            run.rss_mb.append((0, server.rss_mb()))
        total = memory_edits or edits
        for number in range(1, total + 1):
            reload, shown = _one_edit(server, reloads, post, page, f"{system}-{number}")
            run.seconds.append(reload)
            run.page_seconds.append(shown)
            if memory_edits and (number % MEMORY_STEP == 0 or number == total):
                run.rss_mb.append((number, server.rss_mb()))
            time.sleep(pause)
    except RuntimeError as exc:
        run.failure = str(exc)[-1500:]
    finally:
        server.stop()
    return run


def _one_edit(server: Server, reloads: Reloads, post: Path, page: str,
              label: str) -> tuple[float, float]:
    """Seconds from writing an edit to the reload event and to the served page showing it."""
    marker = f"{label}-{secrets.token_hex(4)}".encode()
    builds = server.builds()
    start = time.perf_counter()
    append_marker(post, marker.decode())
    deadline = start + EDIT_TIMEOUT
    while True:
        body = server.get(page)
        if body is not None and marker in body:
            seconds = time.perf_counter() - start
            break
        if time.perf_counter() > deadline or server.process.poll() is not None:
            msg = f"{server.system}: the edit {label} was not served:\n{server.tail()}"
            raise RuntimeError(msg)
        time.sleep(POLL)
    server.wait_for("end of the build", lambda: server.builds() > builds, EDIT_TIMEOUT)
    server.wait_for("live reload", lambda: reloads.first_after(start) is not None, EDIT_TIMEOUT)
    reload = (reloads.first_after(start) or start) - start
    return round(reload, 3), round(seconds, 3)


def run_live(sites: dict[str, Site], systems: list[str], edits: int, pause: float,
             memory_edits: int, defines: tuple[str, ...] = (),
             echo: bool = True) -> dict[str, Any]:
    """Every live system whose site was built; figures by system."""
    found: dict[str, Any] = {}
    for system in LIVE_SYSTEMS:
        site = sites.get(SITE_OF[system])
        if site is None or site.failure or (system != "preview" and system.split("-")[1]
                                            not in systems):
            continue
        if system != "preview" and not has_autobuild(site.python):
            found[system] = {"failure": "sphinx-autobuild could not be installed"}
            continue
        run = measure(system, site, edits, pause, defines=defines)
        found[system] = run.as_json()
        if echo:
            shown = ", ".join(f"{s:.2f}" for s in run.seconds)
            pages = ", ".join(f"{s:.2f}" for s in run.page_seconds)
            print(f"  {system:18} edit-to-reload {shown} s, page changed {pages} s "
                  f"(start {run.start_seconds:.1f} s)"
                  + (f"  FAILED: {run.failure[-300:]}" if run.failure else ""), flush=True)
    site = sites.get("postblog")
    if memory_edits and site is not None and not site.failure:
        run = measure("preview", site, 0, 0.05, memory_edits=memory_edits, defines=defines)
        found["preview-memory"] = run.as_json()
        if echo:
            print(f"  preview memory over {memory_edits} edits: "
                  + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in run.rss_mb), flush=True)
    return found
