"""Watching the sources (``watchfiles``): which changes rebuild, which restart the preview.

The source folder is watched, and beside it what a build loads once and keeps: the
configuration folder, the template and theme folders, and the project's own themes and
extensions (a ``_ext/`` folder; an extension or theme installed elsewhere in editable
mode when its folder is named with ``--watch``). A change there cannot be taken in by
building again in the same process (``conf.py`` is run once, templates, catalogs and
modules are loaded once), so it restarts the preview; any other change is built. The output folder, the doctrees, version control
folders and editors' temporary files are not watched.
"""

from __future__ import annotations

import queue
import site
import sys
import sysconfig
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import watchfiles

from sphinx_postblog.preview.fastpaths import Changes, norm, under

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

#: Temporary files of editors, besides those watchfiles already leaves out (``*.swp``,
#: ``*~``, ``.#*``): Emacs autosaves, Vim's write test, Kate, GNOME, JetBrains, Chrome.
EDITOR_FILES = (r"^#.*#$", r"^4913$", r"\.kate-swp$", r"^\.goutputstream-", r"___jb_\w+___$",
                r"\.crswap$", r"\.tmp\d*$", r"^\.~lock\.")


class SourceFilter(watchfiles.DefaultFilter):
    """watchfiles' default filter, without editors' temporary files and given folders."""

    ignore_entity_patterns = (*watchfiles.DefaultFilter.ignore_entity_patterns, *EDITOR_FILES)

    def __init__(self, ignore_paths: Iterable[str]) -> None:
        super().__init__(ignore_paths=tuple(ignore_paths))


def installed_roots() -> tuple[str, ...]:
    """Folders of installed Python code: changes there are not watched for."""
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(),
             site.getusersitepackages()}
    found |= {path for key, path in sysconfig.get_paths().items() if key in {"stdlib", "purelib"}}
    return tuple(sorted(norm(path) for path in found if path))


def _theme_dirs(app: Sphinx) -> list[str]:
    theme = getattr(app.builder, "theme", None)
    if theme is None:
        return []
    getter = getattr(theme, "get_theme_dirs", None)
    dirs = getter() if getter is not None else getattr(theme, "_dirs", [])
    return [norm(path) for path in dirs]


def _extension_files(app: Sphinx) -> list[str]:
    found = []
    for extension in app.extensions.values():
        module_file = getattr(extension.module, "__file__", None)
        if module_file:
            path = Path(module_file)
            found.append(norm(path.parent if path.name == "__init__.py" else path))
    return found


@dataclass(frozen=True)
class WatchPlan:
    """What to watch, what to leave out, and what restarts."""

    roots: tuple[str, ...]
    ignored: tuple[str, ...]
    restart_files: frozenset[str]
    restart_roots: tuple[str, ...]
    confdir: str = ""
    more: tuple[str, ...] = field(default=())

    def restarts(self, path: str) -> bool:
        """Whether a change to ``path`` needs a new process."""
        if path in self.restart_files or under(path, self.restart_roots):
            return True
        # conf.py may import any Python file beside it; so may local extensions.
        return path.endswith(".py") and under(path, (*self.roots, self.confdir))


def plan_watch(app: Sphinx | None, srcdir: Path, confdir: Path, outdir: Path,
               doctreedir: Path, more: Iterable[Path] = ()) -> WatchPlan:
    """What the preview of ``app`` watches (only the folders when the app could not be made)."""
    source, conf = norm(srcdir), norm(confdir)
    extra = tuple(norm(path) for path in more)
    restart_roots: list[str] = []
    if app is not None:
        config = app.config
        restart_roots += [norm(confdir / path) for path in config.templates_path]
        restart_roots += [norm(confdir / path) for path in
                          getattr(config, "html_theme_path", []) or []]
        # The project's own themes and extensions, and those in folders asked for
        # (--watch): not installed packages, which change only when installed again.
        own = (source, conf, *extra)
        installed = installed_roots()
        restart_roots += [path for path in [*_theme_dirs(app), *_extension_files(app)]
                          if under(path, own) and not under(path, installed)]
    roots = [source, conf, *extra, *restart_roots]
    kept: list[str] = []
    for root in sorted(set(roots), key=len):
        if Path(root).is_dir() and not under(root, tuple(kept)):
            kept.append(root)
    return WatchPlan(
        roots=tuple(kept),
        ignored=(norm(outdir), norm(doctreedir)),
        restart_files=frozenset({norm(confdir / "conf.py"), norm(confdir / "docutils.conf")}),
        restart_roots=tuple(restart_roots), confdir=conf, more=extra)


@dataclass(frozen=True)
class Batch:
    """Changes seen together, and whether any of them restarts the preview."""

    changes: Changes
    restart: tuple[str, ...]


class Watcher:
    """watchfiles in a thread; batches of changes taken by the build loop."""

    def __init__(self, plan: WatchPlan) -> None:
        self.plan = plan
        self.stop = threading.Event()
        self._queue: queue.Queue[set[tuple[watchfiles.Change, str]]] = queue.Queue()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="postblog-watcher", daemon=True)

    def start(self) -> None:
        """Start watching (returns once the watcher is set up)."""
        self._thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        watch_filter = SourceFilter(self.plan.ignored)
        for changes in watchfiles.watch(*self.plan.roots, watch_filter=watch_filter,
                                        stop_event=self.stop, step=50, rust_timeout=500,
                                        yield_on_timeout=True, raise_interrupt=False):
            self._ready.set()
            if changes:
                self._queue.put(changes)

    def next(self, timeout: float | None) -> Batch | None:
        """The changes seen since the last call, waiting up to ``timeout`` for one."""
        try:
            found = set(self._queue.get(timeout=timeout))
        except queue.Empty:
            return None
        while not self._queue.empty():  # only this thread takes from the queue
            found |= self._queue.get_nowait()
        paths = {norm(path) for _, path in found}
        moved = {norm(path) for change, path in found if change != watchfiles.Change.modified}
        restart = tuple(sorted(path for path in paths if self.plan.restarts(path)))
        return Batch(Changes(frozenset(paths), frozenset(moved)), restart)

    def close(self) -> None:
        """Stop watching."""
        self.stop.set()
