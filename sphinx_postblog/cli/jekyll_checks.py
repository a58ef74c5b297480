"""``check`` on Jekyll posts: what will not carry over, per post, at its line.

Each post goes through the build's own reading and Jekyll conversion (front matter,
Liquid, kramdown) and its images are looked up as the build looks them up, so this
reports what a build would warn about, and notes what Jekyll does the same way.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.cli.sources import read_text
from sphinx_postblog.jekyll.convert import convert_post, find_file, find_post
from sphinx_postblog.jekyll.images import find_image
from sphinx_postblog.jekyll.liquid import SourceFolder
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.reading.fields import PostBuilder
from sphinx_postblog.reading.frontmatter import RawFrontMatter, read_front_matter
from sphinx_postblog.reading.structure import hero_image_uri

if TYPE_CHECKING:
    from collections.abc import Callable

IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)""", re.IGNORECASE)
SUFFIXES = {".md", ".markdown", ".mkd"}


@dataclass(frozen=True)
class Finding:
    """One thing that will not carry over, at a file and line."""

    path: Path
    line: int
    message: str
    note: bool = False  # Jekyll behaves the same: worth knowing, not a failure

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {'note' if self.note else 'problem'}: {self.message}"


def site_root(path: Path) -> Path:
    """The site folder of a ``_posts`` folder, or the folder itself."""
    return path.parent if path.name == "_posts" else path


def post_files(path: Path) -> list[Path]:
    """The Markdown posts of a site's ``_posts`` folder, or of the folder given."""
    folder = path / "_posts" if (path / "_posts").is_dir() else path
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def author_names(root: Path, data_dir: str) -> set[str] | None:
    """Keys and names of the authors file, case folded; None without a readable one."""
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


def check_post(file: Path, root: Path, authors: set[str] | None, stems: set[str], *,
               read: Callable[[str], RawFrontMatter | None] = read_front_matter,
               docname: str | None = None, markdown: bool = True,
               jekyll: bool = True, data_dir: str = "_data") -> list[Finding]:
    """Everything in one post that will not carry over as it was.

    ``read`` gives the front matter (an ablog source passes one that adds the ``post``
    directive's fields); ``markdown`` and ``jekyll`` say whether the build converts the
    post's Liquid and kramdown.
    """
    text, bad_line = read_text(file)
    if bad_line is not None:
        return [Finding(file, bad_line, "bytes that are not valid UTF-8; they will show as "
                        "\ufffd")]
    findings: list[Finding] = []
    raw = read(text)
    docname = docname or _docname(file, root)
    builder = PostBuilder(docname, raw, mtime=file.stat().st_mtime)
    post = builder.build()
    findings += [Finding(file, p.line, p.message) for p in builder.problems]
    if markdown and jekyll:
        converted = convert_post(
            text, raw, site={"baseurl": "", "url": ""},
            post_url=lambda name: find_post(stems, name),
            link=lambda path: find_file(root, path),
            attrs_inline=True,  # as the build, which turns MyST's attrs_inline on for Jekyll
            # Includes and site.data as the build sees them, from the site's folder.
            folder=SourceFolder(srcdir=root, path=file, docname=docname, data_dir=data_dir),
        )
        findings += [Finding(file, p.line, p.message, note=p.as_jekyll)
                     for p in converted.problems]
        text = converted.source
    if markdown:
        findings += _missing_images(file, root, docname, text, raw.length if raw else 0)
    if post.image and is_local(post.image):
        uri = hero_image_uri(root, docname, post.image)
        if not sphinx_image(root, docname, uri).is_file():
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


def _missing_images(file: Path, root: Path, docname: str, text: str,
                    length: int) -> list[Finding]:
    findings = []
    for number, content in enumerate(text.split("\n")[length:], start=length + 1):
        missing = [src for src in HTML_IMAGE.findall(content)
                   if is_local(src) and find_image(root, docname, path_of(src)) is None]
        missing += [src for src in IMAGE.findall(content)
                    if is_local(src) and not sphinx_image(root, docname, path_of(src)).is_file()]
        findings += [Finding(file, number, f"image not found: {src}") for src in missing]
    return findings


def _docname(file: Path, root: Path) -> str:
    """The post's document name, as the build would have it with ``root`` as source folder."""
    try:
        return file.relative_to(root).with_suffix("").as_posix()
    except ValueError:
        return file.stem


def is_local(src: str) -> bool:
    """Whether an image reference names a file of the site (not a URL)."""
    return not ("://" in src or src.startswith(("//", "data:", "#", "mailto:")))


def path_of(src: str) -> str:
    """An image reference without its query and fragment."""
    return src.split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]


def sphinx_image(root: Path, docname: str, uri: str) -> Path:
    """Where Sphinx looks for an image: ``/x`` in the source folder, else beside the page."""
    if uri.startswith("/"):
        return root / uri.lstrip("/")
    return root / posixpath.dirname(docname) / uri


def check(path: Path, data_dir: str = "_data") -> list[Finding]:
    """Check every post under ``path`` (a ``_posts`` folder or a site folder)."""
    root = site_root(path)
    files = post_files(path)
    stems = {f.stem for f in files}
    authors = author_names(root, data_dir)
    return [finding for file in files
            for finding in check_post(file, root, authors, stems, data_dir=data_dir)]
