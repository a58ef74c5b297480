"""Which documents are posts, and a post's front matter and file name read into a Post.

Runs at ``source-read``, in whichever process reads the document. Two events let source
dialects take part without reading knowing them:

- ``postblog-front-matter(app, docname, text, raw)``: a listener may return the front
  matter to use instead (ablog's ``post`` directive makes a page a post this way);
- ``postblog-post-source(app, docname, source, raw)``: for Markdown posts, before MyST
  parses them; a listener may rewrite ``source[0]`` (Jekyll's Liquid and kramdown).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.matching import Matcher

from sphinx_postblog.config import settings
from sphinx_postblog.reading.fields import PostBuilder, is_post_front_matter
from sphinx_postblog.reading.frontmatter import (
    RawFrontMatter,
    read_front_matter,
    read_rst_fields,
)
from sphinx_postblog.state import blog_state
from sphinx_postblog.tuning.myst import silence_heading_levels

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def _is_markdown(app: Sphinx, docname: str) -> bool:
    suffix = Path(app.env.doc2path(docname)).suffix
    source_suffix = app.config.source_suffix
    filetype = source_suffix.get(suffix) if isinstance(source_suffix, dict) else None
    return filetype == "markdown" or suffix == ".md"


def post_matcher(app: Sphinx) -> Matcher:
    """Matches docnames that are posts by location (``postblog_posts``)."""
    return Matcher(settings(app).posts)


def warn_problems(docname: str, problems: Iterable[Any], subtype: str = "frontmatter") -> None:
    """Emit one located warning per kind of problem, at its first line.

    A message met again in the same file is counted, not repeated: a post with thousands
    of stray ``{{`` gets one warning that says how many there are.
    """
    first: dict[str, list[Any]] = {}
    for problem in problems:
        first.setdefault(problem.message, [problem, -1])[1] += 1
    for problem, more in first.values():
        message = problem.message + (f" (and {more} more like it in this file)" if more else "")
        logger.warning(message, location=(docname, problem.line),
                       type="postblog", subtype=subtype)


#: A line MyST takes as the end of front matter although YAML reads on (``  ---`` inside a
#: block scalar): markdown-it closes on a fence indented by up to three spaces.
_MYST_CLOSES = re.compile(r"^ {1,3}---[ \t]*$", re.MULTILINE)


def for_myst(source: str, raw: RawFrontMatter | None) -> str:
    """The source with front matter MyST ends where YAML does.

    Where a value holds an indented ``---`` line, MyST would end the front matter there
    and read the rest of the value as the body. The block is written again for MyST with
    every text on one line, padded to the same number of lines (the body keeps its line
    numbers); the post itself was read from the block as written. When the mapping does
    not fit in as many lines (nested values take more), it is written on one line; when
    it cannot be written at all, MyST gets an empty block rather than the rest of it.
    """
    if raw is None or not raw.length or not raw.data:
        return source
    lines = source.split("\n")
    block = "\n".join(lines[1 : raw.length - 1])
    if not _MYST_CLOSES.search(block):
        return source
    room = raw.length - 2
    dumped = next((found for flow in (False, True)
                   if (found := _dumped(raw.data, flow=flow)) is not None
                   and len(found) <= room), [])
    return "\n".join([lines[0], *dumped, *[""] * (room - len(dumped)), *lines[raw.length - 1 :]])


def _dumped(data: dict[str, Any], *, flow: bool) -> list[str] | None:
    """Front matter as YAML lines MyST cannot end early (every text quoted on one line)."""
    import yaml  # noqa: PLC0415 - rarely needed

    try:
        text = yaml.safe_dump(data, default_style='"', default_flow_style=flow,
                              width=float("inf"), allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return None
    found = text.rstrip("\n").split("\n")
    return None if any(_MYST_CLOSES.match(line) for line in found) else found


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Read a post's front matter into the model and prepare its body for MyST."""
    text = source[0]
    markdown = _is_markdown(app, docname)
    raw = read_front_matter(text) if markdown else read_rst_fields(text)
    raw = app.emit_firstresult("postblog-front-matter", docname, text, raw) or raw
    if not (post_matcher(app)(docname) or is_post_front_matter(raw)):
        return
    path = Path(app.env.doc2path(docname))
    builder = PostBuilder(docname, raw, mtime=path.stat().st_mtime if path.exists() else None)
    post = builder.build()
    warn_problems(docname, builder.problems)
    if not (raw and post_title_keys(raw)):
        # No title in front matter: the body's first heading is the title, if it opens it.
        post = replace(post, title_from_body=True)
    if markdown:
        source[0] = for_myst(source[0], raw)
        silence_heading_levels(app.env)
        app.emit("postblog-post-source", docname, source, raw)
    blog_state(app.env).posts[docname] = post


def setup_posts(app: Sphinx) -> None:
    """Read posts at ``source-read``, and offer the events source dialects listen to."""
    app.add_event("postblog-front-matter")
    app.add_event("postblog-post-source")
    app.connect("source-read", on_source_read)


def post_title_keys(raw: RawFrontMatter) -> set[str]:
    """Front matter keys that carry a usable title."""
    title = raw.data.get("title")
    return {"title"} if isinstance(title, str | int | float) and str(title).strip() else set()
