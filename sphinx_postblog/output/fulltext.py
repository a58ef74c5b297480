"""A post's whole body as HTML, for feeds that carry it (``postblog_feed_full``).

Rendered at ``build-finished`` in the main process, from the post's pickled doctree: the
nodes between its body markers, references resolved as on its page (talk cards filled in),
written by the builder's own translator, sanitised with nh3 (raw HTML in a post reaches
every feed reader: no scripts, event handlers or ``javascript:`` links), then every
relative link made to work from the feed.

Rendering every body again for the feeds cost a full build half as much again (and a
one-post edit 15 s at 550 posts), so the body is taken from its page as the page is
written (:func:`keep_body`, in whichever process writes it) and kept beside the doctrees,
with the time its post was read; a post without one, or with one from an older reading,
is rendered here as described above.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nh3
from docutils import nodes
from docutils.utils import new_document
from sphinx.util.logging import suppress_logging
from sphinx.util.osutil import relative_uri

from sphinx_postblog import nodes as pb
from sphinx_postblog.config import settings
from sphinx_postblog.state import blog_state, digest
from sphinx_postblog.view import PAGE_BUILDERS

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

    from sphinx_postblog.model import Post

#: An opening or closing heading tag.
_HEADING = re.compile(r"<(/?)h([1-6])\b")
#: ``href="…"`` and ``src="…"`` attributes of the rendered HTML.
_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: A link's path, and its query and fragment.
_PATH = re.compile(r"([^?#]*)(.*)", re.DOTALL)
#: Sphinx's permalink marks after headings: of no use out of the page.
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
#: What a feed's HTML keeps: nh3's text and table elements plus the sections and figures
#: Sphinx writes; classes (code highlighting) and a few neutral attributes on any of them.
_TAGS = nh3.ALLOWED_TAGS | {"section", "tfoot", "caption", "figcaption"}
_ATTRIBUTES = {
    **{name: set(values) for name, values in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "time": {"datetime"},
}
_SCHEMES = {"http", "https", "mailto"}
#: The builder's per-page state that rendering one page's nodes needs.
_PAGE_STATE = ("current_docname", "imgpath", "dlpath", "fignumbers", "secnumbers")


def _post_section(doctree: nodes.document, post: Post) -> nodes.section | None:
    """The section of the post: its anchor's (a section post), else the page's post."""
    return next((section for section in doctree.findall(nodes.section)
                 if ((post.anchor in section["ids"]) if post.anchor
                     else "h-entry" in section["classes"])), None)


def _depth(section: nodes.section | None) -> int:
    """How many sections hold the post's body (1 for a post that is its whole page)."""
    depth, parent = 1, section.parent if section is not None else None
    while parent is not None:
        depth += isinstance(parent, nodes.section)
        parent = parent.parent
    return depth


def _body(section: nodes.section | None) -> list[nodes.Node]:
    """The nodes of the post's body: between its body markers, or its section's content."""
    if section is None:
        return []
    markers = [i for i, child in enumerate(section.children)
               if isinstance(child, pb.postblog_body)]
    if len(markers) == 2:
        return section.children[markers[0] + 1 : markers[1]]
    return [c for c in section.children[1:]
            if not isinstance(c, pb.postblog_header | pb.postblog_footer | pb.postblog_body)]


def sanitise(html: str) -> str:
    """HTML safe to hand to any feed reader; text and structure kept.

    No script or style, no event handler, no ``javascript:`` or ``data:`` URL, no frame
    or form.
    """
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel=None, strip_comments=True)


def page_stamp(app: Sphinx, docname: str) -> tuple[object, object]:
    """What changes when a page is made again: when it was read, when it was written."""
    try:
        written = Path(app.builder.get_outfilename(docname)).stat().st_mtime_ns  # type: ignore[attr-defined]
    except OSError:
        written = None
    return (app.env.all_docs.get(docname), written)


def _folder(builder: Any) -> Path:
    return Path(builder.env.doctreedir, f"postblog-feedbodies-{builder.name}")


def _file_name(builder_name: str, key: str) -> str:
    return digest(builder_name, key)[:24] + ".part"


def keep_body(translator: Any, section: nodes.Element, html: str) -> None:
    """Keep the body of the post in ``section`` as its page shows it (a page is written).

    The first line is when the post was read: a body from an older reading is not used.
    """
    builder = translator.builder
    env = builder.env
    docname = getattr(builder, "current_docname", None) or env.docname
    if builder.name not in PAGE_BUILDERS or not settings(env).feed_full:
        return
    posts = blog_state(env).posts_of(docname)
    post = next((p for p in posts if p.anchor and p.anchor in section["ids"]), None)
    if post is None:
        post = next((p for p in posts if not p.anchor), None)
    if post is None:
        return
    with contextlib.suppress(OSError):
        folder = _folder(builder)
        folder.mkdir(parents=True, exist_ok=True)
        body = sanitise(_HEADERLINK.sub("", html))
        (folder / _file_name(builder.name, post.key)).write_text(
            f"{env.all_docs.get(post.docname)}\n{body}", encoding="utf-8")


class BodyHTML:
    """Posts' bodies as HTML: as their pages were last written, or rendered for the feed."""

    def __init__(self, app: Sphinx, listed: int) -> None:
        self.app = app
        self.folder = _folder(app.builder)
        #: How many posts are listed now (about the bodies a tidy folder holds).
        self.listed = listed
        #: Bodies with their links made for one place (a base URL, or a feed's folder),
        #: compressed: a post is in several feeds, but hundreds of bodies kept as text
        #: (highlighted code is large) raised a full build's peak memory by 17 MB at 550
        #: posts; compressed they take 2.6 MB and cost 0.1 s.
        self._linked: dict[tuple[str, str], bytes] = {}

    def _body_html(self, post: Post) -> str:
        found = ""
        path = self.folder / _file_name(self.app.builder.name, post.key)
        read = str(self.app.env.all_docs.get(post.docname))
        try:
            stamp, _, found = path.read_text(encoding="utf-8").partition("\n")
        except (OSError, UnicodeDecodeError):
            stamp = ""
        if stamp != read:
            found = self._render(post)
            with contextlib.suppress(OSError):
                self.folder.mkdir(parents=True, exist_ok=True)
                path.write_text(f"{read}\n{found}", encoding="utf-8")
        return found

    def save(self) -> None:
        """Remove the bodies of posts gone, once there are many of them."""
        try:
            names = {entry.name for entry in os.scandir(self.folder)}
        except OSError:
            return
        if len(names) <= 2 * self.listed + 100:
            return
        name = self.app.builder.name
        wanted = {_file_name(name, key) for key in blog_state(self.app.env).posts}
        for gone in names - wanted:
            with contextlib.suppress(OSError):
                (self.folder / gone).unlink()

    def _render(self, post: Post) -> str:
        """The body's HTML, its links relative to the post's page."""
        app, builder = self.app, self.app.builder
        cache = app.env._pickled_doctree_cache
        cached = post.docname in cache
        doctree = app.env.get_doctree(post.docname)
        if not cached:
            # Sphinx keeps every doctree it loads for the rest of the process: all the
            # blog's, read once each for its feeds, would double a build's memory.
            cache.pop(post.docname, None)
        section = _post_section(doctree, post)
        body = [node.deepcopy() for node in _body(section)]
        if not body:
            return ""
        document = new_document(doctree["source"], doctree.settings)
        document.extend(body)
        page_uri = builder.get_target_uri(post.docname)
        saved = {name: getattr(builder, name, None) for name in _PAGE_STATE}
        builder.current_docname = post.docname  # type: ignore[attr-defined]
        builder.imgpath = relative_uri(page_uri, "_images")  # type: ignore[attr-defined]
        builder.dlpath = relative_uri(page_uri, "_downloads")  # type: ignore[attr-defined]
        builder.fignumbers = app.env.toc_fignumbers.get(post.docname, {})  # type: ignore[attr-defined]
        builder.secnumbers = app.env.toc_secnumbers.get(post.docname, {})  # type: ignore[attr-defined]
        try:
            # The page itself was resolved already and said what it had to say (a link
            # to no target, a missing image): the feed's copy says it only once, there.
            with suppress_logging():
                app.env.resolve_references(document, post.docname, builder)
                builder.post_process_images(document)
            html = "".join(builder.render_partial(node)["fragment"]  # type: ignore[attr-defined]
                           for node in list(document.children))
            # Headings at the levels of the page, under the post's own title.
            depth = _depth(section)
            html = _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + depth)}", html)
            return sanitise(_HEADERLINK.sub("", html))
        finally:
            for name, value in saved.items():
                setattr(builder, name, value)

    def html(self, post: Post, url: Callable[[str], str], scope: str) -> str:
        """The post's body, each relative link turned by ``url`` (an output path → a URL).

        ``url`` gives the same URLs wherever ``scope`` is the same (a post is in many feeds).
        """
        kept = self._linked.get((post.key, scope))
        if kept is not None:
            return zlib.decompress(kept).decode("utf-8")
        linked = self._links(post, url)
        self._linked[post.key, scope] = zlib.compress(linked.encode("utf-8"), 1)
        return linked

    def _links(self, post: Post, url: Callable[[str], str]) -> str:
        body = self._body_html(post)
        page_uri = self.app.builder.get_target_uri(post.docname)
        page_dir = posixpath.dirname(page_uri)

        def absolute(match: re.Match[str]) -> str:
            attribute, value = match.groups()
            if not value or _SCHEME.match(value) or value.startswith(("/", "//")):
                return match.group(0)
            if value.startswith("#"):
                return f'{attribute}="{url(page_uri)}{value}"'
            path, rest = _PATH.match(value).groups()  # type: ignore[union-attr]
            target = posixpath.normpath(posixpath.join(page_dir, path)) if path else page_uri
            return f'{attribute}="{url(target)}{rest}"'

        return _LINK.sub(absolute, body)
