"""Jekyll's dialect: what a Jekyll blog's posts need to build unmodified.

Liquid, rendered by python-liquid (:mod:`.liquid` and its ``liquid_*`` modules), kramdown syntax and
attribute lists (:mod:`.kramdown`, :mod:`.ial`), all applied to a post's body by
:mod:`.convert`; kramdown's ids, raw HTML anchors and in-page links (:mod:`.anchors`) and
``{:toc}`` (:mod:`.toc`); Rouge's lexer names and Markdown's rules (:mod:`.blocks`);
site-absolute links (:mod:`.links`); raw ``<img>`` tags (:mod:`.images`); permalinks and
the redirect pages at old URLs (:mod:`.permalinks`). ``postblog_jekyll = False`` turns off
the conversion, the anchors, the code names and the link rewriting; raw images and
permalinks serve every post (an ablog post's ``<img>`` and ``permalink:`` too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.jekyll.anchors import PostAnchors
from sphinx_postblog.jekyll.blocks import CONF_LEXER, JekyllBlocks, RougeConfLexer
from sphinx_postblog.jekyll.convert import on_post_source
from sphinx_postblog.jekyll.images import RawImages
from sphinx_postblog.jekyll.links import SiteLinks
from sphinx_postblog.jekyll.permalinks import check_permalinks, write_redirects

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_jekyll(app: Sphinx) -> None:
    """Connect the dialect to reading's events and to the build."""
    app.connect("postblog-post-source", on_post_source)
    app.add_transform(PostAnchors)
    app.add_transform(JekyllBlocks)
    app.add_lexer(CONF_LEXER, RougeConfLexer)
    app.add_transform(RawImages)
    app.add_post_transform(SiteLinks)
    app.connect("env-check-consistency", check_permalinks)
    app.connect("build-finished", write_redirects)
