"""What the commands read of a Sphinx source folder, without building it.

``conf.py`` evaluated as Sphinx evaluates it, the folder's documents as Sphinx would find
them (source suffixes, ``exclude_patterns``), which of them are posts and their front
matter, read by the build's own reading code (``reading/``, and ablog's ``post``
directive), and the authors data file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.config import eval_config_file
from sphinx.errors import ConfigError
from sphinx.util.matching import Matcher
from sphinx.util.tags import Tags

from sphinx_postblog.ablog.frontmatter import read_post_directive, with_post_directive
from sphinx_postblog.cli.ablog_tables import ablog_value
from sphinx_postblog.config import DEFAULT_POSTS, FIELDS, PostblogConfig
from sphinx_postblog.dates import today, zone
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reading.fields import is_post_front_matter
from sphinx_postblog.reading.frontmatter import RawFrontMatter, read_front_matter, read_rst_fields

#: What Sphinx reads when ``conf.py`` sets no ``source_suffix``; the extension sets up MyST.
DEFAULT_SUFFIXES = {".rst": "restructuredtext", ".md": "markdown"}


class UsageError(Exception):
    """A command was given something it cannot work on (exit status 2)."""


@dataclass
class Conf:
    """The values ``conf.py`` sets (none when the folder has no ``conf.py``)."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)
    #: Why ``conf.py`` could not be evaluated ("" when it was).
    error: str = ""

    def setting(self, name: str) -> Any:
        """A ``postblog_*`` value as set, else its default.

        ablog's counterpart stands in for one not set; a value of the wrong type is the
        default, as the build's validation makes it.
        """
        spec = next(f for f in FIELDS if f.name == name)
        value = self.values.get(f"postblog_{name}", dataclasses.MISSING)
        ablog = ablog_value(self.values, f"postblog_{name}")
        if value is dataclasses.MISSING and ablog is not None:
            value = ablog[1]  # as the build reads ablog's setting into ours
        types = spec.metadata["types"]
        if value is dataclasses.MISSING or not isinstance(value, types):
            return getattr(PostblogConfig(), name)
        return value

    def line(self, name: str) -> int:
        """The line of ``conf.py`` that sets ``name`` (1 when none does)."""
        if self.path is None:
            return 1
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*(=|:|\[|\.)")
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return 1
        return next((n for n, text in enumerate(lines, 1) if pattern.match(text)), 1)


def read_conf(srcdir: Path) -> Conf:
    """Evaluate ``srcdir/conf.py`` as Sphinx does, without setting up any extension.

    ``Config.read`` is a thin wrapper around this same ``eval_config_file`` call; the
    namespace itself is what we need, as it keeps settings no extension has registered
    (ablog's ``blog_*``).
    """
    path = srcdir / "conf.py"
    if not path.is_file():
        return Conf()
    try:
        # Sphinx runs conf.py from its own folder: a relative path would no longer be found.
        namespace = eval_config_file(path.absolute(), Tags())
    except ConfigError as exc:
        first = str(exc).strip().splitlines()
        return Conf(path=path, error=first[-1] if first else "cannot be read")
    values = {k: v for k, v in namespace.items() if not k.startswith("__") and k != "tags"}
    return Conf(path=path, values=values)


def conf_today(conf: Conf) -> dt.date:
    """Today in the blog's time zone (``postblog_timezone``), as a build decides it."""
    name = conf.setting("timezone")
    return today(zone(name if isinstance(name, str) else ""))


def post_patterns(conf: Conf) -> list[str]:
    """``postblog_posts``: the glob patterns of the documents that are posts."""
    patterns = conf.setting("posts")
    return [p for p in patterns if isinstance(p, str)] or list(DEFAULT_POSTS)


def suffixes(conf: Conf) -> dict[str, str]:
    """Source suffixes and their file types, as ``source_suffix`` gives them."""
    value = conf.values.get("source_suffix")
    if isinstance(value, str):
        found = {value: "restructuredtext"}
    elif isinstance(value, list | tuple):
        found = {str(s): "restructuredtext" for s in value}
    elif isinstance(value, dict):
        found = {str(k): str(v) for k, v in value.items()}
    else:
        return dict(DEFAULT_SUFFIXES)
    found.setdefault(".md", "markdown")  # sphinx_postblog sets MyST up itself
    return found


@dataclass(frozen=True)
class Document:
    """A source file, as the build names it."""

    path: Path
    docname: str
    markdown: bool


def documents(srcdir: Path, conf: Conf) -> list[Document]:
    """The documents Sphinx would find in ``srcdir``, sorted by docname.

    Hidden folders, ``exclude_patterns``, ``templates_path`` and the static and extra
    paths are left out, as Sphinx leaves them out.
    """
    known = suffixes(conf)
    excluded = ["_build", "**/.*"]
    for name in ("exclude_patterns", "templates_path", "html_static_path", "html_extra_path"):
        value = conf.values.get(name)
        if isinstance(value, list | tuple):
            excluded += [str(v) for v in value]
    skip = Matcher(excluded)
    found = []
    for folder, dirs, files in os.walk(srcdir):
        base = Path(folder)
        relative = base.relative_to(srcdir).as_posix()
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not skip(d if relative == "." else f"{relative}/{d}"))
        for name in files:
            file = base / name
            suffix = next((s for s in sorted(known, key=len, reverse=True)
                           if name.endswith(s)), None)
            rel = file.relative_to(srcdir).as_posix()
            if suffix is None or skip(rel):
                continue
            docname = rel[: -len(suffix)]
            found.append(Document(file, docname, known[suffix] == "markdown" or suffix == ".md"))
    return sorted(found, key=lambda d: d.docname)


def read_text(file: Path) -> tuple[str, int | None]:
    """The file's text as Sphinx reads it, and the line of its first non-UTF-8 byte, if any.

    Newlines are universal, as in text mode; like the build, bytes that are not UTF-8 are
    read as replacement characters.
    """
    data = file.read_bytes()
    try:
        text, bad_line = data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "replace")
        bad_line = data[: exc.start].count(b"\n") + 1
    return text.replace("\r\n", "\n").replace("\r", "\n"), bad_line


@dataclass(frozen=True)
class Source:
    """A document's text and front matter, read as the build reads them."""

    document: Document
    text: str
    #: The line of the first byte that is not UTF-8 (None when all are).
    bad_line: int | None
    raw: RawFrontMatter | None
    #: Whether ablog's ``post`` directive marks the document as a post.
    directive: bool


def read_source(document: Document) -> Source:
    """A document's text and front matter, as the build reads them.

    The YAML block of a Markdown file or the field list opening a reST one, completed by
    ablog's ``post`` directive.
    """
    text, bad_line = read_text(document.path)
    raw = read_front_matter(text) if document.markdown else read_rst_fields(text)
    directive = read_post_directive(text) is not None
    return Source(document, text, bad_line, with_post_directive(raw, text), directive)


def post_kind(source: Source, matcher: Matcher) -> str:
    """Why a document is a post ("" when it is not one).

    ablog's directive, its place (``postblog_posts``) or its front matter
    (``layout: post``, ``blogpost: true``).
    """
    if source.directive:
        return "ablog directive"
    if matcher(source.document.docname):
        return "location"
    return "front matter" if is_post_front_matter(source.raw) else ""


def posts_folder(srcdir: Path, conf: Conf) -> Path:
    """Where a new post goes.

    The literal folder of the first ``postblog_posts`` pattern whose folder exists, else
    of the first pattern that has one, else ``_posts``.
    """
    folders = []
    for pattern in post_patterns(conf):
        literal = []
        for part in pattern.split("/")[:-1]:
            if any(c in part for c in "*?["):
                break
            literal.append(part)
        else:
            if literal:
                folders.append("/".join(literal))
    existing = [folder for folder in folders if (srcdir / folder).is_dir()]
    return srcdir / ([*existing, *folders, "_posts"][0])


@dataclass(frozen=True)
class AuthorEntry:
    """A person of the authors data file."""

    key: str
    name: str


def read_authors(srcdir: Path, conf: Conf) -> list[AuthorEntry] | None:
    """The authors of ``authors.yml`` and ``postblog_authors`` (None when neither has any).

    ``authors.yml`` is looked for in ``postblog_data_dir``.
    """
    found: dict[str, AuthorEntry] = {}
    folder = srcdir / conf.setting("data_dir")
    for file in (folder / "authors.yml", folder / "authors.yaml"):
        if not file.is_file():
            continue
        try:
            data = yamlsafe.load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, *yamlsafe.ERRORS):
            data = None
        if isinstance(data, dict):
            for key, value in data.items():
                found[str(key).strip()] = AuthorEntry(str(key).strip(), _name(value))
        break
    for key, value in conf.setting("authors").items():
        name = _name(value) or (found[key].name if key in found else "")
        found[str(key)] = AuthorEntry(str(key), name)
    return list(found.values()) if found else None


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("display_name") or "").strip()
    return str(value).strip() if value else ""


def find_author(authors: list[AuthorEntry] | None, wanted: str) -> AuthorEntry | None:
    """The author whose key or name is ``wanted``, in any letter case, as the build finds it."""
    if not authors or not wanted.strip():
        return None
    exact = next((a for a in authors if a.key == wanted), None)
    if exact is not None:
        return exact
    folded = wanted.strip().casefold()
    return next((a for a in authors
                 if a.key.casefold() == folded or (a.name and a.name.casefold() == folded)),
                None)
