"""The ``conf.py`` lines a Jekyll site's ``_config.yml`` and posts call for.

Printed by ``import-jekyll``. :data:`JEKYLL_SETTINGS` maps the plain ``_config.yml``
keys; the site's address and permalink style, the MyST extensions the posts' syntax
needs and the source suffixes of the posts are worked out below.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING, Any

from sphinx.util.matching import Matcher

from sphinx_postblog.config import DEFAULT_POSTS
from sphinx_postblog.reading import yamlsafe

if TYPE_CHECKING:
    from pathlib import Path

#: ``_config.yml`` key → (``conf.py`` name, the type its value must have).
JEKYLL_SETTINGS: dict[str, tuple[str, type]] = {
    "title": ("postblog_title", str),
    "paginate": ("postblog_per_page", int),
    "excerpt_separator": ("postblog_excerpt_separator", str),
    "future": ("postblog_future", bool),
    "lang": ("language", str),
}

#: MyST extension → what in a post's body needs it (kramdown has these built in).
MYST_SYNTAX: dict[str, re.Pattern[str]] = {
    "deflist": re.compile(r"^[^\s:].*\n:[ \t]+\S", re.MULTILINE),  # term, then ": definition"
    "dollarmath": re.compile(r"\$\$"),
}


def _py(value: Any) -> str:
    """A value as Python source (JSON's strings, lists and numbers are Python's too)."""
    if isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value, ensure_ascii=False)


def read_config(root: Path) -> dict[str, Any]:
    """``_config.yml`` of the site at ``root`` (empty when missing, unreadable or outside)."""
    file = root / "_config.yml"
    if not file.is_file() or not file.resolve().is_relative_to(root):
        return {}
    try:
        data = yamlsafe.load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, *yamlsafe.ERRORS):
        return {}
    return data if isinstance(data, dict) else {}


def site_url(config: dict[str, Any]) -> str:
    """``url`` + ``baseurl``, ending in ``/`` ("" without a ``url``)."""
    url = str(config.get("url") or "").strip().rstrip("/")
    if not url:
        return ""
    base = str(config.get("baseurl") or "").strip().strip("/")
    return f"{url}/{base}/" if base else f"{url}/"


def conf_lines(root: Path, dest: Path, posts: list[str], bodies: list[str]) -> list[str]:
    """The lines to add to DEST's ``conf.py``."""
    config = read_config(root)
    lines = ['extensions = ["myst_parser", "sphinx_postblog"]']
    wanted = [name for name, pattern in MYST_SYNTAX.items()
              if any(pattern.search(body) for body in bodies)]
    if wanted:
        lines.append(f"myst_enable_extensions = {_py(wanted)}")
    url = site_url(config)
    if url:
        lines.append(f"postblog_url = {_py(url)}")
    # Jekyll's default style is "date"; the old addresses keep working either way.
    permalink = config.get("permalink") or "date"
    if isinstance(permalink, str):
        lines.append(f"postblog_permalink = {_py(permalink)}")
    for key, (name, kind) in JEKYLL_SETTINGS.items():
        value = config.get(key)
        if isinstance(value, str) and not value.strip():
            continue  # Jekyll's excerpt_separator "\n\n" is the first paragraph, as ours
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            lines.append(f"{name} = {_py(value)}")
    suffixes = sorted({posixpath.splitext(p)[1] for p in posts} - {".md"})
    if suffixes:
        mapping = {".rst": "restructuredtext", ".md": "markdown",
                   **dict.fromkeys(suffixes, "markdown")}
        lines.append(f"source_suffix = {_py(mapping)}")
    docnames = [posixpath.splitext(p)[0] for p in posts]
    if not all(Matcher(list(DEFAULT_POSTS))(d) for d in docnames):
        lines.append(f"postblog_posts = {_py([*DEFAULT_POSTS, '_posts/**'])}")
    if not (dest / "conf.py").is_file():
        lines.append('html_theme = "postblog"  # optional: the theme made for reading posts')
    return lines
