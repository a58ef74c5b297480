"""MyST's warnings about heading levels, dropped while a post is parsed (and only then).

Jekyll posts start at H2 or H3, because Jekyll layouts print the title as H1. MyST nests
such sections correctly by rank, then warns about the level jump; the post's title section
(:mod:`~sphinx_postblog.reading.structure`) makes the structure right, so those
``myst.header`` warnings (and ``myst.topmatter``, which the front matter reader reports
itself, at the failing line) are dropped while a post is parsed.

This is a filter on MyST's logger, because Sphinx holds reading warnings back and applies
``suppress_warnings`` only when it prints them, long after the post is parsed. It is not a
speed tuning and has no switch of its own: ``suppress_warnings`` cannot do what it does.
The logger's name is MyST's (checked with myst-parser 3 to 5); under another name the
filter sees nothing and MyST's warnings are printed as they are.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sphinx_postblog.state import build_run, env_app

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

MYST_LOGGER = "sphinx.myst_parser.warnings_"
#: MyST warnings that posts replace: heading levels (fixed by the post structure) and
#: front matter YAML (reported by the front matter reader, with the failing line).
_OURS = frozenset({"header", "topmatter"})


class HeadingLevelFilter(logging.Filter):
    """Drops ``myst.header`` and ``myst.topmatter`` warnings while ``active``."""

    def __init__(self, *, html: bool) -> None:
        super().__init__()
        self.active = False
        self.html = html

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but heading-level warnings inside posts."""
        if not self.active or getattr(record, "type", "") != "myst":
            return True
        subtype = getattr(record, "subtype", "")
        if subtype == "strikethrough":
            # ~~text~~ is written as <s>, which is right where the output is HTML.
            return not self.html
        return subtype not in _OURS


def _filter(env: BuildEnvironment, *, create: bool) -> HeadingLevelFilter | None:
    run = build_run(env)
    found = next((f for name, f in run.filters if isinstance(f, HeadingLevelFilter)), None)
    if found is None and create:
        found = HeadingLevelFilter(html=env_app(env).builder.format == "html")
        run.add_filter(MYST_LOGGER, found)
    return found


def silence_heading_levels(env: BuildEnvironment) -> None:
    """Drop MyST's heading-level warnings until :func:`restore_warnings` (a post is parsed)."""
    found = _filter(env, create=True)
    assert found is not None
    found.active = True


def restore_warnings(env: BuildEnvironment) -> None:
    """Undo :func:`silence_heading_levels`."""
    found = _filter(env, create=False)
    if found is not None:
        found.active = False
