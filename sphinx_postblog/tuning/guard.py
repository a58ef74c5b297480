"""Each patch of Sphinx's internals runs only on the Sphinx versions it was checked against.

A patch reaches into code Sphinx does not promise to keep. Every one of them is named
in :data:`CHECKED` with the first and last Sphinx versions it was measured on; on any
other version it stays off (said once, as an info message, not a warning, so ``-W``
builds keep passing), and the build is plain Sphinx's. A Sphinx upgrade means reviewing
this folder and moving the bounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sphinx
from sphinx.util import logging

from sphinx_postblog.config import settings
from sphinx_postblog.state import build_run

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Switch (``postblog_<name>``) → oldest and newest Sphinx (major, minor) it was checked on.
CHECKED: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    # sphinx.builders.ParallelTasks and its queue of waiting tasks.
    "parallel_tuning": ((7, 3), (9, 1)),
    # IndexBuilder.lang.stem, called once per word of every page.
    "search_stem_cache": ((7, 3), (9, 1)),
}


def sphinx_checked(name: str, version: tuple[int, ...] = sphinx.version_info[:2]) -> bool:
    """Whether the patch ``name`` was checked against this Sphinx version."""
    low, high = CHECKED[name]
    return low <= tuple(version[:2]) <= high


def switched_on(app: Sphinx, name: str) -> bool:
    """Whether the patch behind ``postblog_<name>`` is on and safe on this Sphinx."""
    if not getattr(settings(app), name):
        return False
    if sphinx_checked(name):
        return True
    if build_run(app.env).first_time(f"unchecked {name}"):
        low, high = CHECKED[name]
        logger.info("postblog_%s is off: Sphinx %s is outside the versions it was checked "
                    "against (%d.%d to %d.%d)", name, sphinx.__version__, *low, *high)
    return False
