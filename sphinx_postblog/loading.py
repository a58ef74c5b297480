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

Both are on with ``postblog_gc_tuning`` (the default) and leave the collector as they
found it otherwise. In a process that goes on after its builds (tests, a server building
in-process), nothing changes until that process exits.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

_exit_registered = False


def pause_collector(app: Sphinx, config: Config) -> None:
    """Pause the collector while the environment loads (``config-inited``, last)."""
    global _exit_registered  # noqa: PLW0603 (one exit handler per process)
    if not config.postblog_gc_tuning:
        return
    if not _exit_registered:
        atexit.register(gc.freeze)
        _exit_registered = True
    if gc.isenabled():
        gc.disable()
        app._postblog_resume_gc = True  # type: ignore[attr-defined]


def resume_collector(app: Sphinx) -> None:
    """Resume it once the environment is loaded (``builder-inited``, first)."""
    if getattr(app, "_postblog_resume_gc", False):
        del app._postblog_resume_gc  # type: ignore[attr-defined]
        gc.enable()


def setup_loading(app: Sphinx) -> None:
    """Connect the collector's pauses to the build's steps."""
    app.connect("config-inited", pause_collector, priority=999)
    app.connect("builder-inited", resume_collector, priority=1)
    # Should anything between the two fail, the end of the build still resumes it.
    app.connect("build-finished", lambda app, exception: resume_collector(app))
