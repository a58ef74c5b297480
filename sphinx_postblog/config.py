"""Every ``postblog_*`` configuration value: type, default, and validation at ``config-inited``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

DEFAULT_POSTS = ("_posts/*", "blog/_posts/*", "posts/*", "blog/posts/*")


@dataclass
class PostblogConfig:
    """The extension's settings; each field is registered as ``postblog_<name>``."""

    posts: list[str] = field(
        default_factory=lambda: list(DEFAULT_POSTS),
        metadata={"rebuild": "env", "types": (list, tuple),
                  "doc": "Glob patterns (relative to the source folder) of post documents."},
    )
    path: str = field(
        default="blog",
        metadata={"rebuild": "env", "types": (str,), "doc": "URL prefix of generated pages."},
    )
    title: str = field(
        default="Blog", metadata={"rebuild": "html", "types": (str,), "doc": "The blog's name."}
    )
    per_page: int = field(
        default=20,
        metadata={"rebuild": "html", "types": (int,), "doc": "Posts per listing page."},
    )
    data_dir: str = field(
        default="_data",
        metadata={"rebuild": "env", "types": (str,),
                  "doc": "Folder (relative to the source folder) of authors/categories/tags files."},
    )
    authors: dict[str, Any] = field(
        default_factory=dict,
        metadata={"rebuild": "html", "types": (dict,),
                  "doc": "Authors to add to or override the authors file, keyed like it."},
    )
    drafts: bool = field(
        default=False,
        metadata={"rebuild": "html", "types": (bool,),
                  "doc": "List unpublished posts (they are always built, with a notice)."},
    )
    future: bool = field(
        default=False,
        metadata={"rebuild": "html", "types": (bool,),
                  "doc": "List posts dated after today."},
    )
    date_format: str = field(
        default="%-d %B %Y",
        metadata={"rebuild": "html", "types": (str,),
                  "doc": "strftime format of dates; %-d and %-m drop zero padding."},
    )
    excerpt_separator: str = field(
        default="<!-- more -->",
        metadata={"rebuild": "env", "types": (str,),
                  "doc": "Marker in a post body ending its excerpt."},
    )
    words_per_minute: int = field(
        default=200,
        metadata={"rebuild": "html", "types": (int,), "doc": "Reading speed for reading time."},
    )
    url: str = field(
        default="",
        metadata={"rebuild": "html", "types": (str,),
                  "doc": "Absolute URL of the site, for feeds, OpenGraph and JSON-LD."},
    )
    feed_length: int = field(
        default=20,
        metadata={"rebuild": "html", "types": (int,), "doc": "Posts per feed."},
    )
    permalink: str = field(
        default="",
        metadata={"rebuild": "env", "types": (str,),
                  "doc": "Jekyll permalink pattern or style under which posts stay reachable."},
    )
    jekyll: bool = field(
        default=True,
        metadata={"rebuild": "env", "types": (bool,),
                  "doc": "Apply Jekyll compatibility (Liquid subset, kramdown syntax) to posts."},
    )
    search_stem_cache: bool = field(
        default=True,
        metadata={"rebuild": "", "types": (bool,),
                  "doc": "Stem each word of the search index once per build, not once per page."},
    )
    gc_tuning: bool = field(
        default=True,
        metadata={"rebuild": "", "types": (bool,),
                  "doc": "Keep Python's cycle collector out of loading the environment and "
                         "out of the process's exit."},
    )
    parallel_tuning: bool = field(
        default=True,
        metadata={"rebuild": "", "types": (bool,),
                  "doc": "In -j N builds, free what Sphinx's main process merges and hands "
                         "to writers at once, bound its queue of resolved doctrees, and "
                         "write with N workers."},
    )


def config_signature(config: Config) -> list[str]:
    """Every ``postblog_*`` value, as text to digest."""
    return [repr(getattr(config, f"postblog_{f.name}")) for f in dataclasses.fields(PostblogConfig)]


def _validate(app: Sphinx, config: Config) -> None:
    """Warn about values of the wrong type or range and fall back to the default."""
    defaults = PostblogConfig()
    for f in dataclasses.fields(PostblogConfig):
        name = f"postblog_{f.name}"
        value = getattr(config, name)
        default = getattr(defaults, f.name)
        types = f.metadata["types"]
        # bool is an int subclass: True is no valid per_page.
        ok = isinstance(value, types) and (bool in types or not isinstance(value, bool))
        if ok and f.name == "posts":
            ok = all(isinstance(item, str) for item in value)
        if ok and f.name in {"per_page", "words_per_minute", "feed_length"}:
            ok = value > 0
        if not ok:
            logger.warning(
                "%s = %r is not valid (expected %s); using %r",
                name, value, " or ".join(t.__name__ for t in types), default,
                type="postblog", subtype="config", location="conf.py",
            )
            setattr(config, name, default)
    config.postblog_path = config.postblog_path.strip("/") or "blog"
    if config.postblog_jekyll:
        # What kramdown posts use that MyST only parses with these: ~~strike~~ and the
        # {...} attributes that image IALs become. Both are opt-in in MyST.
        wanted = [e for e in ("strikethrough", "attrs_inline")
                  if e not in config.myst_enable_extensions]
        config.myst_enable_extensions = [*config.myst_enable_extensions, *wanted]


def setup_config(app: Sphinx) -> None:
    """Register every ``postblog_*`` value and its validation."""
    defaults = PostblogConfig()
    for f in dataclasses.fields(PostblogConfig):
        app.add_config_value(
            f"postblog_{f.name}", getattr(defaults, f.name), f.metadata["rebuild"],
            types=f.metadata["types"],
        )
    app.connect("config-inited", _validate, priority=400)
