"""The ``sphinx-postblog`` command: ``check`` a Jekyll ``_posts`` folder before migrating.

``sphinx-postblog check PATH`` reads every post without building and reports, per post,
what will not carry over as it was: front matter problems, Liquid it does not support,
kramdown syntax it drops, images that are missing, authors missing from ``authors.yml``.
The exit status is 1 when there is a problem (2 with a usage error), so CI can run it.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from sphinx_postblog.jekyll.convert import convert_post, find_file, find_post
from sphinx_postblog.jekyll.images import find_image
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reading.fields import PostBuilder
from sphinx_postblog.reading.frontmatter import read_front_matter
from sphinx_postblog.reading.structure import hero_image_uri

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)""", re.IGNORECASE)
_SUFFIXES = {".md", ".markdown", ".mkd"}


@dataclass(frozen=True)
class Finding:
    """One thing that will not carry over, at a file and line."""

    path: Path
    line: int
    message: str
    note: bool = False  # Jekyll behaves the same: worth knowing, not a failure

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {'note' if self.note else 'problem'}: {self.message}"


def _site_root(path: Path) -> Path:
    return path.parent if path.name == "_posts" else path


def _posts(path: Path) -> list[Path]:
    folder = path / "_posts" if (path / "_posts").is_dir() else path
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file())


def _authors(root: Path, data_dir: str) -> set[str] | None:
    for name in ("authors.yml", "authors.yaml"):
        file = root / data_dir / name
        if file.is_file():
            try:
                data = yamlsafe.load(file.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, *yamlsafe.ERRORS):
                return None
            if isinstance(data, dict):
                keys = {str(k).strip().casefold() for k in data}
                names = {str(v.get("name", "")).strip().casefold() for v in data.values()
                         if isinstance(v, dict)}
                return keys | names
    return None


def check_post(file: Path, root: Path, authors: set[str] | None,
               stems: set[str]) -> list[Finding]:
    """Everything in one post that will not carry over as it was.

    The post goes through the build's own reading and Jekyll conversion (front matter,
    Liquid, kramdown) and its images are looked up as the build looks them up, so this
    reports what a build would warn about, and notes what Jekyll does the same way.
    """
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        return [Finding(file, line, "bytes that are not valid UTF-8; they will show as \ufffd")]
    findings: list[Finding] = []
    raw = read_front_matter(text)
    builder = PostBuilder(file.stem, raw, mtime=file.stat().st_mtime)
    post = builder.build()
    findings += [Finding(file, p.line, p.message) for p in builder.problems]
    converted = convert_post(
        text, raw, site={"baseurl": "", "url": ""},
        post_url=lambda name: find_post(stems, name),
        link=lambda path: find_file(root, path),
        attrs_inline=True,  # as the build, which turns MyST's attrs_inline on for Jekyll
    )
    findings += [Finding(file, p.line, p.message, note=p.as_jekyll) for p in converted.problems]
    docname = _docname(file, root)
    length = raw.length if raw else 0
    body = converted.source.split("\n")
    for number, content in enumerate(body[length:], start=length + 1):
        for src in _HTML_IMAGE.findall(content):
            if _local(src) and find_image(root, docname, _path_of(src)) is None:
                findings.append(Finding(file, number, f"image not found: {src}"))
        for src in _IMAGE.findall(content):
            if _local(src) and not _sphinx_image(root, docname, _path_of(src)).is_file():
                findings.append(Finding(file, number, f"image not found: {src}"))
    if post.image and _local(post.image):
        uri = hero_image_uri(root, docname, post.image)
        if not _sphinx_image(root, docname, uri).is_file():
            line = raw.lines.get("header-img", raw.lines.get("image", 1)) if raw else 1
            findings.append(Finding(file, line, f"header image not found: {post.image}"))
    if authors is not None:
        for author in post.authors:
            if author.key.casefold() not in authors and not author.name:
                line = raw.lines.get("author", raw.lines.get("authors", 1)) if raw else 1
                findings.append(Finding(file, line, f"author {author.key!r} is not in "
                                        "authors.yml: shown as written, without a profile",
                                        note=True))
    return sorted(findings, key=lambda f: f.line)


def _docname(file: Path, root: Path) -> str:
    """The post's document name, as the build would have it with ``root`` as source folder."""
    try:
        return file.relative_to(root).with_suffix("").as_posix()
    except ValueError:
        return file.stem


def _local(src: str) -> bool:
    return not ("://" in src or src.startswith(("//", "data:", "#")))


def _path_of(src: str) -> str:
    return src.split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]


def _sphinx_image(root: Path, docname: str, uri: str) -> Path:
    """Where Sphinx looks for an image: ``/x`` in the source folder, else beside the page."""
    if uri.startswith("/"):
        return root / uri.lstrip("/")
    return root / posixpath.dirname(docname) / uri


def check(path: Path, data_dir: str = "_data") -> list[Finding]:
    """Check every post under ``path`` (a ``_posts`` folder or a site folder)."""
    root = _site_root(path)
    files = _posts(path)
    stems = {f.stem for f in files}
    authors = _authors(root, data_dir)
    return [finding for file in files for finding in check_post(file, root, authors, stems)]


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``sphinx-postblog``."""
    parser = argparse.ArgumentParser(prog="sphinx-postblog", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    checker = commands.add_parser("check", help="report what will not carry over from posts")
    checker.add_argument("path", type=Path, help="a Jekyll _posts folder, or the site folder")
    checker.add_argument("--data-dir", default="_data", help="data folder, relative to the site")
    checker.add_argument("--strict", action="store_true", help="fail on notes too")
    args = parser.parse_args(argv)
    if not args.path.exists():
        parser.error(f"{args.path} does not exist")
    findings = check(args.path, args.data_dir)
    for finding in findings:
        print(finding)
    problems = [f for f in findings if args.strict or not f.note]
    posts = len(_posts(args.path))
    print(f"{posts} posts checked: {len(problems)} problems, "
          f"{len(findings) - len([f for f in findings if not f.note])} notes")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
