"""What a post names outside the source folder is left out: it is never read or published.

The front matter's image and inline authors' avatars (:func:`paths_inside`), and the
images, downloads and ``literalinclude`` blocks of the body (:func:`files_inside`), are
checked while the post's structure is made, before Sphinx collects them to copy;
``include`` reads are emptied as they happen (:func:`includes_inside`). Each one left out
is a ``postblog.security`` warning at its line. Other documents keep what Sphinx allows
(an ``index.md`` may include ``../README.md``); posts, written by many hands, may not.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_postblog.paths import in_source, inside, is_remote, leaves_source
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.state import blog_state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post

logger = logging.getLogger(__name__)


def hero_image_uri(srcdir: str | Path, docname: str, image: str) -> str:
    """Where Sphinx should look for a post's hero image; ``""`` if it is outside the source folder.

    Jekyll layouts print ``header-img`` after ``site.baseurl``: a relative path is
    relative to the site root, unless it exists next to the post (ablog style).
    """
    if is_remote(image):
        return image
    if image.startswith("/"):
        return image if in_source(srcdir, image) is not None else ""
    beside = in_source(srcdir, image, posixpath.dirname(docname))
    if beside is not None and beside.is_file():
        return image
    return "/" + image if in_source(srcdir, image) is not None else ""


#: Where a warning about a front matter key goes: a key's line, or a node.
Where = Callable[..., "tuple[str, int] | nodes.Node"]


def paths_inside(post: Post, srcdir: str | Path, where: Where) -> Post:
    """The post without the local paths of its front matter that leave the source folder.

    Its image and its inline authors' avatars; each one left out is a warning
    (``postblog.security``) at the line of its key.
    """
    changes: dict[str, object] = {}
    uri = hero_image_uri(srcdir, post.docname, post.image) if post.image else ""
    if post.image and not uri:
        logger.warning("image %r is outside the source folder; it is left out", post.image,
                       location=where("header-img", "header_img", "image"), type="postblog",
                       subtype="security")
        changes["image"] = ""
    elif uri and not is_remote(uri) and not _is_file(srcdir, post.docname, uri):
        # Not made an image at all: no broken <img>, no dependency on a missing file.
        logger.warning("image %r is not in the source folder (a path starting with / is read "
                       "from the source folder, any other from there or beside the post); it is "
                       "left out", post.image, location=where("header-img", "header_img", "image"),
                       type="postblog", subtype="image")
        changes["image"] = ""
    authors = []
    for author in post.authors:
        if leaves_source(srcdir, author.avatar):
            logger.warning("avatar %r of author %r is outside the source folder; it is left out",
                           author.avatar, author.display_name,
                           location=where("authors", "author"), type="postblog",
                           subtype="security")
            author = replace(author, avatar="")  # noqa: PLW2901
        authors.append(author)
    if tuple(authors) != post.authors:
        changes["authors"] = tuple(authors)
    return replace(post, **changes) if changes else post  # type: ignore[arg-type]


def _is_file(srcdir: str | Path, docname: str, uri: str) -> bool:
    """Whether an image URI as Sphinx reads it (``/`` the source folder) names a file."""
    found = in_source(srcdir, uri, posixpath.dirname(docname))
    return found is not None and found.is_file()


def files_inside(env: BuildEnvironment, document: nodes.document) -> None:
    """Take the images, downloads and included files of a post out that leave the source folder.

    Sphinx would copy such an image into ``_images/`` (a ``download`` into
    ``_downloads/``) and ``literalinclude`` would print the file: a post must not publish
    a file of the build machine. Each is a ``postblog.security`` warning at its line.
    """
    srcdir = env.srcdir

    def outside(written: str) -> bool:
        if not written or is_remote(written):
            return False
        try:
            _, path = env.relfn2path(written, env.docname)
        except (OSError, ValueError, KeyError):
            return True
        return inside(srcdir, path) is None

    for image in list(document.findall(nodes.image)):
        if outside(image.get("uri", "")):
            _left_out("image", image["uri"], image)
            image.parent.remove(image)
    for download in list(document.findall(addnodes.download_reference)):
        if outside(download.get("reftarget", "")):
            _left_out("download", download["reftarget"], download)
            download.replace_self(nodes.inline("", "", *download.children))
    for block in list(document.findall(nodes.literal_block)):
        source = block.get("source")
        if isinstance(source, str) and source and inside(srcdir, source) is None:
            _left_out("included file", source, block)
            block.parent.remove(block)


def includes_inside(app: Sphinx, relative: Path, _parent: str, content: list[str]) -> None:
    """Empty what a post includes from outside the source folder (``include-read``).

    Other documents may include ``../README.md`` as Sphinx allows; a post may not.
    """
    docname = app.env.docname
    if docname in blog_state(app.env).posts and inside(app.srcdir, Path(app.srcdir, relative)) is None:
        logger.warning("included file %r is outside the source folder; it is left out",
                       str(relative), location=_include_line(app, docname, relative),
                       type="postblog", subtype="security")
        content[0] = ""


#: An ``include`` directive (MyST's ```` ```{include} ```` or reST's ``.. include::``), not
#: ``literalinclude``.
_INCLUDE = re.compile(r"(?<![\w-])include\b")


def _include_line(app: Sphinx, docname: str, relative: Path) -> str | tuple[str, int]:
    """Where a post includes a file: the first ``include`` line naming it, else the post.

    Sphinx's ``include-read`` event does not say which line asked for the file.
    """
    name = relative.name
    try:
        text = Path(app.env.doc2path(docname)).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return docname
    for number, line in enumerate(text.splitlines(), start=1):
        if name in line and _INCLUDE.search(line):
            return docname, number
    return docname


def _left_out(what: str, written: str, node: nodes.Node) -> None:
    logger.warning("%s %r is outside the source folder; it is left out", what, written,
                   location=node, type="postblog", subtype="security")


def at_keys(docname: str, source: Path) -> Where:
    """Warnings about front matter keys at the line of the first of them ``source`` has."""
    return lambda *keys: (docname, _key_line(source, keys))


def _key_line(source: Path, keys: tuple[str, ...]) -> int:
    """The line of the first of ``keys`` the front matter has (else 1)."""
    return next((line for key in keys if (line := yamlsafe.key_line(source, key)) > 1), 1)
