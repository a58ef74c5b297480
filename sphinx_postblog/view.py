"""A read-only view of the blog for writing pages: resolved authors, terms, orderings, queries.

Built from the environment's state on demand and cached per state generation, so that
writing thousands of pages does not sort thousands of posts each time.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from sphinx_postblog.config import settings
from sphinx_postblog.dates import today, zone
from sphinx_postblog.model import (
    Author,
    Event,
    Post,
    Speaker,
    Talk,
    Taxon,
    name_slug,
    slugify,
    symbol_slug,
)
from sphinx_postblog.slugs import SlugTable
from sphinx_postblog.state import BlogState, blog_state, build_run

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from sphinx.application import Sphinx

#: The kinds of collections, each with its pages.
#: Places ranked beyond those asked for, for the posts on the same page as the one asking.
_SPARE = 4
KINDS = ("category", "tag", "author", "location", "language", "year", "event", "speaker")
#: Kinds whose members are names given in posts, with display names from the data.
TAXA = ("category", "tag", "location", "language")
#: Builders that write one HTML file per page, where generated pages and feeds exist.
PAGE_BUILDERS = frozenset({"html", "dirhtml"})


@dataclass
class Collection:
    """The listed posts of one category, tag, author, location, language, year or event."""

    kind: str
    slug: str
    name: str
    posts: list[Post] = field(default_factory=list)
    author: Author | None = None
    event: Event | None = None
    speaker: Speaker | None = None
    #: The talks covered (event and speaker pages), with the post that covers each.
    talks: list[tuple[Post, Talk]] = field(default_factory=list)


class Blog:
    """Everything page writers need to know about the posts."""

    def __init__(self, state: BlogState, *, path: str, drafts: bool, future: bool,
                 on: dt.date | None = None, documents: Iterable[str] = ()) -> None:
        self.state = state
        self.path = path
        self.today = on or today()
        self.drafts, self.future = drafts, future
        #: Every name's page slug; ``documents`` are the project's, whose paths pages avoid.
        self.slugs = SlugTable(path, frozenset(documents))
        # Resolution results, valid for this view's lifetime (one state generation).
        self._authors: dict[Author, Author] = {}
        self._plain_authors: dict[Author, Author] = {}
        self._taxa_cache: dict[tuple[str, str], list[Taxon]] = {}
        self._authors_of: dict[str, list[Author]] = {}
        #: What list entries show of each post, by key; see output.freshness.entry_summary.
        self.summaries: dict[str, tuple[object, ...]] = {}
        self.posts = sorted(state.posts.values(), key=lambda p: p.sort_key, reverse=True)
        self._assign_slugs()
        self.listed = [p for p in self.posts if self.is_listed(p)]
        self._index = {p.key: i for i, p in enumerate(self.listed)}
        self.collections: dict[str, dict[str, Collection]] = {
            kind: {} for kind in KINDS
        }
        self._events: dict[str, Event | None] = {}
        self._related: dict[tuple[str, tuple[str, ...]], list[Post]] = {}
        #: What other rooms work out from this view once, by name (kept while it lasts).
        self.derived: dict[str, Any] = {}
        self._coll_positions: dict[tuple[str, str], list[int]] = {}
        for post in self.listed:
            for kind, slug, name, extra in self._memberships(post):
                coll = self.collections[kind].get(slug)
                if coll is None:
                    coll = self.collections[kind][slug] = Collection(kind, slug, name)
                    if kind == "author":
                        coll.author = extra  # type: ignore[assignment]
                if kind == "event" and isinstance(extra, Event):
                    coll.event = _merged(coll.event, extra)
                    coll.talks.extend((post, talk) for talk in post.talks)
                if not coll.posts or coll.posts[-1] is not post:
                    coll.posts.append(post)
            for talk in post.talks:
                for speaker in talk.speakers:
                    if not speaker.slug:
                        continue
                    coll = self.collections["speaker"][speaker.slug]
                    coll.speaker = _merged(coll.speaker, speaker)
                    coll.talks.append((post, talk))

    def _assign_slugs(self) -> None:
        """Give each name its page slug, oldest post first (drafts too: slugs stay put)."""
        for post in reversed(self.posts):
            for kind in TAXA:
                for name in self._names(kind, post):
                    self.slugs.slug(kind, name, post.docname)
            for ref in post.authors:
                author = self._resolved(ref)
                natural = author.slug
                if natural:
                    self.slugs.slug("author", author.key, post.docname, natural)

    def _names(self, kind: str, post: Post) -> tuple[str, ...]:
        return {"category": post.categories, "tag": post.tags, "location": post.locations,
                "language": post.languages}[kind]

    def _memberships(self, post: Post) -> Iterable[tuple[str, str, str, object]]:
        for kind in ("category", "tag"):
            for taxon in self.taxa_of(kind, post):
                yield kind, taxon.slug, taxon.name, None
        for author in self.authors_of(post):
            yield "author", author.slug, author.display_name, author
        for kind in ("location", "language"):
            for taxon in self.taxa_of(kind, post):
                yield kind, taxon.slug, taxon.name, None
        yield "year", str(post.date.year), str(post.date.year), None
        event = self.event_of(post)
        if event is not None and event.slug:
            yield "event", event.slug, event.name, event
        for talk in post.talks:
            for speaker in talk.speakers:
                if speaker.slug:
                    yield "speaker", speaker.slug, speaker.name, speaker

    # -- what a post is -------------------------------------------------------------

    def is_draft(self, post: Post) -> bool:
        """Unpublished, or dated after today while future posts are held back."""
        return not post.published or (post.is_future(self.today) and not self.future)

    def is_listed(self, post: Post) -> bool:
        """Whether the post appears in lists, index pages and feeds."""
        if not post.published and not self.drafts:
            return False
        return self.future or self.drafts or not post.is_future(self.today)

    def event_of(self, post: Post) -> Event | None:
        """The post's event, with what the events data file says of it beneath."""
        if post.event is None:
            return None
        if post.key not in self._events:
            known = self.state.data.events.get(post.event.slug)
            self._events[post.key] = _merged(known, post.event) if known else post.event
        return self._events[post.key]

    def series_of(self, post: Post) -> list[Post]:
        """The parts of the post's series in reading order (the post itself even if unlisted)."""
        if not post.series:
            return []
        wanted = slugify(post.series)
        parts = [p for p in self.listed if p.series and slugify(p.series) == wanted]
        if post not in parts:
            parts.append(post)
        return sorted(parts, key=lambda p: (p.part if p.part is not None else 1_000_000, p.sort_key))

    def related_to(self, post: Post, count: int = 3) -> list[Post]:
        """Listed posts on other pages that share the post's event (weighs most) or tags.

        The most shared first, then the newest. Posts with the same event and tags have
        the same candidates: they are ranked once a view (every page's footer asks).
        """
        event = self.event_of(post)
        signature = (event.slug if event else "", tuple(t.slug for t in self.tags_of(post)))
        ranked = self._related.get(signature)
        if ranked is None:
            ranked = self._related[signature] = self._ranked(signature, count + _SPARE)
        found = [p for p in ranked if p.docname != post.docname][:count]
        if len(found) < count and len(ranked) == count + _SPARE:
            # More posts of this page than the spare places: rank them all.
            found = [p for p in self._ranked(signature, None) if p.docname != post.docname]
        return found[:count]

    def _ranked(self, signature: tuple[str, tuple[str, ...]], limit: int | None) -> list[Post]:
        """The ``limit`` posts sharing most of an event (3 each) and tags (1 each)."""
        event, tags = signature
        scores: Counter[int] = Counter()
        # The collections are the index: only posts sharing something are looked at.
        sharing = [(3, self.collections["event"].get(event))] if event else []
        sharing += [(1, self.collections["tag"].get(slug)) for slug in tags]
        for weight, coll in sharing:
            if coll is None:
                continue
            positions = self._positions(coll)
            for _ in range(weight):
                scores.update(positions)
        # Most shared first, then the newest (the lowest position in ``listed``): one
        # number each, so the ranking needs no key function.
        span = len(self.listed) + 1
        ordered = (position - score * span for position, score in scores.items())
        best = heapq.nsmallest(limit, ordered) if limit is not None else sorted(ordered)
        return [self.listed[number % span] for number in best]

    def _positions(self, coll: Collection) -> list[int]:
        found = self._coll_positions.get((coll.kind, coll.slug))
        if found is None:
            found = self._coll_positions[coll.kind, coll.slug] = [
                self._index[p.key] for p in coll.posts]
        return found

    def author_of_speaker(self, speaker: Speaker) -> Collection | None:
        """The author collection of a speaker who also writes here (same name or key)."""
        authors = self.collections["author"]
        found = authors.get(speaker.slug)
        if found is None:
            found = next((c for c in authors.values() if slugify(c.name) == speaker.slug), None)
        return found

    def author(self, ref: Author) -> Author:
        """Resolve an author as written in front matter against the authors data."""
        resolved = self._authors.get(ref)
        if resolved is None:
            resolved = self._resolved(ref)
            page = self.slugs.get("author", resolved.key)
            if page and page != resolved.slug:
                resolved = replace(resolved, page=page)
            self._authors[ref] = resolved
        return resolved

    def _resolved(self, ref: Author) -> Author:
        """``ref`` resolved against the authors data, before its page slug is known."""
        found = self._plain_authors.get(ref)
        if found is None:
            found = self._plain_authors[ref] = self._resolve_author(ref)
        return found

    def _resolve_author(self, ref: Author) -> Author:
        known = self.state.data.authors
        found = known.get(ref.key)
        if found is None:
            # A key in other letter case, or the display name itself. Not looser than
            # that: `doru_mihai` is not `Doru Mihai`, and Jekyll showed it as written.
            wanted = ref.key.casefold()
            found = next((a for k, a in known.items()
                          if k.casefold() == wanted or a.name.casefold() == wanted), None)
        if found is None:
            return ref
        if ref.name or ref.email or ref.url or ref.avatar:
            merged = {f: getattr(ref, f) or getattr(found, f) for f in found.__dataclass_fields__}
            merged["key"] = found.key
            return Author(**merged)
        return found

    def authors_of(self, post: Post) -> list[Author]:
        """The post's authors, resolved, without duplicates (a shared list: do not change it)."""
        found = self._authors_of.get(post.key)
        if found is None:
            resolved: dict[str, Author] = {}
            for ref in post.authors:
                author = self.author(ref)
                resolved.setdefault(author.slug, author)
            found = self._authors_of[post.key] = list(resolved.values())
        return found

    def _taxa(self, kind: str, names: Iterable[str], known: dict[str, str]) -> list[Taxon]:
        taxa: dict[str, Taxon] = {}
        for name in names:
            slug = self.slugs.get(kind, name) or self.slugs.slug(kind, name, "")
            if slug:
                taxa.setdefault(slug, Taxon(kind, slug, known.get(slug, name)))
        return list(taxa.values())

    def taxa_of(self, kind: str, post: Post) -> list[Taxon]:
        """The post's categories (tags, locations, languages) with display names."""
        key = (kind, post.key)
        found = self._taxa_cache.get(key)
        if found is None:
            found = self._taxa_cache[key] = self._taxa(kind, self._names(kind, post),
                                                       self._known(kind))
        return found

    def categories_of(self, post: Post) -> list[Taxon]:
        """The post's categories with display names."""
        return self.taxa_of("category", post)

    def tags_of(self, post: Post) -> list[Taxon]:
        """The post's tags with display names."""
        return self.taxa_of("tag", post)

    def neighbours(self, key: str) -> tuple[Post | None, Post | None]:
        """The listed posts just older and just newer than this one (by its key)."""
        index = self._index.get(key)
        if index is None:
            return None, None
        older = self.listed[index + 1] if index + 1 < len(self.listed) else None
        newer = self.listed[index - 1] if index > 0 else None
        return older, newer

    # -- queries and pages ------------------------------------------------------------

    def query(self, *, category: Iterable[str] = (), tag: Iterable[str] = (),
              author: Iterable[str] = (), year: Iterable[str] = (),
              event: Iterable[str] = (), location: Iterable[str] = (),
              language: Iterable[str] = ()) -> list[Post]:
        """Listed posts matching every given filter (any value of each filter)."""
        posts = self.listed
        for kind, values in (("category", category), ("tag", tag), ("author", author),
                             ("year", year), ("event", event), ("location", location),
                             ("language", language)):
            wanted = {self.slug_of(kind, v) for v in values if v.strip()}
            if not wanted:
                continue
            members: set[str] = set()
            for slug in wanted:
                coll = self.collections[kind].get(slug)
                if coll is not None:
                    members.update(p.key for p in coll.posts)
            posts = [p for p in posts if p.key in members]
        return posts

    def _known(self, kind: str) -> dict[str, str]:
        """Display names the data files and ``conf.py`` give the names of a kind, by slug."""
        data = self.state.data
        return {"category": data.categories, "tag": data.tags,
                "location": data.locations, "language": data.languages}[kind]

    def slug_of(self, kind: str, value: str) -> str:
        """The collection slug a filter value names: a slug, a key or a display name."""
        if kind == "author":
            return self.author(Author(key=value)).slug
        if kind not in TAXA:
            return name_slug(value)
        slug = self.slugs.get(kind, value) or slugify(value) or symbol_slug(value)
        if slug not in self.collections[kind]:
            return next((s for s, name in self._known(kind).items() if slugify(name) == slug), slug)
        return slug

    def pagename(self, kind: str = "index", slug: str = "", page: int = 1) -> str:
        """The page name of a generated page (``blog/tag/docker``, ``blog/page/2`` …)."""
        if kind == "index":
            return f"{self.path}/index" if page == 1 else f"{self.path}/page/{page}"
        base = f"{self.path}/{slug}" if kind == "year" else f"{self.path}/{kind}/{slug}"
        return base if page == 1 else f"{base}/page/{page}"


M = TypeVar("M", Event, Speaker)


def _merged(base: M | None, more: M) -> M:
    """``base`` with the fields it lacks taken from ``more`` (two posts about one event)."""
    if base is None:
        return more
    fields = {f: getattr(base, f) or getattr(more, f) for f in base.__dataclass_fields__}
    return type(base)(**fields)


def site_url(app: Sphinx) -> str:
    """The site's absolute base URL with a trailing slash, or ``""``."""
    base = settings(app).url or app.config.html_baseurl or ""
    return base.rstrip("/") + "/" if base else ""


def site_today(app: Sphinx) -> dt.date:
    """Today in the blog's time zone: which posts are future, and when that changes."""
    return today(zone(settings(app).timezone))


def get_blog(app: Sphinx) -> Blog:
    """The blog view of the current environment, cached until the state changes."""
    state = blog_state(app.env)
    run = build_run(app.env)
    if run.view is None or run.view[0] != state.generation:
        config = settings(app)
        blog = Blog(state, path=config.path, drafts=config.drafts, future=config.future,
                    on=site_today(app), documents=app.env.found_docs)
        run.view = (state.generation, blog)
    return run.view[1]
