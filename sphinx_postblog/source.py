"""Reading a post: front matter into a Post, and the Markdown body made ready for MyST.

Runs at ``source-read``, in whichever process reads the document. The body's headings are
renumbered so that they nest under the front-matter title without level jumps (Jekyll
posts often start at H2 or H3, because Jekyll layouts print the title as H1).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging
from sphinx.util.matching import Matcher

from sphinx_postblog.frontmatter import (
    PostBuilder,
    RawFrontMatter,
    is_post_front_matter,
    read_front_matter,
    read_rst_fields,
)
from sphinx_postblog.state import blog_state

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_MAX_LEVEL = 6


def _markdown_parser(app: Sphinx) -> MarkdownIt:
    """MyST's block parser with this project's MyST settings, made once per application."""
    md = getattr(app, "_postblog_md", None)
    if md is None:
        from myst_parser.config.main import MdParserConfig
        from myst_parser.mdit_to_docutils.base import DocutilsRenderer
        from myst_parser.parsers.mdit import create_md_parser

        config = getattr(app.env, "myst_config", None) or MdParserConfig()
        md = create_md_parser(config, DocutilsRenderer)
        # Only block structure matters here; inline parsing would double the cost.
        md.core.ruler.disable(["inline"], ignoreInvalid=True)
        app._postblog_md = md  # type: ignore[attr-defined]
    return md


def renumber_headings(body: str, md: MarkdownIt, *, keep_first: bool) -> tuple[str, bool]:
    """Renumber the body's top-level headings so that levels start at 1 and never jump.

    With ``keep_first`` the first heading becomes the only H1 (it is the page title) and the
    rest start at H2. Returns the new body and whether it starts with a heading.
    """
    tokens = md.parse(body)
    headings = [t for t in tokens if t.type == "heading_open" and t.level == 0 and t.map]
    first_block = next((t for t in tokens if t.level == 0 and t.type != "front_matter"), None)
    starts_with_heading = first_block is not None and first_block.type == "heading_open"
    if not headings:
        return body, False
    lines = body.split("\n")
    stack: list[int] = []
    base = 1
    for index, token in enumerate(headings):
        level = int(token.tag[1])
        if keep_first and starts_with_heading and index == 0:
            new_level, base = 1, 2
        else:
            while stack and stack[-1] >= level:
                stack.pop()
            stack.append(level)
            new_level = min(base + len(stack) - 1, _MAX_LEVEL)
        start, end = token.map  # type: ignore[misc]
        if token.markup.startswith("#"):
            lines[start] = _ATX.sub(lambda m, n=new_level: m.group(1) + "#" * n, lines[start], 1)
        else:
            # A setext heading: rewrite it as ATX on the same lines, so line numbers hold.
            text = " ".join(line.strip() for line in lines[start : end - 1])
            lines[start] = "#" * new_level + " " + text
            for other in range(start + 1, end):
                lines[other] = ""
    return "\n".join(lines), starts_with_heading


def _is_markdown(app: Sphinx, docname: str) -> bool:
    suffix = Path(app.env.doc2path(docname)).suffix
    source_suffix = app.config.source_suffix
    filetype = source_suffix.get(suffix) if isinstance(source_suffix, dict) else None
    return filetype == "markdown" or suffix == ".md"


def post_matcher(app: Sphinx) -> Matcher:
    """Matches docnames that are posts by location (``postblog_posts``)."""
    return Matcher(app.config.postblog_posts)


def warn_problems(docname: str, problems: list, subtype: str = "frontmatter") -> None:
    """Emit one located warning per problem."""
    for problem in problems:
        logger.warning(problem.message, location=(docname, problem.line),
                       type="postblog", subtype=subtype)


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Read a post's front matter into the model and prepare its body for MyST."""
    text = source[0]
    markdown = _is_markdown(app, docname)
    raw = read_front_matter(text) if markdown else read_rst_fields(text)
    if not (post_matcher(app)(docname) or is_post_front_matter(raw)):
        return
    path = Path(app.env.doc2path(docname))
    builder = PostBuilder(docname, raw, mtime=path.stat().st_mtime if path.exists() else None)
    post = builder.build()
    warn_problems(docname, builder.problems)
    if not markdown:
        if not (raw and post_title_keys(raw)):
            post = replace(post, title_from_body=True)
    else:
        length = raw.length if raw else 0
        lines = text.lstrip("\ufeff").split("\n")
        head, body = "\n".join(lines[:length]), "\n".join(lines[length:])
        has_title = bool(raw and post_title_keys(raw))
        body, starts_with_heading = renumber_headings(
            body, _markdown_parser(app), keep_first=not has_title,
        )
        if not has_title and starts_with_heading:
            post = replace(post, title_from_body=True)
        source[0] = f"{head}\n{body}" if length else body
    blog_state(app.env).posts[docname] = post


def post_title_keys(raw: RawFrontMatter) -> set[str]:
    """Front matter keys that carry a usable title."""
    title = raw.data.get("title")
    return {"title"} if isinstance(title, str | int | float) and str(title).strip() else set()
