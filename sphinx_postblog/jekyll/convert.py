"""A Jekyll post's body made ready for MyST: Liquid rendered, kramdown syntax made MyST's.

:func:`convert_post` is the one conversion: the build runs it on every Markdown post (at
``postblog-post-source``, which reading emits after the front matter), and
``sphinx-postblog check`` runs it on a ``_posts`` folder, so both report the same problems.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_postblog.config import settings
from sphinx_postblog.jekyll.kramdown import kramdown_to_myst
from sphinx_postblog.jekyll.liquid import LiquidContext, LiquidProblem, SourceFolder, render_liquid
from sphinx_postblog.reading.posts import warn_problems
from sphinx_postblog.state import blog_state

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.reading.frontmatter import RawFrontMatter


@dataclass(frozen=True)
class Converted:
    """A converted post: its new source, and what did not convert as Jekyll would have."""

    source: str
    #: Problems with their line in the whole file (front matter included).
    problems: list[LiquidProblem]


def convert_post(text: str, raw: RawFrontMatter | None, *, site: dict[str, Any],
                 post_url: Callable[[str], str | None], link: Callable[[str], str | None],
                 attrs_inline: bool, folder: SourceFolder | None = None) -> Converted:
    """Render the Liquid of a post's body and rewrite its kramdown syntax as MyST.

    The front matter lines are kept as they are, so line numbers stay the file's.
    """
    length = raw.length if raw else 0
    lines = text.lstrip("\ufeff").split("\n")
    head, body = "\n".join(lines[:length]), "\n".join(lines[length:])
    context = LiquidContext(site=site, page=dict(raw.data) if raw else {},
                            post_url=post_url, link=link, folder=folder)
    body, liquid = render_liquid(body, context)
    body, kramdown = kramdown_to_myst(body, attrs_inline=attrs_inline)
    problems = [replace(p, line=p.line + length) for p in [*liquid, *kramdown]]
    return Converted(f"{head}\n{body}" if length else body, problems)


def find_post(docnames: Iterable[str], name: str) -> str | None:
    """``{% post_url 2015-12-08-name %}``: the document of that post, as a site path."""
    name = name.strip().strip("/")
    for docname in sorted(docnames):
        if docname == name or docname.endswith("/" + name):
            return "/" + docname
    return None


def find_file(srcdir: Path, path: str) -> str | None:
    """``{% link _posts/2015-12-08-name.md %}``: that file, as a site path, if it exists."""
    path = path.strip().lstrip("/")
    return "/" + path if Path(srcdir, path).is_file() else None


def on_post_source(app: Sphinx, docname: str, source: list[str],
                   raw: RawFrontMatter | None) -> None:
    """Convert a Markdown post's source in place (``postblog-post-source``)."""
    if not settings(app).jekyll:
        return
    env = app.env
    extensions = getattr(getattr(env, "myst_config", None), "enable_extensions", ())
    converted = convert_post(
        source[0], raw,
        # Empty, so that {{ site.url }}/images/x.png is a site-root path to the source folder.
        site={"baseurl": "", "url": "", "title": app.config.project},
        post_url=lambda name: find_post(env.found_docs, name),
        link=lambda path: find_file(app.srcdir, path),
        attrs_inline="attrs_inline" in extensions,
        folder=SourceFolder.for_document(env, docname),
    )
    for subtype in ("jekyll", "security"):
        warn_problems(docname, [p for p in converted.problems
                                if not p.as_jekyll and p.subtype == subtype], subtype)
    source[0] = converted.source


def is_jekyll_post(env: BuildEnvironment) -> bool:
    """Whether the document being read is a post this conversion applies to.

    The read-time transforms of Jekyll's dialect (:mod:`.anchors`, :mod:`.blocks`) serve
    these documents only: Markdown posts, while ``postblog_jekyll`` is on.
    """
    docname = env.docname
    if docname not in blog_state(env).posts or not settings(env).jekyll:
        return False
    suffix = Path(env.doc2path(docname)).suffix
    source_suffix = env.config.source_suffix
    filetype = source_suffix.get(suffix) if isinstance(source_suffix, dict) else None
    return filetype == "markdown" or suffix == ".md"
