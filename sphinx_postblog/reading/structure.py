"""Read-time structure of a post page: title section, header and footer slots, body markers."""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

from sphinx_postblog import nodes as pb
from sphinx_postblog.state import blog_state
from sphinx_postblog.tuning.myst import restore_warnings


class PostStructure(SphinxTransform):
    """Give a post one top-level section titled by its front matter, around its body.

    Runs after docutils' DocInfo (340), which must still find the front matter's field list
    at the document's top, and before ``doctree-read`` (880), so that Sphinx's title and
    table-of-contents collectors see the final structure.
    """

    default_priority = 350

    def apply(self, **kwargs: object) -> None:
        """Restructure the document if it is a post."""
        post = blog_state(self.env).posts.get(self.env.docname)
        if post is None:
            return
        restore_warnings(self.env)
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
        if post.image:
            # Read-time, so that Sphinx collects the image and copies it.
            header += nodes.image(uri=hero_image_uri(self.env.srcdir, self.env.docname, post.image),
                                  alt=post.title, classes=["u-photo"])
        section.insert(1, header)
        section.insert(2, pb.postblog_body(start=True))
        section.append(pb.postblog_body(start=False))
        section.append(pb.postblog_footer())

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


def hero_image_uri(srcdir: str | Path, docname: str, image: str) -> str:
    """Where Sphinx should look for a post's hero image.

    Jekyll layouts print ``header-img`` after ``site.baseurl``: a relative path is
    relative to the site root, unless it exists next to the post (ablog style).
    """
    if "://" in image or image.startswith(("/", "data:")):
        return image
    beside = Path(srcdir, posixpath.dirname(docname), image)
    return image if beside.is_file() else "/" + image
