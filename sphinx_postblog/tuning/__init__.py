"""Every patch of Sphinx's, MyST's or Python's internals, in one folder to review on upgrades.

Each speed tuning has its ``postblog_*`` switch (on by default) and, where it reaches into
Sphinx, a guard for the Sphinx versions it was checked against (:mod:`.guard`):

- :mod:`.gcpause`: the cycle collector paused while the environment loads, skipped at exit
  (``postblog_gc_tuning``);
- :mod:`.parallel`: ``-j N`` builds freed of what the main process merges and hands over,
  with N writers (``postblog_parallel_tuning``);
- :mod:`.stems`: the search indexer's stemmer remembering across pages
  (``postblog_search_stem_cache``);
- :mod:`.myst`: MyST's heading-level warnings dropped while a post is parsed (behaviour,
  not speed: always on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.tuning.gcpause import setup_gc_pause
from sphinx_postblog.tuning.parallel import setup_parallel_tuning
from sphinx_postblog.tuning.stems import setup_stem_cache

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_tuning(app: Sphinx) -> None:
    """Connect each tuning to the build steps it works in."""
    setup_gc_pause(app)
    setup_parallel_tuning(app)
    setup_stem_cache(app)
