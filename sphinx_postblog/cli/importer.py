"""``sphinx-postblog import-jekyll SRC DEST``: a Jekyll site's posts into a Sphinx folder.

Copies ``_posts/`` (Markdown posts, unchanged), ``_data/`` and every image the posts
reference (Markdown images, raw ``<img src>``, ``header-img`` / ``image``), each at the
same place relative to DEST as it had relative to SRC, so the posts' paths keep working;
images are looked for where the build looks for them. ``_drafts/`` is not imported: Jekyll
does not publish drafts either, and they have no date to name a post file by; they are
counted, and the summary says how to keep them. Then prints the ``conf.py`` lines that
``_config.yml`` calls for.

Nothing outside SRC is read or copied: every path is resolved (symlinks followed) and a
path that ends outside SRC is reported and skipped. Existing files in DEST are kept
unless ``--force``.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from sphinx_postblog.cli.conflines import conf_lines
from sphinx_postblog.cli.jekyll_checks import (
    HTML_IMAGE,
    IMAGE,
    SUFFIXES,
    is_local,
    path_of,
)
from sphinx_postblog.cli.sources import UsageError, read_text
from sphinx_postblog.jekyll.convert import convert_post, find_post
from sphinx_postblog.reading.fields import PostBuilder
from sphinx_postblog.reading.frontmatter import read_front_matter

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

NAME = "import-jekyll"
HELP = "copy a Jekyll site's posts, data files and images into a Sphinx source folder"
DESCRIPTION = """\
Copy the Jekyll site SRC's _posts/ (Markdown posts, unchanged), _data/ and every image
the posts reference (Markdown images, <img src>, header-img and image front matter) into
the Sphinx source folder DEST, each at the same path relative to DEST, then print the
conf.py lines that _config.yml calls for (extensions, postblog_url, postblog_permalink,
postblog_title, ...) and a summary.

_drafts/ is not imported (Jekyll does not publish drafts either): move a draft into
_posts/ as YYYY-MM-DD-title.md with published: false to keep it. Nothing outside SRC is
read or copied: a path that resolves outside SRC (a symlink, ../) is reported and
skipped. Existing files in DEST are kept unless --force."""

_REFERENCE_KINDS = ("markdown", "html", "header")


@dataclass
class Report:
    """What an import did."""

    posts: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    images: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    not_markdown: list[str] = field(default_factory=list)
    drafts: int = 0
    #: Converted post bodies, for the conf.py lines (MyST extensions they need).
    bodies: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Whether anything was left out (exit status 1)."""
        return bool(self.missing or self.outside or self.kept)


class Importer:
    """Copies files from SRC to DEST, each only when it really is inside SRC."""

    def __init__(self, src: Path, dest: Path, *, force: bool) -> None:
        self.root = src.resolve()
        self.dest = dest
        self.force = force
        self.report = Report()
        self._done: dict[str, bool] = {}

    def inside(self, rel: str) -> Path | None:
        """SRC's file at the site path ``rel``, if it is in SRC; outside is reported."""
        rel = posixpath.normpath(rel)
        if rel.startswith(("../", "/")) or rel in {"..", "."}:
            self.report.outside.append(rel)
            return None
        file = self.root / rel
        real = file.resolve()
        if not real.is_relative_to(self.root):
            self.report.outside.append(f"{rel} (resolves outside SRC)")
            return None
        return file

    def exists(self, rel: str) -> bool:
        """Whether the site path ``rel`` names a file (wherever a symlink leads).

        A path leading out of SRC counts, so that copying it reports it.
        """
        rel = posixpath.normpath(rel)
        file = self.root / rel
        return rel.startswith("../") or rel == ".." or file.is_file() or file.is_symlink()

    def copy(self, rel: str) -> bool:
        """Copy SRC/rel to DEST/rel (once); False when it is not in SRC."""
        rel = posixpath.normpath(rel)
        if rel not in self._done:
            self._done[rel] = self._copy(rel)
        return self._done[rel]

    def _copy(self, rel: str) -> bool:
        source = self.inside(rel)
        if source is None:
            return False
        if not source.is_file():
            self.report.missing.append(f"{rel} (a link to nothing)")
            return False
        target = self.dest / rel
        if not target.parent.resolve().is_relative_to(self.dest.resolve()):
            self.report.outside.append(f"{rel} (its folder in DEST resolves outside DEST)")
            return False
        if (target.exists() or target.is_symlink()) and not self.force:
            self.report.kept.append(rel)
            return True
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        shutil.copyfile(source, target)
        return True

    def files(self, folder: str) -> Iterator[str]:
        """Site paths of the files under SRC/folder; folders leading outside are reported."""
        start = self.root / folder
        if not start.is_dir():
            return
        seen: set[Path] = set()
        for base, dirs, names in os.walk(start, followlinks=True):
            here = Path(base)
            real = here.resolve()
            rel = here.relative_to(self.root).as_posix()
            if not real.is_relative_to(self.root):
                self.report.outside.append(f"{rel}/ (resolves outside SRC)")
                dirs[:] = []
                continue
            if real in seen:  # a symlink back up the tree
                dirs[:] = []
                continue
            seen.add(real)
            dirs.sort()
            for name in sorted(names):
                yield f"{rel}/{name}"


def _candidates(kind: str, src: str, docname: str) -> list[str]:
    """Where the build looks for an image, as site paths, in order."""
    if src.startswith("/"):
        return [src.lstrip("/")]
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(docname), src))
    if kind == "markdown":
        return [beside]
    if kind == "header":
        return [beside, src]
    rooted = re.sub(r"^(\.\./|\./)+", "", src)
    return [beside, rooted] if not beside.startswith("..") else [rooted]


def _references(text: str, length: int, image: str) -> Iterator[tuple[str, str, int]]:
    """(kind, path, line) of each local image a post names."""
    if image and is_local(image):
        yield "header", path_of(image), 1
    for number, content in enumerate(text.split("\n")[length:], start=length + 1):
        for src in HTML_IMAGE.findall(content):
            if is_local(src):
                yield "html", path_of(src), number
        for src in IMAGE.findall(content):
            if is_local(src):
                yield "markdown", path_of(src), number


def import_post(importer: Importer, rel: str, stems: set[str]) -> None:
    """Copy one post and the images it references."""
    if not importer.copy(rel):
        return
    importer.report.posts.append(rel)
    source = importer.root / rel
    text, _bad_line = read_text(source)
    raw = read_front_matter(text)
    docname = rel.rsplit(".", 1)[0]
    post = PostBuilder(docname, raw, mtime=None).build()
    converted = convert_post(text, raw, site={"baseurl": "", "url": ""},
                             post_url=lambda name: find_post(stems, name),
                             link=lambda _path: None, attrs_inline=True).source
    importer.report.bodies.append(converted)
    image_line = raw.lines.get("header-img", raw.lines.get("image", 1)) if raw else 1
    for kind, src, line in _references(converted, raw.length if raw else 0, post.image):
        found = None
        for name in dict.fromkeys(_candidates(kind, src, docname)
                                  + _candidates(kind, unquote(src), docname)):
            if importer.exists(name):
                found = name
                break
        where = f"{rel}:{image_line if kind == 'header' else line}"
        if found is None:
            importer.report.missing.append(f"{where}: {src}")
        elif importer.copy(found):
            importer.report.images.add(found)


def import_site(src: Path, dest: Path, *, force: bool) -> Report:
    """Import SRC's posts, data files and images into DEST."""
    importer = Importer(src, dest, force=force)
    report = importer.report
    posts = list(importer.files("_posts"))
    stems = {posixpath.splitext(p)[0] for p in posts}
    for rel in posts:
        if posixpath.splitext(rel)[1].lower() in SUFFIXES:
            import_post(importer, rel, stems)
        else:
            report.not_markdown.append(rel)
    for rel in importer.files("_data"):
        if importer.copy(rel):
            report.data.append(rel)
    report.drafts = sum(1 for rel in importer.files("_drafts")
                        if posixpath.splitext(rel)[1].lower() in SUFFIXES)
    return report


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``import-jekyll`` command's arguments."""
    parser.add_argument("src", type=Path, metavar="SRC", help="the Jekyll site folder")
    parser.add_argument("dest", type=Path, metavar="DEST",
                        help="the Sphinx source folder (made when missing)")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    """Import, print what was left out, the conf.py lines and a summary."""
    src: Path = args.src
    dest: Path = args.dest
    if not (src / "_posts").is_dir():
        raise UsageError(f"{src} is not a Jekyll site: it has no _posts folder")
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} is not a folder")
    if dest.resolve() == src.resolve() or dest.resolve().is_relative_to(src.resolve() / "_posts"):
        raise UsageError("DEST must be another folder than SRC and its _posts")
    dest.mkdir(parents=True, exist_ok=True)
    report = import_site(src, dest, force=args.force)
    for item in report.missing:
        print(f"missing image: {item}")
    for item in report.outside:
        print(f"outside SRC, skipped: {item}")
    for item in report.kept:
        print(f"exists in DEST, kept (--force overwrites): {item}")
    for item in report.not_markdown:
        print(f"not a Markdown post, not imported: {item}")
    print()
    print(f"Add to {dest / 'conf.py'}:")
    print()
    for line in conf_lines(src.resolve(), dest, report.posts, report.bodies):
        print(line)
    print()
    summary = [_plural(len(report.posts), "post"), _plural(len(report.data), "data file"),
               _plural(len(report.images), "image"),
               _plural(len(report.missing), "missing image")]
    if report.outside:
        summary.append(f"{len(report.outside)} outside SRC skipped")
    if report.kept:
        summary.append(f"{len(report.kept)} existing files kept")
    if report.drafts:
        summary.append(f"{_plural(report.drafts, 'draft')} in _drafts/ not imported")
    print(f"Imported into {dest}: " + ", ".join(summary))
    return 1 if report.refused else 0
