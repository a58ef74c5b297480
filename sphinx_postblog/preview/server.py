"""Serving the output folder on 127.0.0.1, with live reload, never half-written.

A standard library HTTP server (one thread per connection) serves the output folder as
it is, adding the live reload script to HTML pages (:mod:`.client`), with
``Cache-Control: no-store``. Its own resources are under ``/_preview/``: ``reload.js``,
``events`` (Server-Sent Events: one message per change of the :class:`LiveState`) and
``status`` (the same as JSON, for scripts and tests).

Builds and reads of the output folder take turns (:class:`Gate`): a request waits while a
build writes, so a page is never served half-written or from two builds; a build waits
for the files being sent. Files a build leaves for later (the search index, the
inventory) are written when asked for, before they are served.
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from sphinx_postblog.preview import client

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: How long a request waits for a running build before it is served what is there.
READ_TIMEOUT = 120.0
#: Seconds between keep-alive comments on an idle event stream.
PING = 15.0


class Gate:
    """Builds and reads of the output folder, never at the same time (builds first)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._building = 0
        self._readers = 0

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """Hold off new reads, wait for those under way, then build."""
        with self._cond:
            self._building += 1
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._building -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def reading(self, timeout: float = READ_TIMEOUT) -> Iterator[None]:
        """Wait for a running build to end (at most ``timeout``), then read."""
        with self._cond:
            self._cond.wait_for(lambda: self._building == 0, timeout)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()


class LiveState:
    """What the browser is told: the build pages come from, the state, the problems."""

    def __init__(self, boot: str) -> None:
        self._cond = threading.Condition()
        self.version = 0
        self.closed = False
        self.data: dict[str, Any] = {"build": f"{boot}-0", "state": "starting",
                                     "errors": [], "warnings": []}

    def publish(self, **changes: Any) -> None:
        """Change what is told, and tell every listener."""
        with self._cond:
            self.data = {**self.data, **changes}
            self.version += 1
            self._cond.notify_all()

    def current(self) -> tuple[int, dict[str, Any]]:
        """The version and the data now."""
        with self._cond:
            return self.version, dict(self.data)

    def wait(self, version: int, timeout: float) -> tuple[int, dict[str, Any]]:
        """The version and data after ``version`` (or the same, after ``timeout``)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != version or self.closed, timeout)
            return self.version, dict(self.data)

    def close(self) -> None:
        """End every event stream."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server of one preview."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], outdir: Path, state: LiveState, gate: Gate,
                 prepare: Callable[[str], None] = lambda path: None) -> None:
        self.outdir = outdir
        self.state = state
        self.gate = gate
        #: Called with an output path before it is served (deferred files are written).
        self.prepare = prepare
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """Where the preview is served."""
        host, port = self.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}/"

    def start(self) -> threading.Thread:
        """Serve in a thread."""
        thread = threading.Thread(target=self.serve_forever, name="postblog-server",
                                  daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop serving and free the port."""
        self.state.close()
        self.shutdown()
        self.server_close()


class _Handler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def setup(self) -> None:
        # Serve the output folder, whatever the working directory.
        self.directory = str(self.server.outdir)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing per request: the terminal shows builds."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path.startswith(client.PREFIX):
            self._own(path.removeprefix(client.PREFIX))
            return
        relative = posixpath.normpath(path).lstrip("/")
        with contextlib.suppress(Exception):
            self.server.prepare(relative)
        with self.server.gate.reading():
            file = Path(self.translate_path(self.path))
            if file.is_dir() and path.endswith("/"):
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                           client.inject(file.read_bytes(), self._build()))
                return
            if not file.exists():
                self._missing(path)
                return
            super().do_GET()

    def do_HEAD(self) -> None:
        with self.server.gate.reading():
            super().do_HEAD()

    def _build(self) -> str:
        return str(self.server.state.current()[1]["build"])

    def _missing(self, path: str) -> None:
        data = self.server.state.current()[1]
        if data["state"] in {"starting", "building"} and not Path(self.server.outdir,
                                                                 "index.html").is_file():
            page = client.stand_in("Building…", "The first build is running; this page "
                                   "shows the site when it is ready.", self._build())
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
            return
        page = client.stand_in("Not found", f"{path} is not in the build. This page "
                               "reloads when a build writes it.", self._build())
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", page)

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _own(self, name: str) -> None:
        if name == "reload.js":
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", client.SCRIPT.encode())
        elif name == "status":
            self._send(HTTPStatus.OK, "application/json",
                       json.dumps(self.server.state.current()[1]).encode())
        elif name == "events":
            self._events()
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _events(self) -> None:
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        version, data = state.current()
        try:
            self.wfile.write(b"retry: 500\n\n" + client.event(data))
            self.wfile.flush()
            while not state.closed:
                newer, data = state.wait(version, PING)
                self.wfile.write(client.event(data) if newer != version else b": ping\n\n")
                self.wfile.flush()
                version = newer
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
