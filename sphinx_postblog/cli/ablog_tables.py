"""ablog's ``conf.py`` settings and sidebar templates, and what sphinx-postblog has instead.

One table each, read by ``check`` (notes on an ablog site's ``conf.py``) and by the other
commands (an ablog setting stands in for its ``postblog_*`` counterpart when that one is
not set, as in the build). Update them here when ablog or the ablog drop-in
(``sphinx_postblog/ablog/``) changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _patterns(value: Any) -> Any:
    """Turn ablog's ``blog_post_pattern`` (with suffixes) into ``postblog_posts``."""
    items = [value] if isinstance(value, str) else list(value or [])
    return [re.sub(r"\.(rst|md|markdown|txt|ipynb|myst)$", "", str(p)) for p in items]


def _authors(value: Any) -> Any:
    """Turn ablog's ``{"key": ("Name", "url")}`` into ``postblog_authors`` mappings."""
    if not isinstance(value, dict):
        return value
    found = {}
    for key, entry in value.items():
        name, url = [*entry, None, None][:2] if isinstance(entry, list | tuple) \
            else (entry, None)
        found[key] = {k: v for k, v in (("name", name), ("url", url)) if v}
    return found


@dataclass(frozen=True)
class Setting:
    """What an ablog setting becomes.

    Its ``postblog_*`` counterpart (``convert`` turns ablog's value into that one's form),
    or why it changes nothing. A target that ``config.py`` does not (yet) register is
    reported as having no counterpart.
    """

    target: str = ""
    convert: Callable[[Any], Any] | None = None
    why: str = ""


_NO_COMMENTS = Setting(why="sphinx_postblog shows no comments; use a comments extension")
_NO_ICONS = Setting(why="no template of sphinx_postblog needs Font Awesome")

#: ablog's settings, and their ``postblog_*`` counterparts.
ABLOG_SETTINGS: dict[str, Setting] = {
    "blog_title": Setting("postblog_title"),
    "blog_path": Setting("postblog_path"),
    "blog_baseurl": Setting("postblog_url"),
    "blog_post_pattern": Setting("postblog_posts", _patterns),
    "blog_authors": Setting("postblog_authors", _authors),
    "blog_default_author": Setting("postblog_default_author"),
    "blog_languages": Setting("postblog_languages", _authors),
    "blog_default_language": Setting("postblog_default_language"),
    "blog_locations": Setting("postblog_locations", _authors),
    "blog_default_location": Setting("postblog_default_location"),
    "blog_feed_length": Setting("postblog_feed_length"),
    "blog_feed_fulltext": Setting("postblog_feed_fulltext"),
    "blog_feed_titles": Setting("postblog_feed_titles"),
    "blog_feed_templates": Setting("postblog_feed_templates"),
    "post_date_format": Setting("postblog_date_format"),
    "post_date_format_short": Setting("postblog_date_format_short"),
    "post_auto_excerpt": Setting("postblog_excerpt_paragraphs"),
    "post_auto_image": Setting("postblog_auto_image"),
    "blog_feed_archives": Setting(why="every category, tag and author has its own feeds"),
    "blog_feed_subtitle": Setting(why="feeds are described by their titles"),
    "blog_archive_titles": Setting(why="listing pages show each post's title and excerpt"),
    "post_auto_orphan": Setting(why="posts are never reported as missing from a toctree"),
    "post_always_section": Setting(why="a post is always one section"),
    "post_redirect_refresh": Setting(why="redirect pages send readers on at once"),
    "post_show_prev_next": Setting(why="every post links the previous and the next post"),
    "skip_injecting_base_ablog_templates": Setting(why="no ablog template is injected"),
    "disqus_shortname": _NO_COMMENTS,
    "disqus_pages": _NO_COMMENTS,
    "disqus_drafts": _NO_COMMENTS,
    "fontawesome_included": _NO_ICONS,
    "fontawesome_link_cdn": _NO_ICONS,
    "fontawesome_css_file": _NO_ICONS,
}
ABLOG_PREFIXES = ("blog_", "post_", "disqus_", "fontawesome_")

#: ablog's sidebar templates (``html_sidebars``), and the pages that show the same.
ABLOG_SIDEBARS: dict[str, str] = {
    "ablog/postcard.html": "each post's header shows its date, authors, categories and tags",
    "ablog/postcard2.html": "each post's header shows its date, authors, categories and tags",
    "ablog/recentposts.html": "a {postlist} directive lists recent posts on any page",
    "ablog/tagcloud.html": "each tag has its page, blog/tag/<slug>.html",
    "ablog/categories.html": "each category has its page, blog/category/<slug>.html",
    "ablog/archives.html": "each year has its page, blog/<year>.html",
    "ablog/authors.html": "each author has a page, blog/author/<slug>.html",
    "ablog/languages.html": "a post's header shows its language",
    "ablog/locations.html": "a post's header shows its location",
    "ablog/postnavy.html": "each post's footer links the previous and the next post",
}

#: What ``conf.py``'s text says that only ablog needs.
ABLOG_CONF_TEXT: dict[str, str] = {
    r"^\s*(import ablog|from ablog\b)": "conf.py imports ablog (for "
    "ablog.get_html_templates_path()); remove it and its templates_path entry when ablog "
    "is uninstalled",
}


def ablog_value(values: dict[str, Any], target: str) -> tuple[str, Any] | None:
    """The ablog setting ``conf.py`` sets for ``target`` (a ``postblog_*`` name), if any.

    Its name, and its value in the form of ``target``.
    """
    for name, setting in ABLOG_SETTINGS.items():
        if setting.target == target and values.get(name) is not None:
            value = values[name]
            try:
                return name, setting.convert(value) if setting.convert else value
            except (TypeError, ValueError):  # not a value ablog takes either
                return None
    return None
