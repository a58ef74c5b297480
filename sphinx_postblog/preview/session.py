"""The preview's loop: build, serve, watch, build again, and start again when it must.

One :class:`Session` per process: it binds the server first (so the browser can open the
address during a long first build), makes the application, starts the watcher, builds,
then builds each batch of changes the watcher reports. A change that a build in the same
process cannot take in (``conf.py``, a template or theme file, an extension's Python
file) writes what was deferred and starts the process again (``os.execv`` of the same
command, same address). When the preview is idle, deferred files are written in a forked
copy of the process; when it stops (Ctrl+C, SIGTERM), in the process itself.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from sphinx_postblog.preview.builder import PreviewBuilder, describe
from sphinx_postblog.preview.server import Gate, LiveState, PreviewServer
from sphinx_postblog.preview.watcher import Watcher, plan_watch

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx_postblog.preview.builder import Outcome
    from sphinx_postblog.preview.fastpaths import Changes


@dataclass(frozen=True)
class Options:
    """What ``sphinx-postblog preview`` was asked for."""

    srcdir: Path
    outdir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    #: Drafts and future posts listed (``postblog_drafts``, ``postblog_future``).
    drafts: bool = True
    #: More folders to watch (changes there rebuild).
    watch: tuple[Path, ...] = ()
    #: Seconds without changes before deferred files are written.
    idle: float = 1.0
    #: More configuration overrides (``-D name=value``).
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def doctreedir(self) -> Path:
        """Where the doctrees and the pickled environment go."""
        return self.outdir / ".doctrees"

    def confoverrides(self) -> dict[str, Any]:
        """The configuration values the preview sets."""
        shown = {"postblog_drafts": True, "postblog_future": True} if self.drafts else {}
        return {**shown, **self.overrides}


#: The port a preview serves on, for the process it starts again (``--port 0``).
PORT_KEPT = "SPHINX_POSTBLOG_PREVIEW_PORT"


def exec_self() -> NoReturn:
    """Start this process again with the same command line."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class Session:
    """One preview process."""

    def __init__(self, options: Options, out: IO[str] | None = None,
                 restart: Callable[[], None] = exec_self) -> None:
        self.options = options
        self.out = out if out is not None else sys.stdout
        self.restart = restart
        self.boot = secrets.token_hex(4)
        self.state = LiveState(self.boot)
        self.gate = Gate()
        self.builder: PreviewBuilder | None = None
        self._building = False

    def say(self, text: str) -> None:
        """One line on the terminal."""
        print(f"[preview] {text}", file=self.out, flush=True)

    # -- running -------------------------------------------------------------------------

    def run(self) -> int:
        """Serve and build until stopped (Ctrl+C); the exit status."""
        options = self.options
        # --port 0 takes a free port; starting again keeps it (the browser stays connected).
        port = options.port or int(os.environ.get(PORT_KEPT, "0"))
        try:
            server = PreviewServer((options.host, port), options.outdir, self.state,
                                   self.gate, prepare=self._prepare)
        except OSError as exc:
            self.say(f"cannot serve on {options.host}:{port}: {exc}")
            return 1
        os.environ[PORT_KEPT] = str(server.server_address[1])
        server.start()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _stop)
        self.say(f"serving {options.outdir} at {server.url}")
        watcher: Watcher | None = None
        restart = False
        try:
            self.builder = self._make_builder()
            app = self.builder.app if self.builder is not None else None
            watcher = Watcher(plan_watch(app, options.srcdir, options.srcdir, options.outdir,
                                         options.doctreedir, options.watch))
            watcher.start()
            if self.builder is not None:
                self._build(None)
                self.say(f"serving at {server.url}; watching {options.srcdir} for changes "
                         "(Ctrl+C stops)")
            restart = self._loop(watcher)
        except KeyboardInterrupt:
            self.say("stopping")
        finally:
            # A second Ctrl+C while stopping stops at once (what is not written is not
            # kept: the next start builds what it must).
            with contextlib.suppress(KeyboardInterrupt):
                if watcher is not None:
                    watcher.close()
                self._close()
                server.close()
        if restart:
            self.restart()
        return 0

    def _make_builder(self) -> PreviewBuilder | None:
        options = self.options
        try:
            return PreviewBuilder(options.srcdir, options.outdir,
                                  doctreedir=options.doctreedir,
                                  overrides=options.confoverrides(), terminal=self.out,
                                  watched=[options.srcdir, *options.watch])
        except Exception as exc:  # noqa: BLE001 (any error of conf.py or an extension)
            text = describe(exc)
            print(text, file=sys.stderr, flush=True)
            self.say("the project cannot be loaded; fix it and save: the preview starts again")
            self.state.publish(state="failed", errors=[text], warnings=[])
            return None

    def _loop(self, watcher: Watcher) -> bool:
        """Build each batch of changes; True when the process must start again."""
        idle_since = time.monotonic()
        while True:
            batch = watcher.next(timeout=0.25)
            builder = self.builder
            if batch is None:
                if builder is not None and time.monotonic() - idle_since >= self.options.idle:
                    with self.gate.building():
                        builder.deferred.poll(builder.number)
                        builder.deferred.in_background(builder.number)
                continue
            if batch.restart:
                shown = ", ".join(os.path.relpath(path) for path in batch.restart[:3])
                self.say(f"{shown} changed: starting again")
                self.state.publish(state="restarting")
                return True
            if builder is not None:
                self._build(batch.changes)
                idle_since = time.monotonic()

    def _build(self, changes: Changes | None) -> Outcome:
        builder = self.builder
        assert builder is not None
        self.state.publish(state="building")
        with self.gate.building():
            # Left set if the build is cut short (Ctrl+C): then nothing of it is saved.
            self._building = True
            outcome = builder.build(changes)
            self._building = False
            if outcome.number == 1:
                builder.status.echo = None  # progress only for the first build
        errors = [p.text for p in outcome.errors]
        warnings = [p.text for p in outcome.warnings]
        if outcome.ok:
            self.state.publish(build=f"{self.boot}-{outcome.number}", state="ready",
                               errors=errors, warnings=warnings, number=outcome.number,
                               seconds=round(outcome.seconds, 3))
        else:
            print(errors[-1], file=sys.stderr, flush=True)
            self.state.publish(state="failed", errors=errors, warnings=warnings,
                               number=outcome.number, seconds=round(outcome.seconds, 3))
        verdict = "built" if outcome.ok else "FAILED"
        self.say(f"build {outcome.number} {verdict} in {outcome.seconds:.2f} s: "
                 f"{outcome.read} read, {outcome.written} written, {len(warnings)} warnings, "
                 f"{len(errors)} errors")
        return outcome

    def _prepare(self, path: str) -> None:
        """Write a deferred file that is asked for (the server's thread)."""
        builder = self.builder
        if builder is None:
            return
        wanted = builder.deferred.asked(path)
        if wanted:
            with self.gate.building():
                builder.deferred.write(wanted)

    def _close(self) -> None:
        """Write what was deferred, unless a build was cut short (then nothing is kept)."""
        builder = self.builder
        if builder is None:
            return
        with contextlib.suppress(Exception), self.gate.building():
            if self._building:
                builder.deferred.cancel()
                builder.deferred.put_back(whole=False)  # the output is not whole
            else:
                builder.close()


def run(options: Options, out: IO[str] | None = None) -> int:
    """Run a preview in this process until it is stopped; the exit status."""
    return Session(options, out).run()
