"""Reading a post: front matter into a Post, and the Markdown body made ready for MyST.

Runs at ``source-read``, in whichever process reads the document.

Jekyll posts often start at H2 or H3, because Jekyll layouts print the title as H1. MyST
nests such sections correctly by rank, then warns about the level jump; the post's title
section (:mod:`~sphinx_postblog.transforms`) makes the structure right, so those
``myst.header`` warnings are dropped while a post is parsed (and only then).
"""

from __future__ import annotations

import logging as logging_module
import weakref
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.matching import Matcher

from sphinx_postblog.frontmatter import (
    PostBuilder,
    RawFrontMatter,
    is_post_front_matter,
    read_front_matter,
    read_rst_fields,
    with_post_directive,
)
from sphinx_postblog.jekyll import LiquidContext, render_liquid
from sphinx_postblog.kramdown import kramdown_to_myst
from sphinx_postblog.state import blog_state

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
    return Matcher(app.config.postblog_posts)


def warn_problems(docname: str, problems: Iterable[Any], subtype: str = "frontmatter",
                  offset: int = 0) -> None:
    """Emit one located warning per kind of problem, at its first line.

    A message met again in the same file is counted, not repeated: a post with thousands
    of stray ``{{`` gets one warning that says how many there are.
    """
    first: dict[str, list[Any]] = {}
    for problem in problems:
        first.setdefault(problem.message, [problem, -1])[1] += 1
    for problem, more in first.values():
        message = problem.message + (f" (and {more} more like it in this file)" if more else "")
        logger.warning(message, location=(docname, problem.line + offset),
                       type="postblog", subtype=subtype)


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Read a post's front matter into the model and prepare its body for MyST."""
    text = source[0]
    markdown = _is_markdown(app, docname)
    raw = with_post_directive(read_front_matter(text) if markdown else read_rst_fields(text),
                              text)
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
        silence_heading_levels(app)
        if app.config.postblog_jekyll:
            source[0] = jekyll_source(app, docname, text, raw)
    blog_state(app.env).posts[docname] = post


def jekyll_source(app: Sphinx, docname: str, text: str, raw: RawFrontMatter | None) -> str:
    """A Jekyll post's source with Liquid rendered and kramdown syntax made MyST's."""
    length = raw.length if raw else 0
    lines = text.lstrip("\ufeff").split("\n")
    head, body = "\n".join(lines[:length]), "\n".join(lines[length:])
    env = app.env
    context = LiquidContext(
        # Empty, so that {{ site.url }}/images/x.png is a site-root path to the source folder.
        site={"baseurl": "", "url": "", "title": app.config.project},
        page=dict(raw.data) if raw else {},
        post_url=lambda name: _find_post(env.found_docs, name),
        link=lambda path: _find_file(app, path),
    )
    body, problems = render_liquid(body, context)
    extensions = getattr(getattr(env, "myst_config", None), "enable_extensions", ())
    body, more = kramdown_to_myst(body, attrs_inline="attrs_inline" in extensions)
    warn_problems(docname, [p for p in [*problems, *more] if not p.as_jekyll], "jekyll", length)
    return f"{head}\n{body}" if length else body


def _find_post(docnames: set[str], name: str) -> str | None:
    """``{% post_url 2015-12-08-name %}``: the document of that post, as a site path."""
    name = name.strip().strip("/")
    for docname in sorted(docnames):
        if docname == name or docname.endswith("/" + name):
            return "/" + docname
    return None


def _find_file(app: Sphinx, path: str) -> str | None:
    """``{% link _posts/2015-12-08-name.md %}``: that file, as a site path, if it exists."""
    path = path.strip().lstrip("/")
    return "/" + path if Path(app.srcdir, path).is_file() else None


class HeadingLevelFilter(logging_module.Filter):
    """Drops ``myst.header`` and ``myst.topmatter`` warnings while a post is being parsed.

    A filter on MyST's logger, because Sphinx holds reading warnings back and applies
    ``suppress_warnings`` only when it prints them, after the post is long parsed.
    """

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = weakref.ref(app)

    def filter(self, record: logging_module.LogRecord) -> bool:
        """Keep every record but heading-level warnings inside posts."""
        app = self.app()
        if app is None or not getattr(app, "_postblog_parsing_post", False):
            return True
        if getattr(record, "type", "") != "myst":
            return True
        subtype = getattr(record, "subtype", "")
        if subtype == "strikethrough":
            # ~~text~~ is written as <s>, which is right where the output is HTML.
            return app.builder.format != "html"
        return subtype not in _OURS


_MYST_LOGGER = "sphinx.myst_parser.warnings_"
#: MyST warnings that posts replace: heading levels (fixed by the post structure) and
#: front matter YAML (reported by the front matter reader, with the failing line).
_OURS = frozenset({"header", "topmatter"})


def install_heading_filter(app: Sphinx) -> None:
    """Attach the filter for this application's build (``builder-inited``)."""
    app._postblog_filter = HeadingLevelFilter(app)  # type: ignore[attr-defined]
    logging_module.getLogger(_MYST_LOGGER).addFilter(app._postblog_filter)  # type: ignore[attr-defined]


def remove_heading_filter(app: Sphinx, exception: Exception | None) -> None:
    """Detach it again (``build-finished``), so no filter outlives its build."""
    heading_filter = getattr(app, "_postblog_filter", None)
    if heading_filter is not None:
        logging_module.getLogger(_MYST_LOGGER).removeFilter(heading_filter)


def silence_heading_levels(app: Sphinx) -> None:
    """Drop ``myst.header`` warnings until :func:`restore_warnings` (a post is being parsed)."""
    app._postblog_parsing_post = True  # type: ignore[attr-defined]


def restore_warnings(app: Sphinx) -> None:
    """Undo :func:`silence_heading_levels`."""
    app._postblog_parsing_post = False  # type: ignore[attr-defined]


def post_title_keys(raw: RawFrontMatter) -> set[str]:
    """Front matter keys that carry a usable title."""
    title = raw.data.get("title")
    return {"title"} if isinstance(title, str | int | float) and str(title).strip() else set()
