"""Parallel builds (``sphinx-build -j N``), kept from losing their gain in the main process.

Sphinx forks workers to read and to write, and keeps in its main process work that grows
with the site. On two CPUs that work decides how long the build takes. Measured at 1,100
posts with ``-j 2``:

- Reading: each worker sends back its whole environment, which the main process unpickles
  and merges. The copy is then garbage in reference cycles: the environment points at
  itself through its settings, and the doctree fragments it keeps (tables of contents,
  titles) have parent links. Only the cycle collector frees it, and each of its 20-odd
  full collections walks the growing environment: 5.5 s of the main process's time.
- Writing: the main process resolves a chunk of doctrees, queues it for a writer and goes
  on to the next. It runs ahead of its one writer, so queued chunks pile up, and every
  doctree handed over is garbage in cycles too: 10 full collections, each walking the
  environment and the queued doctrees, 5.7 s, with 1.2 times the floor's memory.

With ``postblog_parallel_tuning`` (the default) and ``-j N``:

- after each merge, the worker's copy of the environment is taken apart (its link to
  itself dropped, the fragments of documents it did not read unlinked), so that it is
  freed at once, and what the main process holds is moved out of the collector's reach
  (:func:`gc.freeze`) until reading ends;
- a chunk of doctrees goes to a writer before the next is resolved, and once the writer
  has forked, the main process's copy is unlinked and freed. What is alive when writing
  starts is frozen again, after one full collection;
- there are ``N`` writers, not ``N - 1``: the main process now has time to spare.

The freeze is lifted when each phase ends, and at the end of the build, so nothing stays out
of the collector's reach; in a process that had frozen objects of its own before the build,
nothing is frozen or unfrozen. Sphinx's ``ParallelTasks`` is replaced for the length of the build
only, in the one module that uses it for documents; the build writes the same files.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

import sphinx.builders
from docutils import nodes
from sphinx.util.parallel import ParallelTasks, parallel_available

from sphinx_postblog.state import build_run
from sphinx_postblog.tuning.guard import switched_on

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Where the environment keeps doctree fragments for each document (parent-linked trees).
_FRAGMENTS = ("tocs", "titles", "longtitles")


def release(trees: Iterable[nodes.Node]) -> None:
    """Unlink every node of ``trees``, so that each is freed with its last reference.

    Docutils nodes point at their parents and documents at their nodes: a tree no longer
    used waits for a full collection unless its nodes are emptied first.
    """
    for node in [node for tree in trees for node in tree.findall()]:
        if isinstance(attributes := getattr(node, "__dict__", None), dict):
            attributes.clear()


def _write_chunk(arg: Any) -> bool:
    """Whether a task's argument is a chunk of (docname, doctree) pairs to write."""
    return (isinstance(arg, list) and bool(arg) and isinstance(arg[0], tuple)
            and len(arg[0]) == 2 and isinstance(arg[0][1], nodes.document))


class WriterTasks(ParallelTasks):
    """Sphinx's tasks, which start a write chunk at once and then release its doctrees."""

    #: Writers to run at once (``app.parallel``); each build's subclass sets it.
    writers = 1
    #: Whether this build may freeze and unfreeze: not in a process that froze its own.
    freezes = True
    _started = False

    def add_task(self, task_func: Callable[..., Any], arg: Any = None,
                 result_func: Callable[[Any, Any], Any] | None = None) -> None:
        """Queue a task as Sphinx does; a write chunk is started, then released here."""
        waiting = _waiting(self)
        if waiting is None or not _write_chunk(arg):
            super().add_task(task_func, arg, result_func)
            return
        self.nproc = max(self.nproc, self.writers)
        if self.freezes and not self._started:
            self._started = True
            # Once before the first chunk: what reading left, then everything alive now
            # out of the collector's walks (doctrees handed over are released below).
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        super().add_task(task_func, arg, result_func)
        while waiting:
            if not self._join_one():
                time.sleep(0.01)
        # The writer has forked with its own copy; this one is used no more.
        release(doctree for _, doctree in arg)


def _waiting(tasks: ParallelTasks) -> dict[int, Any] | None:
    """The tasks queued and not started (Sphinx 8 renamed the attribute; None if unknown)."""
    for name in ("_precvs_waiting", "_precvsWaiting"):
        if isinstance(queued := getattr(tasks, name, None), dict):
            return queued
    return None


def release_merged_copy(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str],
                        other: BuildEnvironment) -> None:
    """Take apart a reader's environment once merged (``env-merge-info``, last)."""
    tasks = build_run(env).writer_tasks
    if tasks is None:
        return
    merged = set(docnames)
    release(tree for name in _FRAGMENTS
            for docname, tree in getattr(other, name, {}).items() if docname not in merged)
    settings = getattr(other, "settings", None)
    if isinstance(settings, dict) and settings.get("env") is other:
        del settings["env"]
    if tasks.freezes:
        gc.freeze()


def tune(app: Sphinx) -> None:
    """Install the tuning for this build (``builder-inited``)."""
    if not (switched_on(app, "parallel_tuning") and parallel_available and app.parallel > 1):
        return
    # A class of this build's own: Sphinx makes the instances, the class carries the settings.
    tasks: type[WriterTasks] = type("WriterTasks", (WriterTasks,), {
        "writers": app.parallel, "freezes": gc.get_freeze_count() == 0})
    build_run(app.env).writer_tasks = tasks
    sphinx.builders.ParallelTasks = tasks  # type: ignore[attr-defined,misc]


def end_reading(app: Sphinx, env: BuildEnvironment) -> None:
    """Lift the freeze of the merges (``env-updated``, first)."""
    tasks = build_run(env).writer_tasks
    if tasks is not None and tasks.freezes:
        gc.unfreeze()


def untune(app: Sphinx, exception: BaseException | None) -> None:
    """Put Sphinx's tasks back and lift any freeze (``build-finished``, first)."""
    run = build_run(app.env)
    tasks, run.writer_tasks = run.writer_tasks, None
    if tasks is not None:
        sphinx.builders.ParallelTasks = ParallelTasks  # type: ignore[attr-defined,misc]
        if tasks.freezes:
            gc.unfreeze()


def setup_parallel_tuning(app: Sphinx) -> None:
    """Connect the tuning to the build's steps."""
    app.connect("builder-inited", tune)
    app.connect("env-merge-info", release_merged_copy, priority=999)
    app.connect("env-updated", end_reading, priority=1)
    app.connect("build-finished", untune, priority=1)
