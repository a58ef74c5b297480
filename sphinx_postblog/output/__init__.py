"""Output: everything a reader sees, made from the model when pages are written.

Doctree nodes' HTML (:mod:`.visitors`); post headers and footers (:mod:`.header`) and
every listing (:mod:`.listing`), both built from one set of HTML building blocks
(:mod:`.blocks`); ``postlist`` (:mod:`.postlist`) and the filling of blog elements
(:mod:`.resolve`); which pages to write again (:mod:`.freshness`); drafts kept out of
search and search engines (:mod:`.drafts`); generated pages
(:mod:`.pages`, :mod:`.records`, :mod:`.labels`); feeds (:mod:`.feeds`,
:mod:`.feedformats`, :mod:`.fulltext`); canonical links, JSON-LD, OpenGraph and Twitter
cards (:mod:`.seo`); the sitemap (:mod:`.sitemap`). Output only reads the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.output.drafts import setup_drafts
from sphinx_postblog.output.feeds import write_feeds
from sphinx_postblog.output.freshness import setup_freshness
from sphinx_postblog.output.labels import register_labels
from sphinx_postblog.output.pages import collect_pages, copy_avatars, warn_slug_clashes
from sphinx_postblog.output.postlist import setup_postlist
from sphinx_postblog.output.resolve import on_doctree_resolved
from sphinx_postblog.output.seo import CANONICAL_PRIORITY, canonical_link, on_html_page_context
from sphinx_postblog.output.sitemap import setup_sitemap
from sphinx_postblog.output.visitors import setup_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The fallback stylesheet for blog elements in every theme.
STATIC = Path(__file__).resolve().parent / "static"


def _add_static_path(app: Sphinx, config: Config) -> None:
    # At config-inited, so the pickled and the fresh configuration agree on it.
    static = str(STATIC)
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]


def setup_output(app: Sphinx) -> None:
    """Connect output to the build, in the order its events come."""
    setup_nodes(app)
    setup_postlist(app)
    app.connect("config-inited", _add_static_path)
    app.add_css_file("postblog-elements.css")
    setup_freshness(app)
    app.connect("env-updated", register_labels)
    app.connect("env-check-consistency", warn_slug_clashes)
    app.connect("doctree-resolved", on_doctree_resolved)
    setup_drafts(app)
    app.connect("html-collect-pages", collect_pages)
    app.connect("html-page-context", on_html_page_context)
    app.connect("html-page-context", canonical_link, priority=CANONICAL_PRIORITY)
    app.connect("build-finished", copy_avatars)
    app.connect("build-finished", write_feeds)
    setup_sitemap(app)
