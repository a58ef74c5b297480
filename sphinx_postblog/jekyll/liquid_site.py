"""What a post's Liquid sees of its site: ``page.*``, ``site.*``, and the files it may read.

Owns :func:`page_variables`, :func:`site_variables` (both made from a
:class:`~sphinx_postblog.jekyll.liquid.SourceFolder`); Liquid's reading is kept inside the
source folder by :func:`sphinx_postblog.paths.inside`, the check every reader shares.

``site.data`` reads ``_data/`` (YAML, JSON, CSV, TSV; sub-folders as nested mappings) only
when a post asks for it. ``site.posts`` is every published document of the posts folders
(``postblog_posts``), newest first, with its front matter and ``title``, ``date``, ``url``,
``id``, ``path``, ``slug``, ``categories`` and ``tags``, read from the files when a post
first asks: no ``content`` or rendered excerpt, since while posts are read no other post
is rendered yet. A post using either is read again when one of those files changes.
Files are parsed once per version (path, modification time, size).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_postblog.jekyll.liquid_dates import RubyTime, to_datetime
from sphinx_postblog.paths import inside
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reading.fields import jekyll_slug, titleize
from sphinx_postblog.reading.frontmatter import read_front_matter

if TYPE_CHECKING:
    from sphinx_postblog.jekyll.liquid import SourceFolder

__all__ = ["inside", "page_variables", "site_variables"]

_FILE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})-(.*)\Z")
_DATA_SUFFIXES = (".yml", ".yaml", ".json", ".csv", ".tsv")


@functools.lru_cache(maxsize=4096)
def _read(path: str, _mtime: int, _size: int) -> Any:
    """A data file parsed, or a post's front matter; cached per version of the file."""
    text = Path(path).read_text(encoding="utf-8-sig")
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return json.loads(text)
    if suffix in (".csv", ".tsv"):
        return list(csv.DictReader(io.StringIO(text), delimiter="," if suffix == ".csv" else "\t"))
    if suffix in (".yml", ".yaml"):
        return yamlsafe.load(text)
    raw = read_front_matter(text) if suffix in (".md", ".markdown", ".mkd") else None
    return dict(raw.data) if raw else {}


def _load(path: Path) -> Any:
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


class _DataFolder(Mapping[str, Any]):
    """``site.data``: a folder of data files, each read when first asked for."""

    def __init__(self, folder: Path, site: SourceFolder) -> None:
        self.folder = folder
        self.site = site
        self.cache: dict[str, Any] = {}

    def _find(self, key: str) -> Any:
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise KeyError(key)
        for candidate in [self.folder / key, *(self.folder / (key + s) for s in _DATA_SUFFIXES)]:
            real = inside(self.site.srcdir, candidate)
            if real is None:
                continue
            if real.is_dir():
                return _DataFolder(real, self.site)
            if real.is_file():
                self.site.note_dependency(str(real))
                try:
                    return _load(real)
                except (OSError, UnicodeDecodeError, csv.Error, *yamlsafe.ERRORS):
                    return None
        raise KeyError(key)

    def __getitem__(self, key: str) -> Any:
        if key not in self.cache:
            self.cache[key] = self._find(str(key))
        return self.cache[key]

    def _names(self) -> list[str]:
        try:
            entries = sorted(self.folder.iterdir())
        except OSError:
            return []
        return [e.stem if e.suffix.lower() in _DATA_SUFFIXES else e.name for e in entries
                if not e.name.startswith(".") and (e.is_dir() or e.suffix.lower() in _DATA_SUFFIXES)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def _names(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None]
    return str(value).split() if value not in (None, "") else []


def _file_variables(docname: str, path: Path | None, srcdir: Path | None) -> dict[str, Any]:
    """What a post's file name and place say: ``url``, ``id``, ``path``, ``slug``, ``date``."""
    stem = path.stem if path else docname.rsplit("/", 1)[-1]
    found = _FILE_DATE.match(stem)
    found_date = to_datetime("-".join(found.groups()[:3])) if found else None
    slug = jekyll_slug(found.group(4) if found else stem)
    variables: dict[str, Any] = {"slug": slug, "title": titleize(slug)}
    if found_date is not None:
        variables["date"] = found_date
    if docname:
        variables.update(url="/" + docname, id="/" + docname)
    if path is not None:
        variables["name"] = path.name
        try:
            variables["path"] = path.relative_to(srcdir).as_posix() if srcdir else path.name
        except ValueError:
            variables["path"] = path.name
    return variables


def _post_variables(front: Mapping[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """Front matter over what the file says, normalised as Jekyll normalises it."""
    page = {**defaults, **front}
    moment = to_datetime(front.get("date")) or defaults.get("date")
    if moment is not None:
        page["date"] = moment
    if not front.get("title"):
        page["title"] = defaults.get("title", "")
    categories = _names(front.get("categories")) or _names(front.get("category"))
    page["categories"] = categories
    page["tags"] = _names(front.get("tags")) or _names(front.get("tag"))
    return page


def page_variables(front: Mapping[str, Any], folder: SourceFolder | None,
                   body: str) -> dict[str, Any]:
    """``page``: the front matter, with what Jekyll adds for a post."""
    if folder is None:
        page = _post_variables(front, {})
        if not front.get("title"):
            page.pop("title", None)
    else:
        page = _post_variables(front, _file_variables(folder.docname, folder.path,
                                                      folder.srcdir))
    if "excerpt" not in page:
        separator = str(front.get("excerpt_separator") or "\n\n")
        page["excerpt"] = body.lstrip("\n").split(separator, 1)[0].strip()
    return page


class _Posts(Sequence[Mapping[str, Any]]):
    """``site.posts``: every post of the site, newest first, read when first asked for."""

    def __init__(self, folder: SourceFolder) -> None:
        self.folder = folder
        self.entries: list[Mapping[str, Any]] | None = None

    def _all(self) -> list[Mapping[str, Any]]:
        if self.entries is None:
            entries: list[Mapping[str, Any]] = []
            for docname, path in self.folder.posts():
                try:
                    front = _load(path)
                except (OSError, UnicodeDecodeError, *yamlsafe.ERRORS):
                    continue
                self.folder.note_dependency(str(path))
                if not isinstance(front, dict) or front.get("published") is False:
                    continue
                entries.append(_post_variables(
                    front, _file_variables(docname, path, self.folder.srcdir)))
            earliest = RubyTime(1, 1, 1)
            entries.sort(key=lambda e: (_naive(e.get("date")) or earliest, e.get("url", "")),
                         reverse=True)
            self.entries = entries
            return entries
        return self.entries

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self._all())


def _naive(moment: object) -> RubyTime | None:
    if not isinstance(moment, RubyTime):
        return None
    offset = moment.utcoffset()
    return RubyTime.of((moment - offset) if offset else moment).replace(tzinfo=None)


def site_variables(site: Mapping[str, Any], folder: SourceFolder | None) -> dict[str, Any]:
    """``site``: the settings given (``conf.py``'s), ``time``, and ``data``/``posts`` if known."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch.isascii() and epoch.isdigit()
              else dt.datetime.now().astimezone())
    variables: dict[str, Any] = {"baseurl": "", "url": "", "time": RubyTime.of(moment),
                                 "data": {}, "posts": []}
    if folder is not None:
        variables["data"] = _DataFolder(folder.srcdir / folder.data_dir, folder)
        variables["posts"] = _Posts(folder)
    variables.update(site)
    return variables
