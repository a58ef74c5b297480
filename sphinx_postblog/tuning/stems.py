"""The search index's stemmer, remembering across pages: a blog repeats its words.

Sphinx stems every word of every page for the search index, remembering stems only
within one page, and on one process whatever ``-j`` says. On a blog of thousands of posts
written with one vocabulary, that is most of the time spent writing pages. The search
language of the build's indexer gets a ``stem`` that remembers every word it has stemmed,
so each distinct word is stemmed once per build. Stems are a function of the word alone,
so the index is the same byte for byte. Only that one indexer object changes: Sphinx's
table of search languages is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.tuning.guard import switched_on

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


def remember_stems(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make the indexer's stemmer remember (``doctree-resolved``, before the page is indexed).

    The indexer is made when writing starts, after ``write-started``; a page is resolved
    before it is indexed, so the first page written sets this up for the whole build.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or not switched_on(app, "search_stem_cache"):
        return
    lang = indexer.lang
    if "_postblog_stems" in vars(lang):
        return
    stems: dict[str, str] = {}
    stem = lang.stem

    def remembering(word: str) -> str:
        stemmed = stems.get(word)
        if stemmed is None:
            stemmed = stems[word] = stem(word)
        return stemmed

    lang._postblog_stems = stems
    lang.stem = remembering  # type: ignore[method-assign]


def setup_stem_cache(app: Sphinx) -> None:
    """Set the stemmer up when the first page is resolved, before Sphinx indexes it."""
    app.connect("doctree-resolved", remember_stems, priority=100)
