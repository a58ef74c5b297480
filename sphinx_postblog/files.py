"""Files the blog writes into the output folder besides Sphinx's pages."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def write_if_changed(path: Path, text: str) -> None:
    """Write a generated file unless it already holds ``text`` (keeps mtimes for servers)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def redirect_page(target: str, canonical: str, title: str) -> str:
    """A tiny page that sends readers and crawlers to ``target`` (a post's old address)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n"
        f"<link rel=\"canonical\" href=\"{escape(canonical)}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={escape(target)}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n"
        f"<p>This post has moved to <a href=\"{escape(target)}\">{escape(title)}</a>.</p>\n"
        "</body>\n</html>\n"
    )
