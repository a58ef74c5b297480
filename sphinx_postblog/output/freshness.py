"""Knowing which pages to write again: what a page's blog elements show, as a digest.

A page's blog elements depend on other posts (previous/next links, post lists) and on data
files. :func:`fingerprint` names exactly those inputs, so that an incremental build rewrites
a page when, and only when, what it shows has changed (``env-get-updated``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.config import config_signature, settings
from sphinx_postblog.i18n import catalog_signature
from sphinx_postblog.output.postlist import list_posts
from sphinx_postblog.state import BlogState, blog_state, digest
from sphinx_postblog.view import TAXA, Blog, get_blog, site_today

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post


def index_docname(app: Sphinx) -> str | None:
    """The blog index, when the project has a document of its own at ``<path>/index``."""
    docname = f"{settings(app).path}/index"
    return docname if docname in app.env.all_docs else None


def entry_summary(blog: Blog, post: Post) -> tuple[object, ...]:
    """What a list entry or a neighbour link shows of a post (kept while the view lasts)."""
    summary = blog.summaries.get(post.key)
    if summary is None:
        summary = blog.summaries[post.key] = (
            post.key, post.external_link, post.title, post.date, post.excerpt,
            [(a.slug, a.display_name) for a in blog.authors_of(post)],
            [(t.slug, t.name) for t in blog.categories_of(post)])
    return summary


def _post_parts(blog: Blog, post: Post, read: object) -> list[object]:
    """What a post's header and footer show: the post, its terms, its neighbours.

    The post itself changes only when its document is read again (``read``, the time
    Sphinx read it), and its page is written again then anyway.
    """
    older, newer = blog.neighbours(post.key)
    taxa = [(kind, blog.taxa_of(kind, post)) for kind in TAXA]
    linked = [(kind, slug in blog.collections[kind]) for kind, slug in
              [("author", a.slug) for a in blog.authors_of(post)]
              + [(kind, t.slug) for kind, found in taxa for t in found]]
    event = blog.event_of(post)
    if event is not None:
        linked.append(("event", event.slug in blog.collections["event"]))
    return [post.key, read, blog.authors_of(post), taxa, blog.is_draft(post), linked,
            [entry_summary(blog, p) for p in (older, newer) if p], event,
            [(p.key, p.title) for p in blog.series_of(post)],
            [entry_summary(blog, p) for p in blog.related_to(post)]]


def _line_terms(blog: Blog, post: Post) -> object:
    """What a ``:format:`` line may show of a post beyond its list entry."""
    return [[(t.slug, t.name) for t in blog.taxa_of(kind, post)] for kind in TAXA]


def fingerprint(app: Sphinx, docname: str, index: str | None = None,
                shown: list[object] | None = None) -> str | None:
    """A digest of everything the blog elements of ``docname`` show, or None if it has none.

    ``index`` (the blog's own index document) and ``shown`` (the settings every page's
    elements follow) are the same for every page: a caller asking for all passes them.
    """
    blog = get_blog(app)
    if shown is None:
        index, shown = index_docname(app), _page_settings(app)
    parts: list[object] = []
    for post in blog.state.posts_of(docname):  # the page's post, and its section posts
        parts += _post_parts(blog, post, app.env.all_docs.get(docname))
    talks = blog.state.talks.get(docname)
    if talks:
        parts.append([s.slug in blog.collections["speaker"] for t in talks for s in t.speakers])
    for options in blog.state.postlists.get(docname, ()):
        listed = list_posts(blog, options["count"], options["options"])
        parts.append([entry_summary(blog, p) for p in listed])
        if "format" in options["options"]:
            parts.append([_line_terms(blog, p) for p in listed])
    if docname == index:
        parts.append([entry_summary(blog, p) for p in blog.listed[: settings(app).per_page]])
        parts.append(len(blog.listed))
    if not parts:
        return None
    return digest(parts, shown)


def _page_settings(app: Sphinx) -> list[object]:
    config = settings(app)
    return [config.date_format, config.words_per_minute, config.path,
            catalog_signature(app.config.language)]


def get_updated_docs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Documents whose blog elements show something that changed since they were written."""
    state = blog_state(env)
    inputs = resolved_inputs(app)
    if state.resolved_inputs == inputs:
        return []  # no post, post list, data file, day or setting changed: a no-op build
    index = index_docname(app)
    shown = _page_settings(app)
    surroundings = _surroundings(app, index)
    read = {docname for docname, stamp in env.all_docs.items() if stamp > state.checked}
    if state.surroundings == surroundings and _only_themselves(app, state, read):
        # What other pages show of the posts read again is as it was: only their own
        # pages changed, and Sphinx writes those anyway (a writer saving a post).
        for docname in read:
            digest = fingerprint(app, docname, index, shown)
            if digest is not None:
                state.rendered[docname] = digest
        changed = []
    else:
        changed = _all_changed(app, state, index, shown)
    state.surroundings = surroundings
    state.checked = max(env.all_docs.values(), default=0)
    state.resolved_inputs = inputs
    return changed


def _all_changed(app: Sphinx, state: BlogState, index: str | None,
                 shown: list[object]) -> list[str]:
    """Every document with blog elements whose fingerprint changed (all are computed)."""
    blog = get_blog(app)
    candidates = {post.docname for post in state.posts.values()}
    candidates |= set(state.postlists) | set(state.talks)
    if index:
        candidates.add(index)
    changed = []
    rendered: dict[str, str] = {}
    for docname in sorted(candidates):
        digest = fingerprint(app, docname, index, shown)
        if digest is None:
            continue
        rendered[docname] = digest
        if state.rendered.get(docname) != digest:
            changed.append(docname)
    state.rendered = rendered
    state.shown = {post.key: shown_elsewhere(blog, post) for post in state.posts.values()}
    return changed


#: Beyond this many documents read again, every fingerprint is computed anyway.
_FEW = 50


def _only_themselves(app: Sphinx, state: BlogState, read: set[str]) -> bool:
    """Whether the same posts are there and those read again show others what they did."""
    if len(read) > _FEW or state.shown.keys() != state.posts.keys():
        return False
    blog = get_blog(app)
    for docname in read:
        for post in state.posts_of(docname):
            if shown_elsewhere(blog, post) != state.shown.get(post.key):
                return False
    return True


def shown_elsewhere(blog: Blog, post: Post) -> str:
    """A digest of everything other pages show of a post, or derive from it.

    List entries and neighbour links (:func:`entry_summary`), a list line's terms, whether
    and where it is listed, its series, its event and talks (related posts, series
    navigation, collections, event and speaker pages). A change to a post's body that leaves these alone changes
    no other page.
    """
    return digest(entry_summary(blog, post), _line_terms(blog, post), blog.is_listed(post),
                  blog.is_draft(post), post.series, post.part, blog.event_of(post),
                  post.talks)


def _surroundings(app: Sphinx, index: str | None) -> str:
    """A digest of what every fingerprint follows beyond the posts themselves."""
    state = blog_state(app.env)
    return digest(str(site_today(app)), config_signature(app.config), app.builder.name, index,
                  catalog_signature(app.config.language), state.data, sorted(state.posts),
                  # Project documents: a page of the blog keeps clear of their paths.
                  sorted(app.env.all_docs), sorted(state.postlists), sorted(state.talks))


def resolved_inputs(app: Sphinx) -> str:
    """A digest of everything fingerprints and page labels are computed from.

    The state's generation changes whenever a document is read or removed, or the data
    files change; the day decides which future posts are listed.
    """
    state = blog_state(app.env)
    parts = (state.generation, str(site_today(app)), config_signature(app.config), app.builder.name,
             index_docname(app))
    return digest(*parts)


def setup_freshness(app: Sphinx) -> None:
    """Name the pages to write again after reading."""
    app.connect("env-get-updated", get_updated_docs)
