"""What generated files were made from, kept between builds so unchanged ones are not made again.

Sphinx writes ``html-collect-pages`` pages on every build, and a big blog has hundreds of
them and of feeds. :class:`DigestRecord` keeps a digest of what each was made from beside
the doctrees; the site signature and the blog digest say when nothing at all changed.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.config import config_signature
from sphinx_postblog.i18n import catalog_signature
from sphinx_postblog.state import blog_state, digest
from sphinx_postblog.view import site_today

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx


def site_signature(app: Sphinx) -> str:
    """What a generated page shows besides its own body: configuration, theme, navigation."""
    builder, env = app.builder, app.env
    info = getattr(builder, "build_info", None)
    templates = getattr(builder, "templates", None)
    navigation = sorted((doc, [(child, env.titles[child].astext()) for child in children
                               if child in env.titles])
                        for doc, children in env.toctree_includes.items())
    # Pages link stylesheets and scripts with a checksum of their content (?v=...).
    static = sorted((path.name, zlib.crc32(path.read_bytes()))
                    for path in Path(app.outdir, "_static").glob("*")
                    if path.suffix in {".css", ".js"} and path.is_file())
    # What ablog's sidebar templates show, on every page that names them (ablog/sidebars).
    sidebars = blog_state(env).sidebars
    return digest(getattr(info, "config_hash", ""), getattr(info, "tags_hash", ""),
                   templates.newest_template_mtime() if templates is not None else 0,
                   navigation, static, str(site_today(app)), builder.name, sidebars,
                   catalog_signature(app.config.language))


def blog_digest(app: Sphinx, site: str) -> str:
    """Everything generated pages, feeds and redirects are made from, as one digest.

    What other pages show of each post (computed for ``env-get-updated``: titles, dates,
    excerpts, resolved authors and terms, talks, whether and where it is listed) and what
    every page follows (day, settings, data files); the site signature covers theme,
    configuration and navigation. A post's body is none of these: feeds, which carry it,
    look at when each post was read.
    """
    state = blog_state(app.env)
    return digest(sorted(state.shown.items()), state.surroundings, sorted(state.posts),
                  config_signature(app.config), site)


class DigestRecord:
    """Digests of generated files as last written, by name, kept beside the doctrees.

    ``html-collect-pages`` pages are written on every build, and a big blog has hundreds
    of them and of feeds. A file whose digest (of what it is made from) is unchanged and
    whose output exists is not made again: its output from the last build is still
    right. ``blog`` is a digest of everything the blog is made from: when it is as last
    time, nothing need be made at all.
    """

    def __init__(self, app: Sphinx, what: str) -> None:
        self.path = Path(app.doctreedir, f"postblog-{what}-{app.builder.name}.json")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.old_blog: str = data["blog"]
            self.old: dict[str, str] = data["items"]
        except (OSError, ValueError, KeyError, TypeError):
            self.old_blog, self.old = "", {}
        self.new: dict[str, str] = {}
        self.blog = ""

    def all_unchanged(self, blog: str, output: Callable[[str], Path]) -> bool:
        """Whether the blog is as last time and every file written then is still there."""
        self.blog = blog
        return blog == self.old_blog and all(output(name).is_file() for name in self.old)

    def unchanged(self, name: str, made_from: str, outputs: Iterable[Path]) -> bool:
        """Record a file's digest; whether it and its outputs are as last time."""
        self.new[name] = made_from
        return self.old.get(name) == made_from and all(path.is_file() for path in outputs)

    def save(self) -> None:
        """Keep the digests for the next build."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"blog": self.blog, "items": self.new}
        self.path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
