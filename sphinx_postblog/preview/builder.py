"""One Sphinx application kept in memory, built again in place for every change.

:class:`PreviewBuilder` makes the application once (``sphinx.application.Sphinx``, the
``html`` builder) and calls its ``build()`` again for each batch of changes: the
environment, the doctrees Sphinx caches and the search index stay in memory between
builds. The first build is Sphinx's own; the later ones take the shortcuts of
:mod:`.fastpaths` (on the Sphinx versions they were checked against) and leave the search
index, the inventory and the pickled environment to :mod:`.deferred`.

A build that raises is recovered from in the same process: the next build reads again
what the failed one was reading, writes again what it was writing, and the environment is
not saved to disk until a build succeeds.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from sphinx.application import Sphinx
from sphinx.util.console import nocolor

from sphinx_postblog.config import settings
from sphinx_postblog.preview import fastpaths
from sphinx_postblog.preview.deferred import Deferred
from sphinx_postblog.preview.fastpaths import Changes, FastPaths, Kept, norm

if TYPE_CHECKING:
    from collections.abc import Iterable
    from collections.abc import Set as AbstractSet

    from sphinx.environment import BuildEnvironment

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LEVEL = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE):")


class Stream(io.TextIOBase):
    """A text stream Sphinx logs to: echoed to a terminal (or not), kept when asked."""

    def __init__(self, echo: IO[str] | None = None, *, keep: bool = False) -> None:
        super().__init__()
        self.echo = echo
        self.keep = keep
        self._parts: list[str] = []

    def write(self, text: str) -> int:  # type: ignore[override]
        """Echo and keep ``text``."""
        if self.keep:
            self._parts.append(text)
        if self.echo is not None:
            self.echo.write(text)
        return len(text)

    def flush(self) -> None:
        """Flush the terminal."""
        if self.echo is not None:
            self.echo.flush()

    def isatty(self) -> bool:
        """Never a terminal: Sphinx writes no colours the browser would show as codes."""
        return False

    def take(self) -> str:
        """What was kept since the last call."""
        text = "".join(self._parts)
        self._parts.clear()
        return _ANSI.sub("", text)


@dataclass(frozen=True)
class Problem:
    """One warning or error of a build, as Sphinx printed it."""

    level: str  # "warning" or "error"
    text: str


def problems_of(text: str) -> list[Problem]:
    """The warnings and errors in what Sphinx wrote to its warning stream."""
    found: list[Problem] = []
    for line in text.splitlines():
        match = _LEVEL.search(line)
        if match:
            level = "warning" if match.group(1) == "WARNING" else "error"
            found.append(Problem(level, line))
        elif found and line.strip():
            found[-1] = Problem(found[-1].level, f"{found[-1].text}\n{line}")
    return found


@dataclass(frozen=True)
class Outcome:
    """What one build did."""

    number: int
    ok: bool  # it ran to the end (errors Sphinx only logged leave it ok)
    seconds: float
    read: int
    written: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        """The errors: logged ones, and the exception when the build failed."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The warnings."""
        return [p for p in self.problems if p.level == "warning"]


class PreviewBuilder:
    """The preview's Sphinx application, built again in place for each batch of changes."""

    def __init__(self, srcdir: Path, outdir: Path, *, confdir: Path | None = None,
                 doctreedir: Path | None = None, overrides: dict[str, Any] | None = None,
                 terminal: IO[str] | None = None, fast: bool = True,
                 watched: Iterable[Path] = ()) -> None:
        if terminal is None or not terminal.isatty():
            nocolor()
        self.status = Stream(terminal)
        self.log = Stream(sys.stderr if terminal is not None else None, keep=True)
        self.app = Sphinx(srcdir, confdir or srcdir, outdir, doctreedir or outdir / ".doctrees",
                          "html", confoverrides=dict(overrides or {}),
                          status=cast("IO[str]", self.status),
                          warning=cast("IO[str]", self.log), freshenv=False)
        self.fast = fast and fastpaths.available()
        self.kept = Kept()
        self.deferred = Deferred(self.app, self.kept)
        self.number = 0
        self._frozen = False
        self.watched = tuple(norm(path) for path in watched)
        self._carried = Changes()
        self._reread: set[str] = set()
        self._reading: list[str] = []
        self._writing: set[str] = set()
        #: The documents of the last build that went through (their pages are served).
        self._known: set[str] | None = None
        self.app.connect("env-before-read-docs", self._before_read, priority=900)
        self.app.connect("env-get-outdated", self._outdated)
        self.app.connect("env-purge-doc", self._purged)
        builder: Any = self.app.builder
        prepare = builder.prepare_writing

        def prepare_writing(docnames: AbstractSet[str]) -> None:
            self._writing = set(docnames)
            prepare(docnames)

        builder.prepare_writing = prepare_writing

    # -- what Sphinx tells us ------------------------------------------------------------

    def _before_read(self, app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        self._reading = list(docnames)

    def _purged(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self.kept.dependencies.pop(docname, None)  # read again or removed: new ones

    def _outdated(self, app: Sphinx, env: BuildEnvironment, added: AbstractSet[str],
                  changed: AbstractSet[str], removed: AbstractSet[str]) -> list[str]:
        """After a failed build: what it was reading, and the pages listing documents."""
        return sorted(self._reread & env.found_docs)

    # -- where things are ----------------------------------------------------------------

    def static_roots(self) -> list[str]:
        """Files and folders whose change means copying the static files again."""
        config, confdir = self.app.config, Path(self.app.confdir)
        roots = [*config.html_static_path]
        roots += [value for value in (config.html_logo, config.html_favicon)
                  if value and "://" not in str(value)]
        return [norm(confdir / str(root)) for root in roots]

    # -- building ------------------------------------------------------------------------

    def build(self, changes: Changes | None = None) -> Outcome:
        """Build what changed; the first build (``changes`` None) is Sphinx's own."""
        self.number += 1
        start = time.perf_counter()
        self.deferred.cancel()
        changes = (changes or Changes()) | self._carried
        self._reading, self._writing = [], set()
        for docname in self.kept.unwritten:
            # Older than any source: Sphinx's own check (without shortcuts) writes it again.
            with contextlib.suppress(OSError):
                os.utime(self.app.builder.get_outfilename(docname),  # type: ignore[attr-defined]
                         (0, 0))
        failure: BaseException | None = None
        fast = self.fast and self.number > 1
        if self._known is None:
            self._known = set(self.app.env.all_docs)
        self._forget_doctrees()
        try:
            if fast:
                self.deferred.set_aside()
                with FastPaths(self.app, changes, self.kept, self.static_roots(),
                               self.watched):
                    self.app.build()
                self.deferred.put_back(whole=True)
            else:
                self.app.build()
        except Exception as exc:  # noqa: BLE001 (shown in the browser, recovered from)
            failure = exc
            self.deferred.put_back(whole=False)
        seconds = time.perf_counter() - start
        self.kept.indexer = getattr(self.app.builder, "indexer", None)
        problems = problems_of(self.log.take())
        if failure is None:
            if self.number == 1 and settings(self.app).gc_tuning:
                self._frozen = True
                self._freeze()
            current = set(self.app.env.all_docs)
            self._forget(self._known - current)
            self._known = current
            self._carried, self._reread = Changes(), set()
            self.kept.unwritten.clear()
            self.deferred.healthy = True
        else:
            self._carried = changes
            self._reread |= set(self._reading) | set(self.app.env.glob_toctrees)
            self.kept.unwritten |= self._writing
            self.deferred.healthy = False
            problems.append(Problem("error", describe(failure)))
        return Outcome(self.number, failure is None, seconds, len(self._reading),
                       len(self._writing), tuple(problems))

    @staticmethod
    def _freeze() -> None:
        """Keep the collector off what the first build leaves alive.

        The environment of a big blog is millions of objects, and every full collection
        walks them all (two seconds in the middle of a rebuild at 5,000 posts, whenever
        enough new objects piled up) without freeing any: they live as long as the
        preview. After the first build they are moved out of its reach (:func:`gc.freeze`);
        what later builds make is collected as usual.
        """
        gc.collect()
        gc.freeze()

    def _forget_doctrees(self) -> None:
        """Drop the doctrees the environment keeps from the last build.

        Sphinx caches each doctree it loads (as pickled bytes) for the rest of the
        process, and the root document's for good: in one ``sphinx-build`` that is one
        build, here the next build would write a page from a doctree read before its
        source changed. Sphinx's own test application clears the cache before every
        build for the same reason. It is also what keeps memory flat over many builds.
        """
        env: Any = self.app.env
        env._pickled_doctree_cache.clear()
        env._write_doc_doctree_cache.clear()
        vars(env).pop("master_doctree", None)

    def _forget(self, removed: Iterable[str]) -> None:
        """Remove the pages of removed documents (Sphinx leaves them): they are gone."""
        builder: Any = self.app.builder
        for docname in removed:
            Path(builder.get_outfilename(docname)).unlink(missing_ok=True)
            sources = Path(self.app.outdir, "_sources", docname)
            for copy in sources.parent.glob(f"{sources.name}.*"):
                copy.unlink(missing_ok=True)

    def close(self) -> None:
        """Write every deferred file (the preview stops or starts again)."""
        self.deferred.cancel()
        self.deferred.write()
        if self._frozen:
            gc.unfreeze()  # the collector as it was, for whatever the process does next
            self._frozen = False


def describe(exc: BaseException) -> str:
    """A failed build as the terminal and the browser show it: the error, then where."""
    cause = getattr(exc, "orig_exc", None) or exc
    lines = traceback.format_exception(type(cause), cause, cause.__traceback__)
    where = "".join(lines[-6:]).rstrip()
    return f"ERROR: the build stopped: {type(exc).__name__}: {exc}\n{where}"
