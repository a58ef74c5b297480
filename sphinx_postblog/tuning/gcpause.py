"""Python's cycle collector, kept out of work it does for nothing in a Sphinx build.

Two moments of every ``sphinx-build`` process spend most of their time in the collector
without it freeing anything useful:

- Loading the saved environment. Unpickling creates hundreds of thousands of objects, and
  each batch of them sets off a collection that walks everything already loaded: at 1,100
  posts that is 0.25 of the 0.33 s the load takes, on every rebuild, and unpickling makes
  no garbage. The collector is paused from the end of ``config-inited``, just before
  Sphinx loads the environment, to ``builder-inited``, just after.
- The end of the process. Python's last act is a full collection over everything still
  alive (the environment, doctree caches), about a second at 1,100 posts, only to hand
  memory back that the operating system takes back anyway. At exit, the objects alive
  are moved out of the collector's reach (:func:`gc.freeze`), after every other exit
  handler registered later than ours has run.

In between, the environment loaded lives as long as the build: a serial build keeps it
out of the collector's walks until it ends (then everything is as it was), so that the
full collections a rebuild sets off walk only what it made.

All of these are on with ``postblog_gc_tuning`` (the default) and leave the collector as they
found it otherwise. In a process that goes on after its builds (tests, a server building
in-process), nothing changes until that process exits.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

from sphinx_postblog.config import settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_exit_registered = False


def _freeze_at_exit() -> None:
    global _exit_registered  # noqa: PLW0603 (one exit handler per process, not per build)
    if not _exit_registered:
        atexit.register(gc.freeze)
        _exit_registered = True


class CollectorPause:
    """One application's pause of the collector: whether its build paused it."""

    def __init__(self) -> None:
        self.paused = False
        #: What was alive when the environment was loaded is out of the collector's reach.
        self.frozen = False

    def pause(self, app: Sphinx, config: Config) -> None:
        """Pause the collector while the environment loads (``config-inited``, last)."""
        if not settings(config).gc_tuning:
            return
        _freeze_at_exit()
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self, app: Sphinx, exception: BaseException | None = None) -> None:
        """Resume it once the environment is loaded (``builder-inited``, first)."""
        if self.paused:
            self.paused = False
            gc.enable()

    def freeze(self, app: Sphinx, env: BuildEnvironment, *changes: object) -> list[str]:
        """Keep what is alive out of the collector's walks for the build (``env-get-outdated``).

        The environment loaded lives as long as the build: in a serial build it is kept
        out of the collector's walks until the build ends (:func:`gc.freeze`), so that a
        full collection in the middle of a rebuild walks only what the build made (0.3
        to 0.6 s of a one-post rebuild at 550 posts). Only once a build has started (an
        application made and never built stays as it was); not in a process that froze
        objects of its own, nor in a ``-j`` build (``tuning.parallel`` freezes there).
        """
        if (settings(app).gc_tuning and not self.frozen and app.parallel <= 1
                and gc.isenabled() and gc.get_freeze_count() == 0):
            gc.freeze()
            self.frozen = True
        return []

    def end(self, app: Sphinx, exception: BaseException | None = None) -> None:
        """Leave the collector as it was found (``build-finished``)."""
        self.resume(app)
        if self.frozen:
            self.frozen = False
            gc.unfreeze()


def setup_gc_pause(app: Sphinx) -> None:
    """Connect the collector's pause to the build's steps.

    The pause starts before the environment (and so the build's run) exists: it is kept
    by an object of this application's own, made here.
    """
    pause = CollectorPause()
    app.connect("config-inited", pause.pause, priority=999)
    app.connect("builder-inited", pause.resume, priority=1)
    app.connect("env-get-outdated", pause.freeze, priority=1)
    # Should anything between the two fail, the end of the build still resumes it.
    app.connect("build-finished", pause.end)
