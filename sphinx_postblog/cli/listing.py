"""``sphinx-postblog list``: every post of a source folder, newest first, without a build.

Posts are the documents the build takes as posts (``postblog_posts``, ``layout: post``,
``blogpost: true``, ablog's ``post`` directive), read by the build's own reading code;
their status is ``draft`` (``published: false``), ``future`` (dated after today) or
``published``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util.matching import Matcher

from sphinx_postblog.cli.sources import (
    AuthorEntry,
    UsageError,
    conf_today,
    documents,
    find_author,
    post_kind,
    post_patterns,
    read_authors,
    read_conf,
    read_source,
)
from sphinx_postblog.reading.fields import PostBuilder

if TYPE_CHECKING:
    import argparse
    import datetime as dt

    from sphinx_postblog.cli.sources import Source
    from sphinx_postblog.model import Post

NAME = "list"
HELP = "list the posts with date, status, authors, title and path"
DESCRIPTION = """\
List every post of SOURCEDIR, newest first: its date, status (published; draft, for
published: false; future, for a date after today), authors, title and path. Posts are the
documents at postblog_posts (conf.py's, or the defaults) and those whose front matter says
layout: post or blogpost: true, or with ablog's post directive. Nothing is built."""

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")
_RST_UNDERLINE = re.compile(r"^([=\-`:'\"~^_*+#<>])\1{2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Entry:
    """One listed post."""

    path: str
    post: Post
    status: str
    authors: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The entry as scripts read it."""
        post = self.post
        return {
            "path": self.path, "docname": post.docname, "title": post.title,
            "date": post.date.isoformat() if post.has_time else post.day.isoformat(),
            "status": self.status, "authors": list(self.authors),
            "categories": list(post.categories), "tags": list(post.tags),
        }


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``list`` command's arguments."""
    parser.add_argument("srcdir", nargs="?", type=Path, default=Path(), metavar="SOURCEDIR",
                        help="the Sphinx source folder (default: the current folder)")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON array (path, docname, title, date, status, "
                             "authors, categories, tags)")


def status(post: Post, day: dt.date) -> str:
    """``draft``, ``future`` or ``published``."""
    if not post.published:
        return "draft"
    return "future" if post.is_future(day) else "published"


def body_title(source: Source) -> str:
    """The first heading of the body (ablog posts are titled by it), "" when none."""
    lines = source.text.split("\n")[source.raw.length if source.raw else 0:]
    fence = ""
    for number, line in enumerate(lines):
        marker = _FENCE.match(line)
        if fence:
            fence = "" if marker and marker.group(1)[0] == fence[0] else fence
            continue
        if marker:
            fence = marker.group(1)
            continue
        if source.document.markdown:
            heading = _MD_HEADING.match(line)
            if heading:
                return heading.group(1).strip()
        elif line.strip() and number + 1 < len(lines) \
                and _RST_UNDERLINE.match(lines[number + 1]) \
                and len(lines[number + 1].rstrip()) >= len(line.rstrip()) \
                and not _RST_UNDERLINE.match(line):
            return line.strip()
    return ""


def _author_names(post: Post, known: list[AuthorEntry] | None) -> tuple[str, ...]:
    names = []
    for author in post.authors:
        found = find_author(known, author.key)
        names.append(author.name or (found.name if found and found.name else author.key))
    return tuple(names)


def entries(srcdir: Path) -> list[Entry]:
    """Every post of ``srcdir``, newest first."""
    conf = read_conf(srcdir)
    matcher = Matcher(post_patterns(conf))
    known = read_authors(srcdir, conf)
    day = conf_today(conf)
    found = []
    for document in documents(srcdir, conf):
        source = read_source(document)
        if not post_kind(source, matcher):
            continue
        post = PostBuilder(document.docname, source.raw,
                           mtime=document.path.stat().st_mtime).build()
        title_key = source.raw is not None and str(source.raw.data.get("title") or "").strip()
        if not title_key:
            title = body_title(source)
            if title:
                post = replace(post, title=title, title_from_body=True)
        found.append(Entry(document.path.relative_to(srcdir).as_posix(), post,
                           status(post, day), _author_names(post, known)))
    return sorted(found, key=lambda e: e.post.sort_key, reverse=True)


def run(args: argparse.Namespace) -> int:
    """Print the posts, as a table or as JSON."""
    srcdir: Path = args.srcdir
    if not srcdir.is_dir():
        raise UsageError(f"{srcdir} is not a folder")
    listed = entries(srcdir)
    if args.json:
        print(json.dumps([e.as_json() for e in listed], ensure_ascii=False, indent=2))
        return 0
    if not listed:
        print(f"no posts in {srcdir}")
        return 0
    width = max(len(e.status) for e in listed)
    bylines = [", ".join(e.authors) or "-" for e in listed]
    names = min(max(len(b) for b in bylines), 30)
    for entry, byline in zip(listed, bylines, strict=True):
        print(f"{entry.post.day.isoformat()}  {entry.status:<{width}}  {byline:<{names}}  "
              f"{entry.post.title}  {entry.path}")
    counts = {s: sum(e.status == s for e in listed) for s in ("published", "draft", "future")}
    print(f"{len(listed)} posts: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return 0
