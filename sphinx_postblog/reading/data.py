"""Data files and the names ``conf.py`` gives.

The files are ``authors.yml``, ``categories.yml``, ``tags.yml`` and ``events.yml``; the
settings ``postblog_authors``, ``postblog_locations`` and ``postblog_languages``.
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_postblog.config import settings
from sphinx_postblog.model import Author, slugify, unsafe_fields
from sphinx_postblog.paths import leaves_source
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reading.fields import read_event
from sphinx_postblog.state import BlogData

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

_LINK_KEYS = ("github", "twitter", "linkedin", "mastodon", "facebook", "website")
_LINK_URLS = {
    "github": "https://github.com/{}",
    "twitter": "https://twitter.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "facebook": "https://www.facebook.com/{}",
}


def link_url(network: str, handle: str) -> str:
    """The profile URL for a network handle (handles that are URLs are kept)."""
    if "://" in handle:
        return handle
    pattern = _LINK_URLS.get(network)
    return pattern.format(handle.lstrip("@")) if pattern else ""


def _where(path: Path, line: int = 1) -> str:
    """A warning's location in a data file (Sphinx takes a name without ``:`` for a docname)."""
    return f"{path}:{line}"


def _clean(value: Any) -> str:
    return html.unescape(str(value).strip()) if value is not None else ""


def author_from_mapping(key: str, value: Any, path: Path | None = None) -> Author:
    """An author from an entry of the authors file (a mapping, or just a name).

    ``path`` is where the entry is written, for warnings.
    """
    if not isinstance(value, dict):
        return Author(key=key, name=_clean(value) if value else "")
    fields = {str(k).strip(): v for k, v in value.items()}
    unsafe = unsafe_fields(fields)
    if unsafe:
        logger.warning("author %r has links that are not http(s) or mailto URLs (%s); they are "
                       "left out", key, ", ".join(unsafe),
                       location=_where(path, yamlsafe.key_line(path, key)) if path else None,
                       type="postblog", subtype="data")
    links = tuple((k, _clean(fields[k])) for k in _LINK_KEYS if fields.get(k))
    return Author(
        key=key, name=_clean(fields.get("name") or fields.get("display_name")),
        email=_clean(fields.get("email")), url=_clean(fields.get("url") or fields.get("web")),
        avatar=_clean(fields.get("avatar") or fields.get("picture") or fields.get("image")),
        bio=_clean(fields.get("bio") or fields.get("description")), links=links,
    )


def _avatar_inside(app: Sphinx, author: Author, path: Path) -> Author:
    """The author without an avatar whose path leaves the source folder (then a warning).

    Such an avatar would be a picture's address outside the site, and never copied.
    """
    if not leaves_source(app.srcdir, author.avatar):
        return author
    logger.warning("avatar %r of author %r is outside the source folder; it is left out",
                   author.avatar, author.key, location=_where(path, _line_of(path, author)),
                   type="postblog", subtype="security")
    return replace(author, avatar="")


def _line_of(path: Path, author: Author) -> int:
    """The line that names the author's avatar in ``path``, else the author's key's line."""
    start = yamlsafe.key_line(path, author.key)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return start
    return next((number for number, text in enumerate(lines[start - 1 :], start)
                 if author.avatar in text), start)


def _load_yaml(path: Path) -> Any:
    duplicates: list[tuple[str, int]] = []
    try:
        data = yamlsafe.load(path.read_text(encoding="utf-8"), duplicates)
    except (OSError, UnicodeDecodeError, *yamlsafe.ERRORS) as exc:
        mark = getattr(exc, "problem_mark", None)
        logger.warning("cannot read data file: %s", str(exc).splitlines()[0],
                       location=_where(path, mark.line + 1 if mark is not None else 1),
                       type="postblog", subtype="data")
        return None
    for key, line in duplicates:
        logger.warning("key %r is written twice in one mapping; the last value is used", key,
                       location=_where(path, line + 1), type="postblog", subtype="data")
    return data


def _terms(path: Path) -> dict[str, str]:
    """A ``categories.yml``/``tags.yml``: a list of ``slug``/``name`` (or a slug → name map)."""
    data = _load_yaml(path)
    terms: dict[str, str] = {}
    if isinstance(data, dict):
        data = [{"slug": k, "name": v} for k, v in data.items()]
    if not isinstance(data, list):
        if data is not None:
            logger.warning("expected a list of entries with 'slug' and 'name'",
                           location=_where(path), type="postblog", subtype="data")
        return terms
    for entry in data:
        if isinstance(entry, dict) and (entry.get("slug") or entry.get("name")):
            name = _clean(entry.get("name") or entry.get("slug"))
            terms.setdefault(slugify(str(entry.get("slug") or name)), name)
    return terms


def _events(path: Path, data: BlogData) -> None:
    """An ``events.yml``: event key → mapping (``name`` defaults to the key), or a list."""
    raw = _load_yaml(path)
    if isinstance(raw, list):
        raw = {str(i): v for i, v in enumerate(raw)}
    if not isinstance(raw, dict):
        if raw is not None:
            logger.warning("expected a mapping of event keys to 'name', 'url', 'location', "
                           "'start', 'end', 'schedule'", location=_where(path),
                           type="postblog", subtype="data")
        return
    for raw_key, written in raw.items():
        key = str(raw_key).strip()
        value = ({"name": key, **written}
                 if isinstance(written, dict) and "name" not in written and not key.isdigit()
                 else written)
        event, problems = read_event(value)
        for problem in problems:
            logger.warning("event %r: %s", key, problem,
                           location=_where(path, yamlsafe.key_line(path, key)),
                           type="postblog", subtype="data")
        if event is not None:
            for slug in {slugify(key), event.slug} - {""}:
                data.events.setdefault(slug, event)
    data.events_file = str(path)


def load_data(app: Sphinx) -> BlogData:
    """Read the data folder and merge ``postblog_authors`` over it."""
    folder = Path(app.srcdir, settings(app).data_dir)
    data = BlogData()
    authors_file = next((folder / n for n in ("authors.yml", "authors.yaml")
                         if (folder / n).is_file()), None)
    if authors_file is not None:
        raw = _load_yaml(authors_file)
        if isinstance(raw, dict):
            for raw_key, value in raw.items():
                key = str(raw_key).strip()
                data.authors[key] = _avatar_inside(
                    app, author_from_mapping(key, value, authors_file), authors_file)
        elif raw is not None:
            logger.warning("expected a mapping of author keys to details",
                           location=_where(authors_file), type="postblog", subtype="data")
    for key, value in settings(app).authors.items():
        base = data.authors.get(key)
        conf = Path(app.confdir, "conf.py")
        extra = _avatar_inside(app, author_from_mapping(key, value, conf), conf)
        if base is not None:
            merged = {f: getattr(extra, f) or getattr(base, f) for f in base.__dataclass_fields__}
            extra = Author(**merged)
        data.authors[key] = extra
    for kind in ("categories", "tags"):
        path = next((folder / f"{kind}.{ext}" for ext in ("yml", "yaml")
                     if (folder / f"{kind}.{ext}").is_file()), None)
        if path is not None:
            setattr(data, kind, _terms(path))
    for kind in ("locations", "languages"):  # postblog_locations, postblog_languages
        names: dict[str, str] = getattr(data, kind)
        for key, value in getattr(settings(app), kind).items():
            name = value.get("name") if isinstance(value, dict) else value
            if slugify(str(key)):
                names.setdefault(slugify(str(key)), _clean(name) or str(key))
    events = next((folder / f"events.{ext}" for ext in ("yml", "yaml")
                   if (folder / f"events.{ext}").is_file()), None)
    if events is not None:
        _events(events, data)
    return data
