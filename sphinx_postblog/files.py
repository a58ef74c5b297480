"""Files the blog writes into the output folder besides Sphinx's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def write_if_changed(path: Path, text: str) -> None:
    """Write a generated file unless it already holds ``text`` (keeps mtimes for servers)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
