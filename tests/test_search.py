"""The search index's stemmer remembers stems across pages, and changes nothing in the index.

Sphinx stems every word of every page; ``postblog_search_stem_cache`` (on by default) has
each distinct word stemmed once per build. The index must be the same as without it, and
Sphinx's table of search languages is never changed (only the build's indexer is).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sphinx.search import SearchEnglish, languages

ROOT = Path(__file__).parent / "roots" / "test-posts"


def _search_index(app) -> dict:
    text = Path(app.outdir, "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.DOTALL).group(1))


def _build(make_app, tmp_path: Path, name: str, **overrides):
    srcdir = tmp_path / name
    shutil.copytree(ROOT, srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    app.build()
    return app


def test_index_is_the_same_with_and_without_remembered_stems(make_app, tmp_path):
    cached = _build(make_app, tmp_path, "cached")
    lang = cached.builder.indexer.lang
    stems = lang._postblog_stems
    # Every distinct word was stemmed once, through the cache; the posts' words are in it.
    assert isinstance(lang, SearchEnglish)
    # ("headings" stood here: it came only from a build message shown as an excerpt.)
    assert stems["beans"] == "bean"
    assert len(stems) > 50

    plain = _build(make_app, tmp_path, "plain", postblog_search_stem_cache=False)
    assert not hasattr(plain.builder.indexer.lang, "_postblog_stems")

    expected = _search_index(plain)
    assert expected["terms"]  # the comparison is about a real index
    assert _search_index(cached) == expected


def test_search_language_table_is_left_alone(make_app, tmp_path):
    before = dict(languages)
    app = _build(make_app, tmp_path, "site")
    assert app.builder.indexer.lang._postblog_stems
    assert languages == before
    assert languages["en"] is SearchEnglish


@pytest.mark.parametrize("language", ["de", "en_GB"])
def test_other_languages_remember_their_own_stems(make_app, tmp_path, language):
    app = _build(make_app, tmp_path, "site", language=language)
    lang = app.builder.indexer.lang
    assert lang._postblog_stems
    # Remembered stems are the language's own.
    for word, stemmed in lang._postblog_stems.items():
        assert stemmed == type(lang).stem(lang, word)
    assert lang.lang == ("de" if language == "de" else "en")
