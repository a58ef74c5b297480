"""The files a preview build leaves for later: feeds, sitemap, search index and the rest.

Nobody reads the feeds, ``sitemap.xml``, ``searchindex.js`` (the search page),
``objects.inv`` (intersphinx) or the pickled environment (the next start) right after a
save, and at 5,000 posts each costs from a tenth of a second to several. :class:`Deferred` writes them when the server is asked for them,
when the preview is idle (in a forked copy of the process, so that an edit made meanwhile
is not kept waiting: the copy is stopped and the build goes on) and before the preview
stops or starts again. The environment saved on disk is never one the output has moved
away from in the middle of a build (:meth:`Deferred.set_aside`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.application import ENV_PICKLE_FILENAME

from sphinx_postblog.config import settings
from sphinx_postblog.preview.fastpaths import LATE_FILES, Kept
from sphinx_postblog.state import end_run

if TYPE_CHECKING:
    from collections.abc import Iterable
    from collections.abc import Set as AbstractSet

    from sphinx.application import Sphinx


#: What a feed's file name ends with (Atom, RSS, JSON Feed, a template's Atom feed).
_FEED_ENDINGS = (".xml", ".json")


class Deferred:
    """Writing what the shortcuts leave for later (feeds to environment)."""

    def __init__(self, app: Sphinx, kept: Kept) -> None:
        self.app, self.kept = app, kept
        #: The environment may be saved: the last build succeeded.
        self.healthy = True
        self._child: tuple[int, set[str], int] | None = None
        #: The build after which a background write failed (not tried again for it).
        self._failed = -1

    def paths(self) -> dict[str, Path]:
        """Where each deferred file goes."""
        builder = self.app.builder
        return {
            "searchindex": Path(self.app.outdir, getattr(builder, "searchindex_filename",
                                                         "searchindex.js")),
            "inventory": Path(self.app.outdir, "objects.inv"),
            "environment": Path(self.app.doctreedir, ENV_PICKLE_FILENAME),
        }

    def asked(self, path: str) -> set[str]:
        """The deferred files a request for ``path`` (relative to the output) needs."""
        wanted = {name for name, file in self.paths().items()
                  if file == Path(self.app.outdir, path)}
        if path == "sitemap.xml":
            wanted.add("sitemap")
        if path.startswith(f"{settings(self.app).path}/") and path.endswith(_FEED_ENDINGS):
            wanted.add("feeds")
        return wanted & self.kept.deferred

    def write(self, names: Iterable[str] | None = None) -> None:
        """Write deferred files now, in this process (the caller keeps builds out)."""
        wanted = self._writable(self.kept.deferred if names is None else names)
        self._write(wanted)
        self.kept.deferred -= wanted

    def _writable(self, names: Iterable[str]) -> set[str]:
        """The deferred files among ``names`` that may be written now."""
        found = set(names) & self.kept.deferred
        if not self.healthy:
            found.discard("environment")  # only the environment of a build that went through
        return found

    def _write(self, names: AbstractSet[str]) -> None:
        paths, builder, env = self.paths(), self.app.builder, self.app.env
        # The feeds and the sitemap from the last build's view, as its build-finished
        # would have written them; then the run they made is closed, as a build's is.
        late = [write for write, name in LATE_FILES.items() if name in names]
        for write in late:
            write(self.app, None)
        if late:
            end_run(self.app, None)
        # The environment last: a saved environment promises files that match it.
        for name in ("searchindex", "inventory", "environment"):
            if name not in names:
                continue
            path = paths[name]
            temporary = path.with_name(f"{path.name}.tmp{os.getpid()}")
            if name == "searchindex":
                indexer = self.kept.indexer
                if indexer is None:
                    continue
                binary = not getattr(builder, "indexer_dumps_unicode", True)
                with temporary.open("wb" if binary else "w",
                                    encoding=None if binary else "utf-8") as stream:
                    indexer.dump(stream, getattr(builder, "indexer_format", "json"))
            elif name == "inventory":
                from sphinx.util.inventory import InventoryFile  # noqa: PLC0415 (seldom)

                InventoryFile.dump(temporary, env, builder)
            else:
                with temporary.open("wb") as stream:
                    pickle.dump(env, stream, pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
            if name == "environment":
                path.with_name(f"{path.name}.aside").unlink(missing_ok=True)

    def in_background(self, number: int) -> bool:
        """Write the deferred files in a forked copy of this process; whether it started."""
        self.poll()
        names = self._writable(self.kept.deferred)
        if not names or self._child is not None or self._failed == number or \
                not hasattr(os, "fork"):
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads, 3.12+
            pid = os.fork()
        if pid == 0:  # pragma: no cover (the child process)
            code = 1
            with contextlib.suppress(BaseException):
                self._write(names)
                code = 0
            os._exit(code)
        self._child = (pid, names, number)
        return True

    def poll(self, number: int | None = None) -> None:
        """Take note of a background write that ended (what it wrote is written)."""
        if self._child is None:
            return
        pid, names, at = self._child
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            self._child = None
            if os.waitstatus_to_exitcode(status) != 0:
                self._failed = at  # not again until the next build (then in this process)
            elif number is None or number == at:
                self.kept.deferred -= names

    def cancel(self) -> None:
        """Stop a background write (a build is about to change what it writes)."""
        if self._child is None:
            return
        pid = self._child[0]
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        self._child = None
        for path in self.paths().values():
            path.with_name(f"{path.name}.tmp{pid}").unlink(missing_ok=True)

    def set_aside(self) -> None:
        """Move the saved environment aside while a build writes (it is not saved then).

        A saved environment older than the output is still safe to start from, as long
        as the output is whole: the next ``sphinx-build`` reads again every source
        changed since (by modification time), and a page whose blog elements still show
        what the saved environment remembers shows it on disk too. A build cut short
        leaves output that is not whole: then no environment is kept (the next start
        builds afresh), which is why it stays aside until the build has ended.
        """
        self.kept.deferred.add("environment")
        saved = self.paths()["environment"]
        if saved.exists():
            saved.replace(saved.with_name(f"{saved.name}.aside"))

    def put_back(self, whole: bool) -> None:
        """After the build: the environment set aside back (or none, if the output is not whole)."""
        saved = self.paths()["environment"]
        aside = saved.with_name(f"{saved.name}.aside")
        if whole and aside.exists():
            aside.replace(saved)  # over the empty file Sphinx opened for its dump
        else:
            aside.unlink(missing_ok=True)
            saved.unlink(missing_ok=True)
