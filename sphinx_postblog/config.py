"""Every ``postblog_*`` setting in one place: type, default, validator, documentation.

Each field of :class:`PostblogConfig` is registered as ``postblog_<name>`` with its
``types``, its ``rebuild`` (``"env"`` when it changes what is read, ``"html"`` when only
output, ``""`` when nothing written changes), its own validator, and the text of its
reference entry (``docs/configuration.md`` is generated from them). A bad value is one
located ``postblog.config`` warning, and the default is used. Modules read settings through
:func:`settings`, never through ``app.config`` directly.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

DEFAULT_POSTS = ("_posts/*", "blog/_posts/*", "posts/*", "blog/posts/*")


def _positive(value: int) -> bool:
    return value > 0


def _all_text(value: list[str] | tuple[str, ...]) -> bool:
    return all(isinstance(item, str) for item in value)


def _not_negative(value: int) -> bool:
    return value >= 0


def _zone_name(value: str) -> bool:
    """Whether ``value`` names a time zone of the IANA database (``Europe/Berlin``)."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _blog_path(value: str) -> str:
    return value.strip("/") or "blog"


def _key_list(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """One key, or a list of keys, as a list (ablog's ``blog_default_author`` is either)."""
    return [value] if isinstance(value, str) else list(value)


def _keys(value: str | list[str] | tuple[str, ...]) -> bool:
    return isinstance(value, str) or _all_text(value)


def setting(default: Any, *, rebuild: str, types: tuple[type, ...], group: str, doc: str,
            valid: Callable[[Any], bool] | None = None,
            normal: Callable[[Any], Any] | None = None) -> Any:
    """A field of :class:`PostblogConfig`: its default and everything Sphinx and docs need.

    ``valid`` says whether a value of the right type is allowed; ``normal`` turns an
    allowed value into the one the extension uses (``/blog/`` into ``blog``).
    """
    metadata = {"rebuild": rebuild, "types": types, "group": group, "doc": doc,
                "valid": valid, "normal": normal}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class PostblogConfig:
    """The extension's settings; each field is registered as ``postblog_<name>``."""

    posts: list[str] = setting(
        list(DEFAULT_POSTS), rebuild="env", types=(list, tuple), valid=_all_text,
        group="Which documents are posts",
        doc="Glob patterns, relative to the source folder, of the documents that are posts. "
            "Documents elsewhere are posts too when their front matter has `layout: post` or "
            "`blogpost: true`.")
    path: str = setting(
        "blog", rebuild="env", types=(str,), normal=_blog_path, group="Generated pages",
        doc="The folder of the generated pages in the output: `blog/index.html`, "
            "`blog/tag/<slug>.html` and so on. Slashes at either end are dropped. "
            "See {doc}`pages`.")
    title: str = setting(
        "Blog", rebuild="html", types=(str,), group="Generated pages",
        doc="The blog's name: the title of the blog index (when the project has no "
            "`blog/index` document of its own) and of the feeds.")
    per_page: int = setting(
        20, rebuild="html", types=(int,), valid=_positive, group="Generated pages",
        doc="Posts per listing page; longer lists continue on `…/page/2.html` and so on.")
    data_dir: str = setting(
        "_data", rebuild="env", types=(str,), group="Authors, categories and tags",
        doc="The folder, relative to the source folder, holding Jekyll's data files: "
            "`authors.yml`, a mapping from author key to `name`, `email`, `url`, `avatar`, "
            "`bio`, and profile handles or URLs for `github`, `twitter`, `linkedin`, "
            "`mastodon`, `facebook` (HTML entities in names, `Tom&aacute;s`, are decoded; "
            "a local `avatar` path is relative to the source folder and copied to the same "
            "path in the output); `categories.yml` and `tags.yml`, lists of `slug` and "
            "`name` giving display names. Categories and tags that are not listed keep the "
            "name a post gives them.")
    authors: dict[str, Any] = setting(
        {}, rebuild="html", types=(dict,), group="Authors, categories and tags",
        doc="Authors to add to the authors file, or fields to override in it, keyed like "
            "it: `{\"jun\": {\"name\": \"Jun Park\", \"url\": \"https://example.org/jun\"}}`.")
    default_author: list[str] = setting(
        [], rebuild="env", types=(list, tuple, str), valid=_keys, normal=_key_list,
        group="Authors, categories and tags",
        doc="The author (a key of the authors file, or a name), or a list of them, of every "
            "post that names none. ablog's `blog_default_author` is read into it.")
    locations: dict[str, Any] = setting(
        {}, rebuild="html", types=(dict,), group="Authors, categories and tags",
        doc="Display names of the locations posts give (`location:`), keyed like them: "
            "`{\"pgh\": \"Pittsburgh\"}`, or `{\"pgh\": {\"name\": \"Pittsburgh\", \"url\": "
            "\"https://example.org\"}}`. ablog's `blog_locations` is read into it.")
    default_location: str = setting(
        "", rebuild="env", types=(str,), group="Authors, categories and tags",
        doc="The location of every post that gives none.")
    languages: dict[str, Any] = setting(
        {}, rebuild="html", types=(dict,), group="Authors, categories and tags",
        doc="Display names of the languages posts give (`language:`), keyed like them: "
            "`{\"en\": \"English\"}`, or mappings with `name` and `url`, as "
            "`postblog_locations`. ablog's `blog_languages` is read into it.")
    default_language: str = setting(
        "", rebuild="env", types=(str,), group="Authors, categories and tags",
        doc="The language of every post that gives none.")
    drafts: bool = setting(
        False, rebuild="html", types=(bool,), group="Drafts and dates",
        doc="List unpublished posts (`published: false`) and future posts too, to preview "
            "them (`-D postblog_drafts=1` with sphinx-build or sphinx-autobuild). Drafts "
            "are always built as pages, with a notice, and never found: whether listed or "
            "not, they are left out of the search index and `_sources/`, and their pages "
            "say `noindex` to search engines. By default they are also left out of every "
            "list, feed and the sitemap.")
    future: bool = setting(
        False, rebuild="html", types=(bool,), group="Drafts and dates",
        doc="Publish posts dated after today as they are: listed, in feeds and the "
            "search index, without `noindex`. By default a future post is a draft until "
            "its day (see `postblog_drafts`).")
    date_format: str = setting(
        "%-d %B %Y", rebuild="html", types=(str,), group="Drafts and dates",
        doc="The `strftime` format of dates in post headers and lists (\"4 March 2024\"); "
            "`%-d` and `%-m` drop the zero padding on every platform. The `postlist` "
            "directive's `:date:` option overrides it for one list.")
    date_format_short: str = setting(
        "", rebuild="html", types=(str,), group="Drafts and dates",
        doc="The `strftime` format of dates in short lists: `postlist` entries and the "
            "recent posts sidebar (`ablog/recentposts.html`), \"4 March\". Empty: "
            "`postblog_date_format`.")
    timezone: str = setting(
        "UTC", rebuild="env", types=(str,), valid=_zone_name, group="Drafts and dates",
        doc="The IANA time zone (`Europe/Berlin`, `America/New_York`) of dates written "
            "without an offset: `date: 2024-03-04 18:30`, a date alone, a date from the "
            "file name. Feeds, JSON-LD, OpenGraph and the sitemap give every date with its "
            "offset; a date written with an offset (`+02:00`) keeps it. \"Today\", which "
            "decides what is a future post, is the day in this zone too.")
    excerpt_separator: str = setting(
        "<!-- more -->", rebuild="env", types=(str,), group="Excerpts and reading time",
        doc="The marker in a post's body that ends its excerpt. A post's "
            "`excerpt_separator` key overrides it for that post.")
    words_per_minute: int = setting(
        200, rebuild="html", types=(int,), valid=_positive, group="Excerpts and reading time",
        doc="Reading speed used for the \"N min read\" in post headers.")
    excerpt_paragraphs: int = setting(
        1, rebuild="env", types=(int,), valid=_not_negative, group="Excerpts and reading time",
        doc="How many of a post's first paragraphs make its excerpt when it has no excerpt "
            "marker, `excerpt` or `description` (each paragraph cut at 60 words); 0 gives "
            "posts no excerpt. A post's ablog `excerpt: N` overrides it for that post.")
    auto_image: int = setting(
        0, rebuild="env", types=(int,), valid=_not_negative, group="Excerpts and reading time",
        doc="Make the N-th image of a post's body its image (in JSON-LD, OpenGraph and the "
            "sidebars) when its front matter names none; 0 for none. A post's ablog "
            "`image: N` overrides it for that post.")
    url: str = setting(
        "", rebuild="html", types=(str,), group="Addresses, feeds and metadata",
        doc="The site's absolute address. With it, feeds, JSON-LD and OpenGraph use "
            "absolute URLs and post pages get OpenGraph tags. Without it, `html_baseurl` "
            "is used when set (and Sphinx then writes the canonical link itself).")
    feed_length: int = setting(
        20, rebuild="html", types=(int,), valid=_positive,
        group="Addresses, feeds and metadata",
        doc="The newest posts included in each feed.")
    feed_full: bool = setting(
        True, rebuild="html", types=(bool,), group="Addresses, feeds and metadata",
        doc="Feed items carry each post's whole body as HTML (talk cards of reports "
            "included; scripts, event handlers and `javascript:` links removed; links and "
            "images absolute under `postblog_url`), with its excerpt as the summary. "
            "`False`: the excerpt only (and, for reports, the list of talks). ablog's "
            "`blog_feed_fulltext` is read into it.")
    feed_titles: bool = setting(
        False, rebuild="html", types=(bool,), group="Addresses, feeds and metadata",
        doc="Feed items carry only each post's title, link, date and terms: no summary or "
            "content.")
    ablog_addresses: bool = setting(
        False, rebuild="html", types=(bool,), group="Addresses, feeds and metadata",
        doc="Write a redirect page at each address ablog gave a page that is named "
            "differently here: the blog's page (`blog.html`), each list of categories, "
            "tags, authors, locations and languages (`blog/tag.html`), and each "
            "author's, location's, language's, category's or tag's page that ablog named "
            "by its display name (`blog/author/mira-okafor.html`). On when `conf.py` sets "
            "any of ablog's settings, so that links to a site that switched from ablog "
            "keep working.")
    feed_ablog_paths: bool = setting(
        False, rebuild="html", types=(bool,), group="Addresses, feeds and metadata",
        doc="Also write each category's, tag's, author's, location's, language's and "
            "year's Atom feed where ablog's `blog_feed_archives` put it: "
            "`blog/tag/<slug>/atom.xml`, a year's at `blog/<year>/atom.xml`. Readers "
            "subscribed to an ablog site then keep their feeds. Only with the site's "
            "address (`postblog_url`), as ablog. ablog's `blog_feed_archives` is read "
            "into it.")
    feed_templates: dict[str, Any] = setting(
        {}, rebuild="html", types=(dict,), group="Addresses, feeds and metadata",
        doc="More Atom feeds of the whole blog, by name, as ablog's `blog_feed_templates`: "
            "`{\"social\": {\"content\": \"{{ title }}{% for tag in post.tags %} "
            "#{{ tag.name }}{% endfor %}\"}}` writes `blog/social.xml`, each item's `title`, "
            "`summary` and `content` made by the Jinja templates given (the others as in the "
            "main feed). The templates see `post` (`title`, `url`, `date`, `tags`, "
            "`category`, `author`, `location`, `language`: terms with `name`), `title`, "
            "`summary`, `content`, `post_url`, `feed_title` and `feed_url`. The name `atom` is "
            "the main feed, `blog/atom.xml`: its templates apply to it.")
    permalink: str = setting(
        "", rebuild="env", types=(str,), group="Addresses, feeds and metadata",
        doc="A Jekyll permalink pattern (`/:title/`, "
            "`/:categories/:year/:month/:day/:title.html`) or style (`date`, `pretty`, "
            "`ordinal`, `weekdate`, `none`). Every post is then also reachable at that "
            "path, through a small redirect page, so links to the old blog keep working. "
            "A post's own `permalink` key wins. Two posts with the same permalink give one "
            "warning of type `postblog.permalink`, and so does a redirect page the system "
            "cannot write (a name too long, a file where a folder should be).")
    jekyll: bool = setting(
        True, rebuild="env", types=(bool,), group="Addresses, feeds and metadata",
        doc="Jekyll compatibility for posts: Liquid is rendered (Jekyll's tags and filters) "
            "and kramdown syntax converted, links to site-absolute paths (`/2015/12/08/old-post/`, `/about/`) "
            "lead to the post with that old permalink or to that path under the site, and "
            "links to bare host names (`[site](www.example.com)`) stay plain links. "
            "See {doc}`jekyll`.")
    third_party_media: bool = setting(
        False, rebuild="html", types=(bool,), group="Conference reports",
        doc="Whether pages may load anything from another site: a talk's recording as an "
            "embedded YouTube (`youtube-nocookie.com`) or Vimeo player, and speaker "
            "avatars that schedule files give as other sites' URLs. Off by default, because "
            "each such request tells that site who reads the page: recordings are then "
            "links, and remote avatars are the speaker's initials. Avatars inside the "
            "source folder are always shown.")
    search_stem_cache: bool = setting(
        True, rebuild="", types=(bool,), group="Speed",
        doc="Sphinx's search index stems every word of every page, remembering stems only "
            "within a page; with this on, each distinct word is stemmed once per build. A "
            "blog repeats its vocabulary across hundreds of posts, so this is most of the "
            "time Sphinx spends writing its pages (see {doc}`performance`). The index is the "
            "same either way, for every search language: only the build's own indexer is "
            "changed. Off on Sphinx versions it was not checked against.")
    gc_tuning: bool = setting(
        True, rebuild="", types=(bool,), group="Speed",
        doc="Keeps Python's cycle collector out of work that costs time and frees nothing "
            "useful: while Sphinx loads the saved environment (paused until the builder is "
            "set up), walking that environment during a serial build (kept out of its reach "
            "with `gc.freeze()` until the build ends), and at the very end of the process "
            "(its last full collection is skipped). At 1,100 posts this takes about 1.2 s "
            "off every rebuild, and at 550 posts a one-post edit went from 1.6-1.9 s to "
            "1.2 s. A collector you turned off stays off; a process that goes on after its "
            "builds finds the collector as it was after each build.")
    parallel_tuning: bool = setting(
        True, rebuild="", types=(bool,), group="Speed",
        doc="In builds with `-j N` (N > 1), what Sphinx's main process merges from each "
            "reader and hands to each writer is freed as soon as it is no longer used, a "
            "chunk of doctrees starts on a writer before the next is resolved, and `N` "
            "writers write instead of Sphinx's `N - 1`. At 1,100 posts with `-j 2`, builds "
            "took 30.2 s and 30.8 s with it off, 21.4 s and 22.2 s with it on, and 215 MB "
            "instead of 256 to 272 MB at the peak. The pages written are the same. Off on "
            "Sphinx versions it was not checked against. See {doc}`performance` and "
            "{doc}`architecture`.")


FIELDS = dataclasses.fields(PostblogConfig)


def settings(source: Sphinx | BuildEnvironment | Config) -> PostblogConfig:
    """The ``postblog_*`` settings of an application, an environment or a configuration."""
    config = getattr(source, "config", source)
    return PostblogConfig(**{f.name: getattr(config, f"postblog_{f.name}") for f in FIELDS})


def config_signature(config: Config) -> list[str]:
    """Every ``postblog_*`` value, as text to digest."""
    return [repr(getattr(config, f"postblog_{f.name}")) for f in FIELDS]


def _is_valid(f: dataclasses.Field[Any], value: Any) -> bool:
    types = f.metadata["types"]
    # bool is an int subclass: True is no valid per_page.
    if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
        return False
    valid = f.metadata["valid"]
    return valid is None or bool(valid(value))


def conf_location(app: Sphinx, name: str) -> str:
    """``conf.py`` and the line that sets ``name`` (1 when it is set elsewhere).

    A path with a line, not a document name: there is no environment yet to resolve one.
    """
    path = Path(app.confdir, "conf.py")
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    setting_line = re.compile(rf"{name}\s*(=|:)")
    line = next((n for n, text in enumerate(lines, 1) if setting_line.match(text)), 1)
    return f"{path}:{line}"


def _validate(app: Sphinx, config: Config) -> None:
    """Warn about values of the wrong type or range and fall back to the default."""
    defaults = PostblogConfig()
    for f in FIELDS:
        name = f"postblog_{f.name}"
        value = getattr(config, name)
        if not _is_valid(f, value):
            default = getattr(defaults, f.name)
            logger.warning(
                "%s = %r is not valid (expected %s); using %r",
                name, value, " or ".join(t.__name__ for t in f.metadata["types"]), default,
                type="postblog", subtype="config", location=conf_location(app, name),
            )
            value = default
        normal = f.metadata["normal"]
        setattr(config, name, normal(value) if normal else value)
    if config.postblog_jekyll:
        # What kramdown posts use that MyST only parses with these: ~~strike~~ and the
        # {...} attributes that image IALs become. Both are opt-in in MyST.
        wanted = [e for e in ("strikethrough", "attrs_inline")
                  if e not in config.myst_enable_extensions]
        config.myst_enable_extensions = [*config.myst_enable_extensions, *wanted]


def setup_config(app: Sphinx) -> None:
    """Register every ``postblog_*`` value and its validation."""
    defaults = PostblogConfig()
    for f in FIELDS:
        app.add_config_value(
            f"postblog_{f.name}", getattr(defaults, f.name), f.metadata["rebuild"],
            types=f.metadata["types"],
        )
    app.connect("config-inited", _validate, priority=400)
