"""The ``sphinx-postblog`` command: ``check`` a Jekyll ``_posts`` folder before migrating.

``sphinx-postblog check PATH`` reads every post without building and reports, per post,
what will not carry over as it was: front matter problems, Liquid it does not support,
kramdown syntax it drops, images that are missing, authors missing from ``authors.yml``.
The exit status is 1 when there is a problem (2 with a usage error), so CI can run it.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from sphinx_postblog import yamlsafe
from sphinx_postblog.frontmatter import PostBuilder, read_front_matter
from sphinx_postblog.jekyll import LiquidContext, render_liquid
from sphinx_postblog.kramdown import kramdown_to_myst

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
    """Everything in one post that will not carry over as it was."""
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
    length = raw.length if raw else 0
    body = "\n".join(text.split("\n")[length:])
    context = LiquidContext(
        site={"baseurl": "", "url": ""}, page=dict(raw.data) if raw else {},
        post_url=lambda name: f"/{name}" if name.strip() in stems else None,
        link=lambda path: f"/{path}" if (root / path.strip().lstrip("/")).is_file() else None,
    )
    body, liquid = render_liquid(body, context)
    body, kramdown = kramdown_to_myst(body)
    findings += [Finding(file, p.line + length, p.message, note=p.as_jekyll)
                 for p in [*liquid, *kramdown]]
    for number, content in enumerate(body.split("\n"), start=length + 1):
        for src in [*_IMAGE.findall(content), *_HTML_IMAGE.findall(content)]:
            if not _image_exists(src, file, root):
                findings.append(Finding(file, number, f"image not found: {src}"))
    if post.image and not _image_exists(post.image, file, root, rooted=True):
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


def _image_exists(src: str, post: Path, root: Path, *, rooted: bool = False) -> bool:
    if "://" in src or src.startswith(("//", "data:", "#")):
        return True
    src = src.split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]
    if src.startswith("/") or rooted:
        return (root / src.lstrip("/")).is_file() or (post.parent / src).is_file()
    plain = re.sub(r"^(\.\./|\./)+", "", src)
    return (post.parent / src).is_file() or (root / plain).is_file()


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
