"""sphinx-postblog: a blog and conference reports inside any Sphinx documentation site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from sphinx_postblog.collector import PostCollector, on_env_before_read_docs
from sphinx_postblog.config import setup_config
from sphinx_postblog.directives import setup_directives
from sphinx_postblog.encoding import check_encodings, register_codec
from sphinx_postblog.feeds import write_feeds
from sphinx_postblog.images import setup_images
from sphinx_postblog.links import setup_links
from sphinx_postblog.loading import setup_loading
from sphinx_postblog.nodes import setup_nodes
from sphinx_postblog.pages import collect_pages, copy_avatars, register_labels
from sphinx_postblog.parallel import setup_parallel
from sphinx_postblog.permalinks import check_permalinks, write_redirects
from sphinx_postblog.resolve import on_doctree_resolved
from sphinx_postblog.search import remember_stems
from sphinx_postblog.seo import on_html_page_context
from sphinx_postblog.source import (
    install_heading_filter,
    on_source_read,
    remove_heading_filter,
)
from sphinx_postblog.transforms import PostStructure

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

#: Bump when the model or the state kept in the environment changes shape.
ENV_VERSION = 2


def setup(app: Sphinx) -> ExtensionMetadata:
    """Wire the extension's modules into Sphinx."""
    app.setup_extension("myst_parser")
    setup_config(app)
    setup_nodes(app)
    setup_directives(app)
    app.add_transform(PostStructure)
    setup_links(app)
    setup_loading(app)
    setup_parallel(app)
    setup_images(app)
    app.add_env_collector(PostCollector)
    register_codec()
    app.connect("env-before-read-docs", check_encodings)
    app.connect("env-before-read-docs", on_env_before_read_docs)
    app.connect("source-read", on_source_read)
    app.connect("builder-inited", install_heading_filter)
    app.connect("build-finished", remove_heading_filter)
    app.connect("env-updated", register_labels)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("html-collect-pages", collect_pages)
    app.connect("html-page-context", on_html_page_context)
    app.connect("build-finished", copy_avatars)
    app.connect("env-check-consistency", check_permalinks)
    app.connect("build-finished", write_redirects)
    app.connect("build-finished", write_feeds)
    app.add_css_file("postblog-elements.css")
    app.connect("config-inited", _add_static_path)
    app.connect("doctree-resolved", remember_stems, priority=100)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _add_static_path(app: Sphinx, config: Config) -> None:
    # At config-inited, so the pickled and the fresh configuration agree on it.
    static = str(Path(__file__).parent / "static")
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]
