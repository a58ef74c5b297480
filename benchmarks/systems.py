"""The three systems built from one corpus: the floor, sphinx-postblog and ablog.

Each system adapts the posts the way its user would (the floor marks them orphans, ablog's
migrating user adds ``blogpost: true`` and a date and writes tags as a comma-separated
string, postblog takes them unmodified) and writes its own ``conf.py``. ``postblog-bare``
is postblog with its stem cache, collector tuning and parallel tuning off: the cost of
the blog alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml
from corpus import Post, render_liquid_urls, tags_of

if TYPE_CHECKING:
    from collections.abc import Callable

SYSTEMS = ("floor", "postblog", "postblog-bare", "ablog")

COMMON_CONF = '''"""Benchmark site ({system}); written by benchmarks/run.py."""

project = "Benchmark blog"
author = "benchmark"
exclude_patterns = ["_build"]
# The same list for every system, so each writes the same (few) warnings.
suppress_warnings = {suppress!r}
'''

FLOOR_CONF = """
extensions = ["myst_parser"]
# A plain-MyST user's way to show the front matter's title as the page title.
myst_title_to_header = True
"""

POSTBLOG_CONF = """
extensions = ["myst_parser", "sphinx_postblog"]
postblog_url = "https://example.org/"
"""

# postblog without what it does to Sphinx's own share of the work (search stems, the
# cycle collector): what the blog itself costs.
BARE_CONF = """
postblog_search_stem_cache = False
postblog_gc_tuning = False
postblog_parallel_tuning = False
"""

# As `ablog start` writes it, plus MyST and the settings a Jekyll migrant needs.
ABLOG_CONF = """
extensions = ["ablog", "myst_parser"]
myst_title_to_header = True
blog_path = "blog"
blog_title = "Benchmark blog"
blog_baseurl = "https://example.org/"
blog_feed_archives = True
post_date_format = "%Y-%m-%d"
blog_authors = {authors!r}
html_sidebars = {{
    "**": [
        "ablog/postcard.html", "navigation.html", "ablog/recentposts.html",
        "ablog/tagcloud.html", "ablog/categories.html", "ablog/archives.html",
        "searchfield.html",
    ],
}}
"""

INDEX = """# Benchmark blog

A generated site with {count} posts in `_posts/`, for benchmarks/run.py.
"""

SUPPRESS = ["myst", "image", "toc"]


def floor_post(post: Post) -> Post:
    """The floor: the same post as an orphan, with the Liquid URLs a user would remove."""
    post = post.with_body(render_liquid_urls(post.body))
    return post.with_key("orphan", "true")


def postblog_post(post: Post) -> Post:
    """postblog reads Jekyll posts unmodified."""
    return post


def ablog_post(post: Post) -> Post:
    """A post converted for ablog as its docs show: blogpost, date, comma-separated tags."""
    post = post.with_body(render_liquid_urls(post.body)).with_key("layout", None)
    post = post.with_key("blogpost", "true").with_key("date", f"{post.date:%Y-%m-%d}")
    return post.with_key("tags", ", ".join(tags_of(post)))


def jekyll_tags(post: Post, tags: list[str]) -> Post:
    """Set tags as a YAML list (Jekyll's form; the floor and postblog)."""
    return post.with_key("tags", "[" + ", ".join(tags) + "]")


def ablog_tags(post: Post, tags: list[str]) -> Post:
    """Set tags as ablog's comma-separated string."""
    return post.with_key("tags", ", ".join(tags))


@dataclass(frozen=True)
class System:
    """How one system adapts posts, sets tags and is configured."""

    name: str
    adapt: Callable[[Post], Post]
    set_tags: Callable[[Post, list[str]], Post]
    conf: str


def ablog_authors(data: dict[str, str]) -> dict[str, tuple[str, None]]:
    """``blog_authors`` from Jekyll's ``_data/authors.yml``: key -> (name, link)."""
    loaded = yaml.safe_load(data.get("authors.yml", "")) or {}
    if not isinstance(loaded, dict):
        return {}
    return {
        str(key): (str(value.get("name", key)) if isinstance(value, dict) else str(key), None)
        for key, value in loaded.items()
    }


def make_system(name: str, data: dict[str, str]) -> System:
    """One of SYSTEMS, configured for a corpus with these ``_data/`` files."""
    common = COMMON_CONF.format(system=name, suppress=SUPPRESS)
    if name == "floor":
        return System(name, floor_post, jekyll_tags, common + FLOOR_CONF)
    if name == "postblog":
        return System(name, postblog_post, jekyll_tags, common + POSTBLOG_CONF)
    if name == "postblog-bare":
        return System(name, postblog_post, jekyll_tags, common + POSTBLOG_CONF + BARE_CONF)
    if name == "ablog":
        conf = common + ABLOG_CONF.format(authors=ablog_authors(data))
        return System(name, ablog_post, ablog_tags, conf)
    msg = f"unknown system {name!r}; choose from {', '.join(SYSTEMS)}"
    raise ValueError(msg)
