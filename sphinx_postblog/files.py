"""Files the blog writes into the output folder besides Sphinx's pages."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from sphinx_postblog.i18n import _

if TYPE_CHECKING:
    from pathlib import Path


def write_if_changed(path: Path, content: str | bytes) -> None:
    """Write a generated file unless it already holds ``content`` (keeps mtimes for servers).

    Text is written as UTF-8; bytes as they are.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def redirect_page(target: str, canonical: str, title: str, language: str | None = None) -> str:
    """A tiny page that sends readers and crawlers to ``target`` (a post's old address)."""
    link = f"<a href=\"{escape(target)}\">{escape(title)}</a>"
    moved = escape(_("This post has moved to {link}.")).format(link=link)
    return (
        f"<!DOCTYPE html>\n<html lang=\"{escape(language or 'en')}\">\n"
        "<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n"
        f"<link rel=\"canonical\" href=\"{escape(canonical)}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={escape(target)}\">\n"
        f"<meta name=\"robots\" content=\"noindex\">\n{REDIRECT_MARK}\n</head>\n<body>\n"
        f"<p>{moved}</p>\n"
        "</body>\n</html>\n"
    )


#: In every redirect page: a file that has it may be written again by the next build.
REDIRECT_MARK = "<!-- sphinx-postblog redirect -->"
#: The output's own folders, and the suffixes of files that are not pages (feeds, scripts,
#: the search index, the sitemap): no redirect page goes in or over them.
_SITE_FOLDERS = frozenset({"_static", "_images", "_sources", "_downloads", ".doctrees"})
_NOT_PAGES = frozenset({".xml", ".json", ".js", ".css", ".txt", ".inv", ".map"})


def redirect_refusal(outdir: str | Path, path: Path) -> str:
    """Why no redirect page may be written at ``path`` of the output ``outdir``, or ``""``.

    A redirect page never replaces a page, a feed or a file of the site (an old address
    written as ``/blog/index.html`` or ``/searchindex.js``), nor a folder; it may replace
    a redirect page of an earlier build.
    """
    try:
        return _refusal(outdir, path)
    except (OSError, ValueError) as exc:  # a name too long, a NUL
        return str(getattr(exc, "strerror", None) or exc)


def _refusal(outdir: str | Path, path: Path) -> str:
    from pathlib import Path as _Path  # noqa: PLC0415 - only typing needs it at import

    root = _Path(outdir).resolve()
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return "it is outside the site"
    if (relative.parts and relative.parts[0] in _SITE_FOLDERS) or any(
            _Path(part).suffix.lower() in _NOT_PAGES for part in relative.parts):
        return "it is one of the site's own files"
    if path.is_dir():
        return "a folder of the site is there"
    if any((root / parent).is_file() for parent in relative.parents if parent.parts):
        return "a file of the site is in its way"
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "a file of the site is there"
        if REDIRECT_MARK not in text:
            return "a page of the site is there"
    return ""
