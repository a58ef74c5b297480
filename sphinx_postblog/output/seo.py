"""Machine-readable pages: canonical links, JSON-LD ``BlogPosting``, OpenGraph, Twitter cards.

Every page's canonical link is the one every theme prints from ``pageurl`` (Sphinx sets it
from ``html_baseurl``; furo and pydata-sphinx-theme mend it for dirhtml): it is set here
when only ``postblog_url`` gives the site's address, and pointed at the first publication
of a post published elsewhere (ablog's ``canonical_link``), so each page has exactly one.
A post page's ``og:url`` and JSON-LD ``url`` are that same address. The ``BlogPosting`` is
``about`` its ``Event`` when the post reports on one. Written into ``metatags`` (and
``pageurl``) at ``html-page-context``, which only reads the environment, so it is safe in
the writer processes of a ``-j`` build.
"""

from __future__ import annotations

import json
import posixpath
from html import escape
from typing import TYPE_CHECKING, Any

from sphinx_postblog.config import settings
from sphinx_postblog.dates import in_zone, zone
from sphinx_postblog.output.feeds import feed_links
from sphinx_postblog.reading.structure import hero_image_uri
from sphinx_postblog.state import blog_state
from sphinx_postblog.view import PAGE_BUILDERS, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Author, Event, Post, Talk

#: What OpenGraph and Twitter cards may point at: only absolute web addresses.
_WEB = ("https://", "http://")


class LazyBlog:
    """The blog view for templates, made on first use: most pages never look at it."""

    def __init__(self, app: Sphinx) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(get_blog(self._app), name)


def json_script(data: dict[str, Any]) -> str:
    """A JSON-LD script element that no front matter text can break out of."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def _image_url(app: Sphinx, post: Post, pagename: str, base: str) -> str:
    if not post.image or "://" in post.image:
        return post.image
    uri = hero_image_uri(app.env.srcdir, post.docname, post.image)
    source, _ = app.env.relfn2path(uri, post.docname)
    name = getattr(app.builder, "images", {}).get(source)
    if name is None:
        return ""
    path = posixpath.join(app.builder.imgpath, name)  # type: ignore[attr-defined]
    if base:
        return base + posixpath.normpath(posixpath.join(
            posixpath.dirname(app.builder.get_target_uri(pagename)), path))
    return path


def blog_posting(app: Sphinx, post: Post, url: str, image: str) -> dict[str, Any]:
    """The schema.org ``BlogPosting`` of a post.

    ``url`` is its canonical address (or ``""``), ``image`` its hero image's URL or ``""``.
    """
    blog = get_blog(app)
    base = site_url(app)
    where = zone(settings(app).timezone)
    authors = []
    for author in blog.authors_of(post):
        person: dict[str, Any] = {"@type": "Person", "name": author.display_name}
        if base:
            person["url"] = base + app.builder.get_target_uri(blog.pagename("author", author.slug))
        elif author.url:
            person["url"] = author.url
        authors.append(person)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "BlogPosting",
        "headline": post.title,
        "datePublished": (in_zone(post.date, where).isoformat() if post.has_time
                          else post.day.isoformat()),
        "author": authors, "wordCount": post.word_count,
    }
    if post.subtitle:
        data["alternativeHeadline"] = post.subtitle
    if post.description or post.excerpt:
        data["description"] = post.description or post.excerpt
    if post.updated:
        data["dateModified"] = in_zone(post.updated, where).isoformat()
    categories = blog.categories_of(post)
    if categories:
        data["articleSection"] = categories[0].name if len(categories) == 1 else [
            c.name for c in categories]
    tags = blog.tags_of(post)
    if tags:
        data["keywords"] = [t.name for t in tags]
    if image:
        data["image"] = image
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    event = blog.event_of(post)
    if event is not None:
        data["about"] = _event(event, post.talks)
    return data


def _event(event: Event, talks: tuple[Talk, ...]) -> dict[str, Any]:
    """The schema.org ``Event`` a report is about, each talk it covers a ``subEvent``."""
    found: dict[str, Any] = {"@type": "Event", "name": event.name}
    if event.start:
        found["startDate"] = event.start.isoformat()
    if event.end:
        found["endDate"] = event.end.isoformat()
    if event.location:
        found["location"] = {"@type": "Place", "name": event.location}
    if event.url:
        found["url"] = event.url
    if talks:
        found["subEvent"] = [_talk(talk, event) for talk in talks]
    return found


def _talk(talk: Talk, event: Event) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Event", "name": talk.title}
    if talk.speakers:
        found["performer"] = [{"@type": "Person", "name": s.name} for s in talk.speakers]
    if talk.start:
        found["startDate"] = talk.start.isoformat()
    if talk.end:
        found["endDate"] = talk.end.isoformat()
    place = ", ".join(part for part in (talk.room, event.location) if part)
    if place:
        found["location"] = {"@type": "Place", "name": place}
    if talk.video:
        found["recordedIn"] = {"@type": "VideoObject", "name": f"Recording: {talk.title}",
                               "url": talk.video}
    if talk.slides:
        found["workFeatured"] = {"@type": "CreativeWork", "name": f"Slides: {talk.title}",
                                 "url": talk.slides}
    return found


def _author_url(app: Sphinx, author: Author, base: str) -> str:
    """An author's profile for ``article:author``: their page here, else their own site."""
    if base:
        return base + app.builder.get_target_uri(get_blog(app).pagename("author", author.slug))
    return author.url


def _twitter_handle(author: Author) -> str:
    for network, handle in author.links:
        if network == "twitter":
            name = handle.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
            if name.replace("_", "").isalnum():
                return f"@{name}"
    return ""


def link_preview(app: Sphinx, post: Post, url: str, image: str) -> str:
    """OpenGraph (``article``) and Twitter card tags of a post page.

    With sphinxext-opengraph loaded, its ``og:`` and ``twitter:`` tags stand and only the
    ``article:`` ones are added.
    """
    blog = get_blog(app)
    base = site_url(app)
    where = zone(settings(app).timezone)
    image = image if image.startswith(_WEB) else ""
    summary = post.description or post.excerpt
    tags: list[tuple[str, str, str]] = []
    if "sphinxext.opengraph" not in app.extensions:
        tags += [("property", "og:type", "article"), ("property", "og:title", post.title),
                 ("property", "og:url", url), ("property", "og:description", summary),
                 ("property", "og:site_name", app.config.project or settings(app).title),
                 ("property", "og:image", image),
                 ("property", "og:image:alt", post.title if image else "")]
        if app.config.language:
            tags.append(("property", "og:locale", app.config.language.replace("-", "_")))
        tags += [("name", "twitter:card", "summary_large_image" if image else "summary"),
                 ("name", "twitter:title", post.title),
                 ("name", "twitter:description", summary)]
        handles = [h for h in map(_twitter_handle, blog.authors_of(post)) if h]
        if handles:
            tags.append(("name", "twitter:creator", handles[0]))
    tags.append(("property", "article:published_time",
                 in_zone(post.date, where).isoformat()))
    if post.updated:
        tags.append(("property", "article:modified_time",
                     in_zone(post.updated, where).isoformat()))
    tags += [("property", "article:author", _author_url(app, a, base) or a.display_name)
             for a in blog.authors_of(post)]
    tags += [("property", "article:section", c.name) for c in blog.categories_of(post)[:1]]
    tags += [("property", "article:tag", t.name) for t in blog.tags_of(post)]
    return "".join(f'<meta {kind}="{escape(key)}" content="{escape(value)}" />\n'
                   for kind, key, value in tags if value)


def on_html_page_context(app: Sphinx, pagename: str, templatename: str,
                         context: dict[str, Any], doctree: Any) -> None:
    """The ``postblog_*`` template context, and the feed links of the page."""
    if app.builder.name not in PAGE_BUILDERS and app.builder.format != "html":
        return
    context["postblog_post"] = blog_state(app.env).posts.get(pagename)
    context["postblog_blog"] = LazyBlog(app)
    if app.builder.name in PAGE_BUILDERS:
        context["metatags"] = context.get("metatags", "") + feed_links(app, pagename)


#: After the themes' handlers: furo and pydata-sphinx-theme rewrite ``pageurl`` in dirhtml
#: builds (at the default priority), which would undo a post's own canonical link.
CANONICAL_PRIORITY = 800


def canonical_url(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    """The page's canonical address, or ``""`` when the site's address is not known.

    A post first published elsewhere names that page; otherwise the address Sphinx made
    from ``html_baseurl`` (as the theme mended it), or the page under ``postblog_url``.
    """
    posts = blog_state(app.env).posts_of(pagename)
    if posts and posts[0].canonical_link:
        return posts[0].canonical_link
    base = site_url(app)
    if context.get("pageurl"):
        return str(context["pageurl"])
    return base + app.builder.get_target_uri(pagename) if base else ""


def canonical_link(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """Set the page's one canonical link (``pageurl``) and a post's JSON-LD and previews.

    Every theme prints ``pageurl`` as ``<link rel="canonical">``, once; nothing else here
    writes one.
    """
    if app.builder.format != "html":
        return
    url = canonical_url(app, pagename, context)
    if url:
        context["pageurl"] = url
    post = blog_state(app.env).posts.get(pagename)
    if post is None:
        return
    image = _image_url(app, post, pagename, site_url(app))
    extra = json_script(blog_posting(app, post, url, image)) + "\n"
    if url:
        extra += link_preview(app, post, url, image)
    context["metatags"] = context.get("metatags", "") + extra
