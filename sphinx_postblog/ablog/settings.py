"""ablog's ``conf.py`` settings (``blog_*``, ``post_*``, ``fontawesome_*``, ``disqus_*``).

An ablog site's ``conf.py`` keeps working when ``"ablog"`` becomes ``"sphinx_postblog"``:
each ablog setting it sets is read into the ``postblog_*`` setting that does the same,
unless that one is set too, and the build says so in one info line naming the new
setting. Settings without a counterpart are accepted, and the info line says why they
change nothing. They are registered here (with ablog's defaults) only when ablog itself
is not loaded, since ablog registers them itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)


class AblogSetting(NamedTuple):
    """One of ablog's settings: its default, types, and what sphinx-postblog makes of it."""

    name: str
    default: Any
    #: Types Sphinx accepts; empty: the default's type (none checked for a ``None`` default).
    types: tuple[type, ...]
    #: The ``postblog_*`` setting it is read into, or ``""``.
    target: str = ""
    #: Turns ablog's value into the target's; ``None`` when it is used as it is.
    convert: Callable[[Any], Any] | None = None
    #: Why it changes nothing, for settings without a target.
    why: str = ""


def _named(value: Any) -> dict[str, Any]:
    """Ablog's ``{key: (display name, link)}`` as ``{key: {"name": …, "url": …}}``."""
    found: dict[str, Any] = {}
    for key, entry in (value or {}).items():
        if isinstance(entry, list | tuple):
            name = entry[0] if entry else ""
            url = entry[1] if len(entry) > 1 else ""
        elif isinstance(entry, dict):
            name, url = entry.get("name", ""), entry.get("url", "")
        else:
            name, url = entry, ""
        found[str(key)] = {"name": str(name or key), "url": str(url or "")}
    return found


def _keys(value: Any) -> list[str]:
    """A key, or a list of keys, as a list (``blog_default_author``)."""
    if value is None or value is False:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _joined(value: Any) -> str:
    """A key, or a list of keys, as one comma-separated value (``blog_default_location``)."""
    return ", ".join(_keys(value))


#: What a pattern of ablog's ``blog_post_pattern`` ends with that ``postblog_posts`` leaves
#: out: ablog globs file names, sphinx-postblog matches document names.
_SOURCE_SUFFIX = re.compile(r"\.(rst|md|markdown|txt|ipynb|myst)$")


def _patterns(value: Any) -> list[str]:
    """``blog_post_pattern`` (a glob of file names, or a list) as document name patterns."""
    patterns = [value] if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(_SOURCE_SUFFIX.sub("", str(p)) for p in patterns))


_NO_COMMENTS = "sphinx-postblog shows no comments; use a comments extension"
_NO_ICONS = "sphinx-postblog's pages and sidebars need no Font Awesome"

SETTINGS: tuple[AblogSetting, ...] = (
    AblogSetting("blog_path", "blog", (str,), "postblog_path"),
    AblogSetting("blog_title", "Blog", (str,), "postblog_title"),
    AblogSetting("blog_baseurl", "", (str,), "postblog_url"),
    AblogSetting("blog_authors", {}, (dict,), "postblog_authors", _named),
    AblogSetting("blog_default_author", None, (), "postblog_default_author", _keys),
    AblogSetting("blog_locations", {}, (dict,), "postblog_locations", _named),
    AblogSetting("blog_default_location", None, (), "postblog_default_location", _joined),
    AblogSetting("blog_languages", {}, (dict,), "postblog_languages", _named),
    AblogSetting("blog_default_language", None, (), "postblog_default_language", _joined),
    AblogSetting("blog_post_pattern", [], (str, list, tuple), "postblog_posts", _patterns),
    AblogSetting("post_date_format", "%d %B %Y", (str,), "postblog_date_format"),
    AblogSetting("post_date_format_short", "%d %B", (str,), "postblog_date_format_short"),
    AblogSetting("post_auto_excerpt", 1, (int,), "postblog_excerpt_paragraphs"),
    AblogSetting("post_auto_image", 0, (int,), "postblog_auto_image"),
    AblogSetting("blog_feed_fulltext", False, (bool,), "postblog_feed_full", bool),
    AblogSetting("blog_feed_length", None, (), "postblog_feed_length"),
    AblogSetting("blog_feed_titles", None, (), "postblog_feed_titles", bool),
    AblogSetting("blog_feed_templates", {"atom": {}}, (dict,), "postblog_feed_templates"),
    AblogSetting("post_always_section", False, (bool,), why=(
        "a post directive's section is its post whenever a document has several")),
    AblogSetting("blog_feed_archives", False, (bool,), "postblog_feed_ablog_paths", bool),
    AblogSetting("blog_archive_titles", None, (), why="listing pages show titles and excerpts"),
    AblogSetting("blog_feed_subtitle", None, (), why="feeds are described by their titles"),
    AblogSetting("post_auto_orphan", True, (bool,), why=(
        "posts are never reported as missing from a toctree")),
    AblogSetting("post_redirect_refresh", 5, (int,), why="redirect pages redirect at once"),
    AblogSetting("post_show_prev_next", True, (bool,), why=(
        "post pages always link the previous and next posts")),
    AblogSetting("skip_injecting_base_ablog_templates", False, (bool,), why=(
        "ablog's sidebar templates are sphinx-postblog's, behind the project's and the "
        "theme's own")),
    AblogSetting("fontawesome_link_cdn", None, (), why=_NO_ICONS),
    AblogSetting("fontawesome_included", False, (bool,), why=_NO_ICONS),
    AblogSetting("fontawesome_css_file", "", (str,), why=_NO_ICONS),
    AblogSetting("disqus_shortname", None, (), why=_NO_COMMENTS),
    AblogSetting("disqus_pages", False, (bool,), why=_NO_COMMENTS),
    AblogSetting("disqus_drafts", False, (bool,), why=_NO_COMMENTS),
)


def is_set(config: Config, name: str) -> bool:
    """Whether ``conf.py`` (or ``-D``) sets ``name``, rather than its default being used.

    Sphinx keeps the ``conf.py`` namespace and the overrides only in private attributes.
    """
    return (name in getattr(config, "_raw_config", {})
            or name in getattr(config, "_overrides", {}))


def read_ablog_settings(app: Sphinx, config: Config) -> None:
    """Read each ablog setting ``conf.py`` sets into its ``postblog_*`` one (``config-inited``).

    Runs before the ``postblog_*`` values are validated, so a value read from ablog's is
    checked like one set directly.
    """
    found = False
    for entry in SETTINGS:
        if entry.name not in config or not is_set(config, entry.name):
            continue
        found = True
        value = getattr(config, entry.name)
        if not entry.target:
            logger.info("ablog setting %s is accepted and changes nothing: %s",
                        entry.name, entry.why)
            continue
        converted = entry.convert(value) if entry.convert is not None else value
        if entry.target == "postblog_authors":
            # Merged: the authors of both, postblog_authors' own entries winning.
            setattr(config, entry.target, {**converted, **config.postblog_authors})
            logger.info("ablog setting %s is read into %s%s", entry.name, entry.target,
                        " (whose own entries win)" if config.postblog_authors else "")
        elif is_set(config, entry.target):
            logger.info("ablog setting %s is ignored: %s is set", entry.name, entry.target)
        elif value is None:
            logger.info("ablog setting %s is None: %s keeps its default", entry.name,
                        entry.target)
        else:
            setattr(config, entry.target, converted)
            logger.info("ablog setting %s is read as %s", entry.name, entry.target)
    if found and not is_set(config, "postblog_ablog_addresses"):
        # A site that comes from ablog keeps its addresses (ablog/redirects).
        config.postblog_ablog_addresses = True


def setup_ablog_settings(app: Sphinx) -> None:
    """Register ablog's settings (when ablog is not loaded) and read them into postblog's."""
    if "ablog" not in app.config.extensions:
        for entry in SETTINGS:
            if entry.name not in app.config:
                rebuild: Literal["env", ""] = "env" if entry.target else ""
                app.add_config_value(entry.name, entry.default, rebuild, types=entry.types)
    # Before the postblog_* values are validated (priority 400).
    app.connect("config-inited", read_ablog_settings, priority=300)
