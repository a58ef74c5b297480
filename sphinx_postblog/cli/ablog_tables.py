"""ablog's ``conf.py`` settings and sidebar templates, and what sphinx-postblog has instead.

One table each, read by ``check`` (notes on an ablog site's ``conf.py``) and by the other
commands (an ablog setting stands in for its ``postblog_*`` counterpart when that one is
not set, as in the build). Update them here when ablog or the ablog drop-in
(``sphinx_postblog/ablog/``) changes.
"""

from __future__ import annotations

from typing import Any

from sphinx_postblog.ablog.settings import SETTINGS, AblogSetting

#: ablog's settings, and their ``postblog_*`` counterparts: the build's own table.
ABLOG_SETTINGS: dict[str, AblogSetting] = {setting.name: setting for setting in SETTINGS}
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
