"""Machine-readable post pages: JSON-LD ``BlogPosting``, OpenGraph, canonical links.

The ``BlogPosting`` is ``about`` its ``Event`` when the post reports on one; a post first
published elsewhere (ablog's ``canonical_link``) names that page as its canonical one.
Written into ``metatags`` (and ``pageurl``) at ``html-page-context``, which only reads the
environment, so it is safe in the writer processes of a ``-j`` build.
"""

from __future__ import annotations

import json
import posixpath
from html import escape
from typing import TYPE_CHECKING, Any

from sphinx_postblog.config import settings
from sphinx_postblog.output.feeds import feed_links
from sphinx_postblog.reading.structure import hero_image_uri
from sphinx_postblog.state import blog_state
from sphinx_postblog.view import PAGE_BUILDERS, get_blog, site_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Event, Post, Talk


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


def blog_posting(app: Sphinx, post: Post, pagename: str, image: str) -> dict[str, Any]:
    """The schema.org ``BlogPosting`` of a post; ``image`` is its hero image's URL or ``""``."""
    blog = get_blog(app)
    base = site_url(app)
    url = post.canonical_link or (base + app.builder.get_target_uri(pagename) if base else "")
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
        "datePublished": post.date.isoformat() if post.has_time else post.day.isoformat(),
        "author": authors, "wordCount": post.word_count,
    }
    if post.subtitle:
        data["alternativeHeadline"] = post.subtitle
    if post.description or post.excerpt:
        data["description"] = post.description or post.excerpt
    if post.updated:
        data["dateModified"] = post.updated.isoformat()
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


def _opengraph(app: Sphinx, post: Post, pagename: str, image: str) -> str:
    base = site_url(app)
    if not settings(app).url:
        return ""
    tags = {
        "og:type": "article", "og:title": post.title,
        "og:url": post.canonical_link or base + app.builder.get_target_uri(pagename),
        "og:description": post.description or post.excerpt,
        "og:image": image,
        "article:published_time": post.day.isoformat(),
    }
    return "".join(f'<meta property="{escape(k)}" content="{escape(v)}" />\n'
                   for k, v in tags.items() if v)


def on_html_page_context(app: Sphinx, pagename: str, templatename: str,
                         context: dict[str, Any], doctree: Any) -> None:
    """Add the post's machine-readable metadata and the ``postblog_*`` template context."""
    if app.builder.name not in PAGE_BUILDERS and app.builder.format != "html":
        return
    post = blog_state(app.env).posts.get(pagename)
    context["postblog_post"] = post
    context["postblog_blog"] = LazyBlog(app)
    extra = feed_links(app, pagename) if app.builder.name in PAGE_BUILDERS else ""
    if post is not None:
        image = _image_url(app, post, pagename, site_url(app))
        extra += json_script(blog_posting(app, post, pagename, image)) + "\n"
        extra += _opengraph(app, post, pagename, image)
    context["metatags"] = context.get("metatags", "") + extra


#: After the themes' handlers: furo and pydata-sphinx-theme rewrite ``pageurl`` in dirhtml
#: builds (at the default priority), which would undo a post's own canonical link.
CANONICAL_PRIORITY = 800


def canonical_link(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """Point the page's canonical link where its post was first published (``pageurl``).

    Every theme prints ``pageurl`` as ``<link rel="canonical">``; Sphinx sets it from
    ``html_baseurl``, so the page still has exactly one.
    """
    posts = blog_state(app.env).posts_of(pagename)
    if posts and posts[0].canonical_link:
        context["pageurl"] = posts[0].canonical_link
