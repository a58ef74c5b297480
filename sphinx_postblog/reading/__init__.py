"""Reading: which documents are posts, and everything about a post that its source tells.

Front matter (:mod:`.frontmatter`, :mod:`.fields`), data files (:mod:`.data`), source
encodings (:mod:`.encoding`), the post's structure in the doctree (:mod:`.structure`),
what a post names outside the source folder left out (:mod:`.inside`),
excerpts and word counts (:mod:`.excerpts`), and the collector that keeps the posts in the
environment across incremental and parallel builds (:mod:`.collector`). Reading produces
the model; it never imports output code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.reading.collector import PostCollector, on_env_before_read_docs
from sphinx_postblog.reading.encoding import check_encodings, register_codec
from sphinx_postblog.reading.inside import includes_inside
from sphinx_postblog.reading.posts import setup_posts
from sphinx_postblog.reading.structure import PostStructure

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_reading(app: Sphinx) -> None:
    """Connect reading to the build, in the order its events come."""
    register_codec()
    app.connect("env-before-read-docs", check_encodings)
    app.connect("env-before-read-docs", on_env_before_read_docs)
    setup_posts(app)
    app.add_transform(PostStructure)
    app.connect("include-read", includes_inside)
    app.add_env_collector(PostCollector)
