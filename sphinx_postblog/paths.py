"""Paths that sources name, kept inside the source folder: the one check every reader uses.

Front matter (``header-img``, an inline author's ``avatar``), data files (avatars, an
event's schedule), schedule files (speakers' pictures), Liquid's includes and data, raw
``<img>`` tags and the images of a post's body name files by path. A file is read or
copied only when its path, resolved with every symlink followed, stays inside the source
folder; what a path that leaves it names is never looked at, so that a post cannot copy a
file of the build machine into the published site.
"""

from __future__ import annotations

import re
from pathlib import Path

#: A URL with a scheme (``https:``, ``data:``) or a host (``//cdn.example.org``): not a file.
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def inside(root: str | Path, path: str | Path) -> Path | None:
    """``path`` resolved (symlinks followed), if it is inside ``root``; else None."""
    try:
        base, target = Path(root).resolve(), Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return target if base in target.parents else None


def is_remote(written: str) -> bool:
    """Whether a path as written is a URL (with a scheme or a host), not a file's path."""
    return bool(_REMOTE.match(written.strip()))


def in_source(srcdir: str | Path, written: str, folder: str = "") -> Path | None:
    """The file a path written in a source names, if it is inside the source folder.

    A path that starts with ``/`` is relative to the source folder (as Sphinx reads
    ``/images/a.png``), any other to ``folder`` (relative to the source folder; the
    source folder itself by default). None when the path leaves the source folder, by
    ``..``, through a symlink, or when it names no file at all (an empty path, a NUL).
    """
    text = written.strip()
    if not text:
        return None
    root = Path(srcdir)
    target = root / text.lstrip("/") if text.startswith("/") else root / folder / text
    return inside(root, target)


def leaves_source(srcdir: str | Path, written: str, folder: str = "") -> bool:
    """Whether a local path as written leaves the source folder (a URL never does)."""
    text = written.strip()
    return bool(text) and not is_remote(text) and in_source(srcdir, text, folder) is None
