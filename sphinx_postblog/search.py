"""The search index's stemmer, remembering across pages: a blog repeats its words.

Sphinx stems every word of every page for the search index, remembering stems only
within one page, and on one process whatever ``-j`` says. On a blog of thousands of posts
written with one vocabulary, that is most of the time spent writing pages. This wraps
the configured search language so each distinct word is stemmed once per build. Stems are
a function of the word alone, so the index is the same byte for byte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.search import languages
from sphinx.util import import_object

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.search import SearchLanguage


def _remembering(base: type[SearchLanguage]) -> type[SearchLanguage]:
    class RememberingStems(base):  # type: ignore[valid-type,misc]
        __doc__ = base.__doc__
        _postblog_remembers = True

        def __init__(self, options: dict[str, Any]) -> None:
            super().__init__(options)
            self._postblog_stems: dict[str, str] = {}

        def stem(self, word: str) -> str:
            stems = self._postblog_stems
            stemmed = stems.get(word)
            if stemmed is None:
                stemmed = stems[word] = super().stem(word)
            return stemmed

    RememberingStems.__name__ = RememberingStems.__qualname__ = base.__name__
    RememberingStems.__module__ = base.__module__
    return RememberingStems


def remember_stems(app: Sphinx, config: Config) -> None:
    """Register a remembering subclass of the search language this project uses.

    Sphinx keeps search languages in one table for the process; :func:`forget_stems`
    puts the original back when the build ends, so other projects built in the same
    process (tests, sphinx-autobuild's restarts) get what they configured.
    """
    if not config.postblog_search_stem_cache:
        return
    code = config.html_search_language or config.language or "en"
    key = code if code in languages else code.split("_")[0]
    original = languages.get(key)
    if original is None:
        return  # Sphinx falls back to English without stemming through the table
    base = import_object(original, "search language") if isinstance(original, str) else original
    if getattr(base, "_postblog_remembers", False):
        return
    app.add_search_language(_remembering(base))
    app._postblog_search_language = (base.lang, original)  # type: ignore[attr-defined]


def forget_stems(app: Sphinx, exception: Exception | None) -> None:
    """Put the project's original search language back in Sphinx's table."""
    registered = getattr(app, "_postblog_search_language", None)
    if registered is not None:
        key, original = registered
        languages[key] = original
        del app._postblog_search_language  # type: ignore[attr-defined]
