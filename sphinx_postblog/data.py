"""Jekyll data files (``authors.yml``, ``categories.yml``, ``tags.yml``) and ``postblog_authors``."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from sphinx.util import logging

from sphinx_postblog.model import Author, slugify
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


def _clean(value: Any) -> str:
    return html.unescape(str(value).strip()) if value is not None else ""


def author_from_mapping(key: str, value: Any) -> Author:
    """An author from an entry of the authors file (a mapping, or just a name)."""
    if not isinstance(value, dict):
        return Author(key=key, name=_clean(value) if value else "")
    fields = {str(k).strip(): v for k, v in value.items()}
    links = tuple((k, _clean(fields[k])) for k in _LINK_KEYS if fields.get(k))
    return Author(
        key=key, name=_clean(fields.get("name") or fields.get("display_name")),
        email=_clean(fields.get("email")), url=_clean(fields.get("url") or fields.get("web")),
        avatar=_clean(fields.get("avatar") or fields.get("picture") or fields.get("image")),
        bio=_clean(fields.get("bio") or fields.get("description")), links=links,
    )


def _load_yaml(path: Path) -> Any:
    try:
        # libyaml's loader when PyYAML has it: data files are read on every build.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        location = (str(path), mark.line + 1) if mark is not None else str(path)
        logger.warning("cannot read data file: %s", str(exc).splitlines()[0],
                       location=location, type="postblog", subtype="data")
        return None


def _terms(path: Path) -> dict[str, str]:
    """A ``categories.yml``/``tags.yml``: a list of ``slug``/``name`` (or a slug → name map)."""
    data = _load_yaml(path)
    terms: dict[str, str] = {}
    if isinstance(data, dict):
        data = [{"slug": k, "name": v} for k, v in data.items()]
    if not isinstance(data, list):
        if data is not None:
            logger.warning("expected a list of entries with 'slug' and 'name'", location=str(path),
                           type="postblog", subtype="data")
        return terms
    for entry in data:
        if isinstance(entry, dict) and (entry.get("slug") or entry.get("name")):
            name = _clean(entry.get("name") or entry.get("slug"))
            terms.setdefault(slugify(str(entry.get("slug") or name)), name)
    return terms


def load_data(app: Sphinx) -> BlogData:
    """Read the data folder and merge ``postblog_authors`` over it."""
    folder = Path(app.srcdir, app.config.postblog_data_dir)
    data = BlogData()
    authors_file = next((folder / n for n in ("authors.yml", "authors.yaml")
                         if (folder / n).is_file()), None)
    if authors_file is not None:
        raw = _load_yaml(authors_file)
        if isinstance(raw, dict):
            for key, value in raw.items():
                data.authors[str(key).strip()] = author_from_mapping(str(key).strip(), value)
        elif raw is not None:
            logger.warning("expected a mapping of author keys to details", location=str(authors_file),
                           type="postblog", subtype="data")
    for key, value in app.config.postblog_authors.items():
        base = data.authors.get(key)
        extra = author_from_mapping(key, value)
        if base is not None:
            merged = {f: getattr(extra, f) or getattr(base, f) for f in base.__dataclass_fields__}
            extra = Author(**merged)
        data.authors[key] = extra
    for kind in ("categories", "tags"):
        path = next((folder / f"{kind}.{ext}" for ext in ("yml", "yaml")
                     if (folder / f"{kind}.{ext}").is_file()), None)
        if path is not None:
            setattr(data, kind, _terms(path))
    return data
