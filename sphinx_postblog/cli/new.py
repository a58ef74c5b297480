"""``sphinx-postblog new "Title"``: a new post file with its front matter.

The file is ``YYYY-MM-DD-slug.md`` in the posts folder (the first existing folder of the
``postblog_posts`` patterns, read from ``conf.py`` when there is one). The author is
``--author``, else the ``git config user.name`` when it is a key or name of the authors
file; no author is ever made up.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from sphinx.util.matching import Matcher

from sphinx_postblog.cli.sources import (
    AuthorEntry,
    UsageError,
    conf_today,
    find_author,
    post_patterns,
    posts_folder,
    read_authors,
    read_conf,
)
from sphinx_postblog.model import slugify

if TYPE_CHECKING:
    import argparse

NAME = "new"
HELP = "write a new post: _posts/YYYY-MM-DD-slug.md with front matter"
DESCRIPTION = """\
Write a new Markdown post, YYYY-MM-DD-slug.md, in the posts folder of SOURCEDIR: the first
existing folder of postblog_posts (conf.py's, else _posts, blog/_posts, posts,
blog/posts), else _posts. Its front matter has the title, the date and the author: --author,
else `git config user.name` when it is a key or name in the authors file. An existing file
is never overwritten. Prints the path written."""

BODY = "Write the post here. The first paragraph is its excerpt.\n"


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        import argparse  # noqa: PLC0415 (only for the error type)

        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from exc


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``new`` command's arguments."""
    parser.add_argument("title", metavar="TITLE", help="the post's title")
    parser.add_argument("srcdir", nargs="?", type=Path, default=Path(), metavar="SOURCEDIR",
                        help="the Sphinx source folder (default: the current folder)")
    parser.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                        help="the post's date (default: today)")
    parser.add_argument("--author", metavar="KEY",
                        help="the author's key in the authors file (default: from git)")
    parser.add_argument("--category", metavar="NAME", help="the post's category")
    parser.add_argument("--tag", action="append", default=[], metavar="NAME",
                        help="a tag (repeat for more)")
    parser.add_argument("--event", metavar="NAME",
                        help="the event a conference report is about")
    parser.add_argument("--draft", action="store_true",
                        help="a draft: published: false")


def git_user(cwd: Path) -> str:
    """``git config user.name`` as seen from ``cwd`` ("" without git or a name)."""
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=cwd, capture_output=True,
                                text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def choose_author(wanted: str | None, authors: list[AuthorEntry] | None,
                  cwd: Path) -> tuple[str, str]:
    """The author key to write ("" for none), and a note on how it was chosen."""
    if wanted:
        found = find_author(authors, wanted)
        if found is not None:
            return found.key, ""
        where = "the authors file" if authors else "an authors file (there is none)"
        return wanted, f"note: author {wanted!r} is not in {where}: shown as written"
    user = git_user(cwd)
    found = find_author(authors, user)
    if found is not None:
        return found.key, ""
    if user:
        return "", (f"note: git user.name {user!r} is not a key or name in the authors file; "
                    "no author written (use --author)")
    return "", ""


def front_matter(args: argparse.Namespace, day: dt.date, author: str,
                 needs_layout: bool) -> str:
    """The YAML block, every value quoted as YAML needs it."""
    data: dict[str, Any] = {"title": args.title, "date": day}
    if needs_layout:
        data["layout"] = "post"
    if author:
        data["author"] = author
    if args.category:
        data["category"] = args.category
    if args.tag:
        data["tags"] = list(dict.fromkeys(args.tag))
    if args.event:
        data["event"] = args.event
    if args.draft:
        data["published"] = False
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{text}---\n\n"


def run(args: argparse.Namespace) -> int:
    """Write the post; 1 when the file exists already."""
    srcdir: Path = args.srcdir
    if not srcdir.is_dir():
        raise UsageError(f"{srcdir} is not a folder")
    slug = slugify(args.title)
    if not slug:
        raise UsageError(f"the title {args.title!r} has no letters or digits to make a "
                         "file name of")
    conf = read_conf(srcdir)
    if conf.error:
        print(f"note: conf.py cannot be evaluated ({conf.error}); using the default "
              "settings", file=sys.stderr)
    folder = posts_folder(srcdir, conf)
    author, note = choose_author(args.author, read_authors(srcdir, conf), srcdir)
    if note:
        print(note, file=sys.stderr)
    day = args.date or conf_today(conf)
    file = folder / f"{day.isoformat()}-{slug}.md"
    # A folder that postblog_posts does not cover needs the front matter to say "post".
    located = Matcher(post_patterns(conf))(file.relative_to(srcdir).with_suffix("").as_posix())
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with file.open("x", encoding="utf-8") as out:
            out.write(front_matter(args, day, author, not located) + BODY)
    except FileExistsError:
        print(f"error: {file} exists; not overwritten", file=sys.stderr)
        return 1
    print(file)
    return 0
