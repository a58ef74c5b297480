"""ablog's sidebar templates under their names, printing sphinx-postblog's data.

ablog sites name ``ablog/postcard.html``, ``ablog/recentposts.html``,
``ablog/tagcloud.html``, ``ablog/categories.html``, ``ablog/archives.html``,
``ablog/authors.html``, ``ablog/languages.html`` and ``ablog/locations.html`` in
``html_sidebars``. Templates of our own with those names are in ``templates/ablog/``; the
folder is the last place the builder's template loader looks (after ``templates_path`` and
the theme's folders), so a project's or a theme's own template of that name still wins.

What they print is ``postblog_sidebar``, a :class:`Sidebar` for the page, added at
``html-page-context``; it computes only what a template asks for, and only reads the blog.
Since every page shows them, every page naming them is written again when what they show
changes (a new post, a renamed tag), not only the pages read again.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sphinx.jinja2glue import BuiltinTemplateLoader, SphinxFileSystemLoader
from sphinx.util.matching import Matcher

from sphinx_postblog.config import settings
from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import N_, _
from sphinx_postblog.state import blog_state, digest
from sphinx_postblog.view import PAGE_BUILDERS, get_blog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post
    from sphinx_postblog.view import Blog, Collection

#: The folder holding ``ablog/*.html``.
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Number of posts in the recent posts box, as in ablog.
RECENT = 5


class Term(NamedTuple):
    """A category, tag, author, year, location or language as a sidebar shows it."""

    name: str
    #: The page listing its posts, or ``""`` where none is written.
    page: str = ""
    #: How many listed posts it has.
    posts: int = 0
    #: 1 to 5, from the fewest posts to the most (the tag cloud).
    size: int = 3


class Recent(NamedTuple):
    """A post in the recent posts box."""

    title: str
    #: The date in the short format.
    date: str
    #: The post's page, and its section's ``id`` when the post is one section of it.
    page: str
    anchor: str = ""
    #: Where the post links to instead of its page (ablog's ``external_link``), or ``""``.
    url: str = ""


class PostCard(NamedTuple):
    """What the post card shows of the page's post."""

    date: str
    #: The day as ``YYYY-MM-DD``, for ``<time datetime>``.
    day: str
    updated: str
    draft: bool
    authors: list[Term]
    locations: list[Term]
    languages: list[Term]
    categories: list[Term]
    tags: list[Term]


#: The sidebar boxes' headings, by kind (translated for each page's sidebar).
TITLES = {"category": N_("Categories"), "tag": N_("Tags"), "author": N_("Authors"),
          "year": N_("Archives"), "location": N_("Locations"), "language": N_("Languages")}


class Sidebar:
    """The blog as ablog's sidebar templates print it, for one page."""

    def __init__(self, app: Sphinx, pagename: str) -> None:
        self._app = app
        self.pagename = pagename
        #: Whether generated pages (tag, author … pages) are written by this builder.
        self.linked = app.builder.name in PAGE_BUILDERS
        self.titles = {kind: _(title) for kind, title in TITLES.items()}
        self._language = app.config.language
        self._terms: dict[str, list[Term]] = {}

    @cached_property
    def _blog(self) -> Blog:
        return get_blog(self._app)

    @property
    def has_posts(self) -> bool:
        """Whether the blog lists any post."""
        return bool(self._blog.listed)

    @property
    def index(self) -> str:
        """The blog index page, or ``""`` where none is written."""
        return self._blog.pagename() if self.linked else ""

    def terms_page(self, kind: str) -> str:
        """The page listing every category (tag, author …), or ``""``."""
        if not self.linked or not self.terms(kind):
            return ""
        # As output.pages.terms_pagename names them.
        path = self._blog.path
        return f"{path}/archive" if kind == "year" else f"{path}/{kind}/index"

    def recent(self, count: int = RECENT) -> list[Recent]:
        """The newest listed posts, but the page's own."""
        config = settings(self._app)
        fmt = config.date_format_short or config.date_format
        found = [p for p in self._blog.listed if p.docname != self.pagename][:count]
        return [Recent(p.title, format_date(p.date, fmt, self._language), p.docname, p.anchor,
                       p.external_link) for p in found]

    def _collections(self, kind: str) -> list[Collection]:
        found = [c for c in self._blog.collections.get(kind, {}).values() if c.posts]
        if kind == "year":
            return sorted(found, key=lambda c: c.slug, reverse=True)
        return sorted(found, key=lambda c: c.name.casefold())

    def _page(self, kind: str, slug: str) -> str:
        if not self.linked or slug not in self._blog.collections.get(kind, {}):
            return ""
        return self._blog.pagename(kind, slug)

    def terms(self, kind: str) -> list[Term]:
        """Every category (tag, author, year, location, language) with its number of posts."""
        if kind not in self._terms:
            self._terms[kind] = [Term(c.name, self._page(kind, c.slug), len(c.posts))
                                 for c in self._collections(kind)]
        return self._terms[kind]

    @cached_property
    def tag_cloud(self) -> list[Term]:
        """Every tag, sized from 1 (fewest posts) to 5 (most)."""
        tags = self.terms("tag")
        if not tags:
            return []
        low, high = min(t.posts for t in tags), max(t.posts for t in tags)
        return [t._replace(size=3 if high == low else 1 + round(4 * (t.posts - low) / (high - low)))
                for t in tags]

    @cached_property
    def post(self) -> PostCard | None:
        """The page's post (the first, where a page holds several), or ``None``."""
        blog = self._blog
        posts = blog.state.posts_of(self.pagename)
        if not posts:
            return None
        post = posts[0]
        fmt = settings(self._app).date_format
        updated = (format_date(post.updated, fmt, self._language)
                   if post.updated and post.updated.date() != post.date.date() else "")
        return PostCard(
            date=format_date(post.date, fmt, self._language), day=post.day.isoformat(),
            updated=updated,
            draft=blog.is_draft(post),
            authors=[Term(a.display_name, self._page("author", a.slug))
                     for a in blog.authors_of(post)],
            locations=self._taxa("location", post), languages=self._taxa("language", post),
            categories=self._taxa("category", post), tags=self._taxa("tag", post),
        )

    def _taxa(self, kind: str, post: Post) -> list[Term]:
        return [Term(t.name, self._page(kind, t.slug)) for t in self._blog.taxa_of(kind, post)]


def add_template_folder(app: Sphinx) -> None:
    """Make the builder's template loader look in our folder last (``builder-inited``)."""
    templates = getattr(app.builder, "templates", None)
    if not isinstance(templates, BuiltinTemplateLoader) or "ablog" in app.config.extensions:
        return
    folder = str(TEMPLATES)
    if any(folder in getattr(loader, "searchpath", ()) for loader in templates.loaders):
        return
    # After templates_path, the theme's folders and their parents: they win.
    templates.loaders.append(SphinxFileSystemLoader(folder))
    templates.pathchain.append(TEMPLATES)  # type: ignore[arg-type]


def sidebar_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    """Add ``postblog_sidebar`` for ablog's sidebar templates (``html-page-context``)."""
    if app.builder.format == "html":
        context["postblog_sidebar"] = Sidebar(app, pagename)


def _sidebar_pages(app: Sphinx) -> list[str]:
    """The documents whose ``html_sidebars`` entry names one of ablog's templates."""
    patterns = [pattern for pattern, names in app.config.html_sidebars.items()
                if any(str(name).startswith("ablog/") for name in
                       ([names] if isinstance(names, str) else names))]
    if not patterns:
        return []
    matches = Matcher(patterns)
    return sorted(docname for docname in app.env.all_docs if matches(docname))


def shown(app: Sphinx) -> str:
    """A digest of what the sidebars show on every page: the newest posts, every term."""
    sidebar = Sidebar(app, "")
    config = settings(app)
    return digest(sidebar.recent(RECENT + 1), [sidebar.terms(kind) for kind in TITLES],
                  config.date_format, config.date_format_short, sidebar.linked)


def outdated_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page showing ablog's sidebars, when what they show changed (``env-get-updated``)."""
    if app.builder.format != "html" or "ablog" in app.config.extensions:
        return []
    pages = _sidebar_pages(app)
    state = blog_state(env)
    now = shown(app) if pages else ""
    if now == state.sidebars:
        return []
    state.sidebars = now
    return pages


def setup_sidebars(app: Sphinx) -> None:
    """Offer ablog's sidebar templates and the context they print."""
    app.connect("builder-inited", add_template_folder)
    app.connect("env-get-updated", outdated_pages)
    app.connect("html-page-context", sidebar_context)
