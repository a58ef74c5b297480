"""Images written as raw HTML in posts (``<img src="/images/x.png">``) become image nodes.

Jekyll copies the whole site, so a post's inline ``<img>`` finds its file by URL. Sphinx
copies only images it knows of; this read-time transform turns each local ``<img>`` of a
post into a docutils image (alt, width and centring kept), so Sphinx finds, copies and
links it like any other image, in every builder. Remote images stay as they were.

A local ``<img>`` whose file is outside the source folder (by ``..``, an absolute path or a
symlink) is taken out of the page with a ``postblog.security`` warning: neither copied nor
linked (see :mod:`sphinx_postblog.paths`).
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_postblog.paths import in_source, leaves_source
from sphinx_postblog.state import blog_state

logger = logging.getLogger(__name__)

_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)/?>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([\d.]+(?:%|px|em|rem)?)", re.IGNORECASE)
_LINK_BEFORE = re.compile(r"""<a\s[^>]*?href\s*=\s*["'](?P<href>[^"']*)["'][^>]*>\s*\Z""",
                          re.IGNORECASE)
_LINK_AFTER = re.compile(r"\s*</a\s*>", re.IGNORECASE)
_CENTRED = re.compile(r"margin\s*:\s*(?:0\s+)?auto|text-align\s*:\s*center", re.IGNORECASE)


def _attributes(text: str) -> dict[str, str]:
    return {name.lower(): unescape(value.strip("\"'")) for name, value in _ATTR.findall(text)}


class RawImages(SphinxTransform):
    """Replace local ``<img>`` tags in a post's raw HTML with image nodes."""

    default_priority = 360  # after the post structure, before doctree-read collects images

    def apply(self, **kwargs: object) -> None:
        """Split each raw HTML node of a post around its local images."""
        if self.env.docname not in blog_state(self.env).posts:
            return
        for raw in list(self.document.findall(nodes.raw)):
            if "html" in raw.get("format", "").split() and _IMG.search(raw.astext()):
                pieces = self._split(raw)
                if pieces is not None:
                    raw.replace_self(pieces)

    def _split(self, raw: nodes.raw) -> list[nodes.Node] | None:
        text, last, changed = raw.astext(), 0, False
        pieces: list[nodes.Node] = []
        for match in _IMG.finditer(text):
            attrs = _attributes(match.group("attrs"))
            if self._outside(attrs, raw):
                # Left out: the page never names a file of the build machine.
                if text[last : match.start()].strip():
                    pieces.append(nodes.raw("", text[last : match.start()], format="html"))
                last, changed = match.end(), True
                continue
            image = self._image(attrs, raw)
            if image is None:
                continue
            before, end = text[last : match.start()], match.end()
            # <a href="same file"><img></a>: Sphinx links a scaled image to its file itself.
            opening = _LINK_BEFORE.search(before)
            closing = _LINK_AFTER.match(text, end)
            if opening and closing and opening.group("href") == attrs.get("src"):
                before, end = before[: opening.start()], closing.end()
                image["width"] = image.get("width", "100%")
            if before.strip():
                pieces.append(nodes.raw("", before, format="html"))
            pieces.append(image)
            last, changed = end, True
        if not changed:
            return None
        if text[last:].strip():
            pieces.append(nodes.raw("", text[last:], format="html"))
        return pieces

    def _outside(self, attrs: dict[str, str], raw: nodes.raw) -> bool:
        """Whether the tag names a local file outside the source folder (then it warns)."""
        src = _path(attrs.get("src", ""))
        if not leaves_source(self.env.srcdir, src, posixpath.dirname(self.env.docname)):
            return False
        if find_image(Path(self.env.srcdir), self.env.docname, src) is not None:
            return False  # found inside, at the site root, as Jekyll resolved it
        logger.warning("image %r is outside the source folder; it is left out", src,
                       location=raw, type="postblog", subtype="security")
        return True

    def _image(self, attrs: dict[str, str], raw: nodes.raw) -> nodes.image | None:
        src = attrs.get("src", "").strip()
        if not src or "://" in src or src.startswith(("//", "data:", "#")):
            return None
        uri = find_image(Path(self.env.srcdir), self.env.docname, _path(src))
        if uri is None:
            logger.warning("image not found: %s (looked beside the post and in the source "
                           "folder)", src, location=raw, type="postblog", subtype="image")
            return None
        image = nodes.image(uri=uri, alt=attrs.get("alt", ""))
        image.source, image.line = raw.source, raw.line
        style = attrs.get("style", "")
        width = attrs.get("width") or (m.group(1) if (m := _WIDTH.search(style)) else "")
        if width:
            image["width"] = width if not width.isdigit() else f"{width}px"
        if _CENTRED.search(style) or attrs.get("align") == "center":
            image["align"] = "center"
        return image


def _path(src: str) -> str:
    """The file part of an ``<img src>``: no query, no fragment."""
    return src.strip().split("?")[0].split("#")[0]


def find_image(srcdir: Path, docname: str, src: str) -> str | None:
    """Where a post's raw ``<img src>`` is, as a site path Sphinx resolves (``/images/x.png``).

    Looked for at the site root for a ``/`` path, else beside the post, else relative to
    the post's old URL (``/title/``), as the browser resolved it on Jekyll. None if the
    file is missing, or outside the source folder.
    """
    if src.startswith("/"):
        found = in_source(srcdir, src)
        return src if found is not None and found.is_file() else None
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(docname), src))
    if not beside.startswith("..") and _is_file(srcdir, beside):
        return "/" + beside
    rooted = re.sub(r"^(\.\./|\./)+", "", src)
    return "/" + rooted if _is_file(srcdir, rooted) else None


def _is_file(srcdir: Path, relative: str) -> bool:
    found = in_source(srcdir, relative)
    return found is not None and found.is_file()
