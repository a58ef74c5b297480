"""Helpers for reading what a test build wrote: parsed pages, warnings, post lists."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from bs4 import Tag
    from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: ``path:line: WARNING: message [type.subtype]``
WARNING_LINE = re.compile(
    r"^(?P<path>[^\n]*?):(?P<line>\d+)?:? WARNING: (?P<message>.*?)(?: \[(?P<type>[\w.-]+)\])?$"
)


def page(app: SphinxTestApp, path: str) -> BeautifulSoup:
    """The parsed HTML of an output file (``blog/index.html``)."""
    file = Path(app.outdir, path)
    assert file.is_file(), f"{path} was not written"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def warnings(app: SphinxTestApp) -> list[str]:
    """The warning lines of the build, colours removed."""
    text = _ANSI.sub("", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def main(soup: BeautifulSoup) -> Tag:
    """The main content element of a page, whatever the theme."""
    found = (soup.select_one("[role=main]") or soup.select_one(".postblog-article")
             or soup.select_one("article") or soup.body)
    assert found is not None
    return found


def text(node: Tag | None) -> str:
    """Reader-visible text of an element, whitespace normalised, header link marks dropped."""
    assert node is not None
    return " ".join(node.get_text(" ").replace("¶", " ").replace("\uf0c1", " ").split())


def listed(soup: BeautifulSoup, scope: Tag | None = None) -> list[str]:
    """Post files (``2020-01-01-x``) linked by the entries of the post lists, in order."""
    where = scope if scope is not None else main(soup)
    entries = where.select(".postblog-list .postblog-entry .postblog-entry-title a")
    return [PurePosixPath(a["href"].split("#")[0]).name.removesuffix(".html") for a in entries]


def listed_titles(soup: BeautifulSoup, scope: Tag | None = None) -> list[str]:
    """Titles of the entries of the post lists, in order."""
    where = scope if scope is not None else main(soup)
    return [text(a) for a in where.select(".postblog-list .postblog-entry .postblog-entry-title a")]


def json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every JSON-LD object of a page, parsed."""
    return [json.loads(s.string or "") for s in soup.find_all("script", type="application/ld+json")]


def blog_posting(soup: BeautifulSoup) -> dict[str, Any]:
    """The one ``BlogPosting`` of a post page."""
    postings = [d for d in json_ld(soup) if d.get("@type") == "BlogPosting"]
    assert len(postings) == 1, postings
    return postings[0]


def resolve(base: str, href: str) -> str:
    """The output path a relative link on the page at ``base`` points to."""
    target = href.split("#", maxsplit=1)[0]
    parts: list[str] = list(PurePosixPath(base).parent.parts)
    for part in PurePosixPath(target).parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def section(soup: BeautifulSoup, heading: str) -> Tag:
    """The section whose heading reads ``heading``."""
    for level in ("h1", "h2", "h3"):
        for node in main(soup).find_all(level):
            if text(node) == heading:
                return node.parent
    raise AssertionError(f"no section {heading!r}")


def write(path: Path, content: str) -> Path:
    """Write a file, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def write_site(src: Path, files: dict[str, str], conf: str = "") -> Path:
    """A project in ``src``: a ``conf.py`` loading MyST and postblog (then ``conf``), an
    ``index.md`` unless ``files`` has an index, and ``files`` (relative path → text)."""
    write(src / "conf.py", 'extensions = ["myst_parser", "sphinx_postblog"]\n' + conf)
    if not {"index.md", "index.rst"} & set(files):
        write(src / "index.md", "# Home\n")
    for name, content in files.items():
        write(src / name, content)
    return src


def edit(path: Path, content: str) -> None:
    """Write ``content`` and give the file a modification time Sphinx sees as newer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


#: Pages whose content depends on the build, not on the blog.
_NOT_COMPARED = {"genindex.html", "search.html", "py-modindex.html"}


def snapshot(app: SphinxTestApp) -> dict[str, tuple[str, list[str], list[dict[str, Any]]]]:
    """Every HTML page's main text and links, to compare two builds of the same sources."""
    pages = {}
    for file in sorted(Path(app.outdir).rglob("*.html")):
        path = file.relative_to(app.outdir).as_posix()
        if path in _NOT_COMPARED:
            continue
        soup = page(app, path)
        body = main(soup)
        postings = [d for d in json_ld(soup) if d.get("@type") == "BlogPosting"]
        links = [a.get("href", "") for a in body.find_all("a")]
        pages[path] = (text(body), links, postings)
    return pages
