"""Read-time structure of a post page: title section, header and footer slots, body markers.

A document with several post markers (ablog's ``post`` directive used more than once:
"posting sections") is several posts: the first is the page when it stands in the page's
first section, and every other one is the section that holds it, with its own header slot
and body markers, keyed ``docname#anchor``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_postblog import nodes as pb
from sphinx_postblog.model import Post
from sphinx_postblog.reading.fields import PostBuilder
from sphinx_postblog.reading.inside import (
    Where,
    at_keys,
    files_inside,
    hero_image_uri,
    paths_inside,
)
from sphinx_postblog.reading.posts import post_title_keys, warn_problems
from sphinx_postblog.state import blog_state
from sphinx_postblog.tuning.myst import restore_warnings

logger = logging.getLogger(__name__)

#: A post marker and the section that holds it (None: the document's top level).
Placed = tuple[pb.postblog_post_marker, nodes.section | None]


class PostStructure(SphinxTransform):
    """Give a post one top-level section titled by its front matter, around its body.

    Runs after docutils' DocInfo (340), which must still find the front matter's field list
    at the document's top, and before ``doctree-read`` (880), so that Sphinx's title and
    table-of-contents collectors see the final structure.
    """

    default_priority = 350

    def apply(self, **kwargs: object) -> None:
        """Restructure the document if it is a post, and make its section posts."""
        markers: list[pb.postblog_post_marker] = self.env.temp_data.pop(pb.POST_MARKERS, None) or []
        state = blog_state(self.env)
        docname = self.env.docname
        post = state.posts.get(docname)
        if post is not None:
            restore_warnings(self.env)
            files_inside(self.env, self.document)
            source = Path(self.env.doc2path(docname))
            where: Where = ((lambda *_keys: markers[0]) if markers  # ablog's post directive
                            else at_keys(docname, source))
            post = state.posts[docname] = paths_inside(post, self.env.srcdir, where)
            placed = [(marker, _section_of(marker)) for marker in markers]
            several = len(placed) > 1
            if several and not self._opens_page(placed[0][1]):
                # No post at the page's top: every post is a section, the page is none.
                del state.posts[docname]
                self._section_posts(placed, first=post)
            else:
                if placed:
                    post = state.posts[docname] = _with_content_excerpt(post, placed[0][0])
                self._page_post(post)
                if several:
                    self._section_posts(placed[1:], first=None)
        for marker in markers:
            # The directive's content stays where it was written, unless it is excluded.
            if marker.parent is not None:
                marker.replace_self([] if marker.get("exclude") else marker.children[:])

    def _opens_page(self, section: nodes.section | None) -> bool:
        """Whether a post marker in ``section`` is the page's post (it is in its first section)."""
        if section is None:
            return True
        first = next((n for n in self.document.children if isinstance(n, nodes.section)), None)
        return section is first

    def _page_post(self, post: Post) -> None:
        """The page is the post: one section around the body, with slots and markers."""
        document = self.document
        section = self._title_section() if post.title_from_body else None
        if section is None:
            title = nodes.title(post.title, post.title)
            # Front matter titles are plain text, shown as written (Jekyll does not
            # curl their quotes either).
            title["support_smartquotes"] = False
            section = nodes.section("", title)
            section.source, section.line = document.get("source"), 1
            keep = [n for n in document.children if isinstance(n, nodes.docinfo | nodes.decoration)]
            body = [n for n in document.children if n not in keep]
            document.children = []
            document.extend(keep)
            document.append(section)
            section.extend(body)
            section["names"].append(nodes.fully_normalize_name(post.title))
            document.note_implicit_target(section, section)
        for block in section.findall(nodes.literal_block):
            # Jekyll's highlighter shows code it cannot lex as it is; so do we, silently.
            block["force"] = True
        section["classes"].extend(["h-entry", "postblog-post"])
        heading = section[0]
        if isinstance(heading, nodes.title):
            heading["classes"].append("p-name")
        header = pb.postblog_header()
        uri = hero_image_uri(self.env.srcdir, self.env.docname, post.image) if post.image else ""
        if uri:
            # Read-time, so that Sphinx collects the image and copies it (paths_inside
            # has kept it inside the source folder).
            header += nodes.image(uri=uri, alt=post.title, classes=["u-photo"])
        section.insert(1, header)
        section.insert(2, pb.postblog_body(start=True))
        section.append(pb.postblog_body(start=False))
        section.append(pb.postblog_footer())

    def _section_posts(self, placed: list[Placed], first: Post | None) -> None:
        """Each marker's section is a post of its own (``first``: the first one's, if read).

        Its title is the section's (or the directive's ``title``), its excerpt the
        directive's content or the section's first paragraph (ablog's way), its link the
        page's with the section's anchor.
        """
        docname = self.env.docname
        state = blog_state(self.env)
        path = Path(self.env.doc2path(docname))
        mtime = path.stat().st_mtime if path.exists() else None
        keys: list[str] = []
        for index, (marker, section) in enumerate(placed):
            if section is None or not section["ids"]:
                logger.warning("this post directive is not inside a section, so it makes no "
                               "post of its own: a page with several posts needs a section "
                               "for each", location=marker, type="postblog", subtype="frontmatter")
                continue
            anchor = section["ids"][0]
            key = f"{docname}#{anchor}"
            if key in keys:
                logger.warning("a second post directive in the section %r is ignored: a section "
                               "is one post", anchor, location=marker, type="postblog",
                               subtype="frontmatter")
                continue
            fields = marker["fields"]
            post = first if index == 0 and first is not None else None
            if post is None:
                builder = PostBuilder(docname, fields, mtime=mtime)
                post = paths_inside(builder.build(), self.env.srcdir,
                                    lambda *_keys, at=marker: at)
                warn_problems(docname, builder.problems)
            changes: dict[str, object] = {"anchor": anchor, "slug": f"{post.slug}-{anchor}",
                                          "title_from_body": False}
            if not post_title_keys(fields) and isinstance(section[0], nodes.title):
                changes["title"] = section[0].astext()
            post = _with_content_excerpt(replace(post, **changes), marker)  # type: ignore[arg-type]
            state.posts[key] = post
            keys.append(key)
            _mark_section(section, key)
        if keys:
            state.sections[docname] = tuple(keys)

    def _title_section(self) -> nodes.section | None:
        """The section of the body's first heading, if the body opens with it.

        Whatever follows it at the top level (further H1 sections) moves inside it, so
        the post has one top-level section.
        """
        document = self.document
        content = [n for n in document.children
                   if not isinstance(n, nodes.docinfo | nodes.decoration | nodes.Invisible)]
        if not content or not isinstance(content[0], nodes.section):
            return None
        first = content[0]
        index = document.index(first)
        rest = document.children[index + 1 :]
        del document.children[index + 1 :]
        first.extend(rest)
        return first


def _section_of(node: nodes.Node) -> nodes.section | None:
    """The section that holds ``node``, or None at the document's top level."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _with_content_excerpt(post: Post, marker: pb.postblog_post_marker) -> Post:
    """The directive's content is the post's excerpt (ablog), unless one is given."""
    if post.excerpt or not marker.children:
        return post
    text = " ".join(child.astext() for child in marker.children
                    if not isinstance(child, nodes.system_message | nodes.comment))
    return replace(post, excerpt=" ".join(text.split())) if text.strip() else post


def _mark_section(section: nodes.section, key: str) -> None:
    """A section that is a post: its header slot after its title, body markers around the rest."""
    section["classes"].extend(["h-entry", "postblog-section-post"])
    section["postblog_post"] = key
    at = 0
    if section.children and isinstance(section[0], nodes.title):
        section[0]["classes"].append("p-name")
        at = 1
    section.insert(at, pb.postblog_header(post=key))
    section.insert(at + 1, pb.postblog_body(start=True))
    section.append(pb.postblog_body(start=False))
