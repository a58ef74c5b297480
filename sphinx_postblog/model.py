"""The typed blog model: everything before it produces it, everything after it reads it.

All classes are frozen and picklable so they can live in the Sphinx environment, travel
between ``-j`` workers and be compared between builds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

_NOT_SLUG = re.compile(r"[\W_]+", re.UNICODE)
#: What browsers take for a URL's scheme, once they have dropped tabs and line breaks.
_SCHEME = re.compile(r"^[\x00-\x20]*([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Schemes a link or image from front matter or a data file may have.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def unsafe_scheme(url: str) -> str | None:
    """The scheme of ``url`` when it is not a path or an http(s)/mailto URL (``javascript``...)."""
    found = _SCHEME.match(re.sub(r"[\t\n\r]", "", url))
    if found is None or found.group(1).lower() in SAFE_SCHEMES:
        return None
    return found.group(1).lower()


def safe_url(url: str) -> str:
    """``url``, or nothing if it has an unsafe scheme: the model never holds one."""
    return "" if unsafe_scheme(url) else url


def unsafe_fields(fields: object) -> list[str]:
    """``key: 'value'`` of each unsafe URL in a front matter or data file mapping."""
    if not isinstance(fields, dict):
        return []
    return [f"{key}: {value.strip()[:40]!r}" for key, value in fields.items()
            if isinstance(value, str) and unsafe_scheme(value)]


#: Longest slug, in UTF-8 bytes: it names a file, and file names stop at 255 bytes.
MAX_SLUG_BYTES = 100


def slugify(text: str) -> str:
    """Lowercase ``text`` and replace runs of characters other than letters and digits by ``-``.

    A slug longer than :data:`MAX_SLUG_BYTES` is cut, and ends with a digest of the whole
    slug instead, so that two long names still get two pages.
    """
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    encoded = slug.encode()
    if len(encoded) <= MAX_SLUG_BYTES:
        return slug
    mark = hashlib.sha1(encoded, usedforsecurity=False).hexdigest()[:8]
    head = encoded[: MAX_SLUG_BYTES - len(mark) - 1].decode("utf-8", "ignore").rstrip("-")
    return f"{head}-{mark}"


#: Names every collection's folder uses itself: its list page (``blog/tag/index``) and its
#: pagination (``blog/tag/<slug>/page/2``). A name that slugs to one gets ``-2``.
RESERVED_SLUGS = frozenset({"index", "page"})
#: Characters that only change the one before them: combining marks, joiners, selectors.
_MODIFIERS = frozenset({"Mn", "Me", "Cf"})


def symbol_slug(text: str) -> str:
    """The slug of a name without letters or digits: its characters' Unicode names.

    ``🐍`` is ``snake``, ``+++`` is ``plus-sign-plus-sign-plus-sign``; characters without
    a name (private use) make a digest of the name, so no name is without a page.
    """
    names = [unicodedata.name(char, "") for char in text
             if not char.isspace() and unicodedata.category(char) not in _MODIFIERS]
    slug = slugify(" ".join(names))
    if slug:
        return slug
    return "u-" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]


def name_slug(text: str) -> str:
    """The slug of a page named ``text``: :func:`slugify`, never empty, never a reserved name.

    Every name :func:`slugify` makes a slug of keeps that slug; a name it makes nothing of
    gets :func:`symbol_slug`, and ``index`` or ``page`` gets ``-2`` (``index-2``).
    """
    if not text.strip():
        return ""
    slug = slugify(text) or symbol_slug(text)
    return f"{slug}-2" if slug in RESERVED_SLUGS else slug


@dataclass(frozen=True)
class Author:
    """An author: from the authors file, ``conf.py``, or a name met in front matter."""

    key: str
    name: str = ""
    email: str = ""
    url: str = ""
    avatar: str = ""
    bio: str = ""
    #: Profile links as ``(network, handle or URL)`` pairs, e.g. ``("github", "ada")``.
    links: tuple[tuple[str, str], ...] = ()
    #: The author page's slug when it is not the key's (two keys with one slug, a project
    #: document at the page's path); set by the blog view, not written in sources.
    page: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        # Frozen: the fields are set once, here, to what may be shown as links.
        object.__setattr__(self, "url", safe_url(self.url))
        object.__setattr__(self, "avatar", safe_url(self.avatar))
        object.__setattr__(self, "links", tuple((n, h) for n, h in self.links if safe_url(h)))

    @property
    def display_name(self) -> str:
        """The name shown to readers."""
        return self.name or self.key

    @property
    def slug(self) -> str:
        """The author page's slug."""
        return self.page or name_slug(self.key) or name_slug(self.name)


@dataclass(frozen=True)
class Taxon:
    """A category or a tag."""

    kind: str  # "category" or "tag"
    slug: str
    name: str


@dataclass(frozen=True)
class Event:
    """The event a conference report is about."""

    name: str
    url: str = ""
    location: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    #: The conference's own programme: a path relative to the source folder, as written.
    schedule: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", safe_url(self.url))

    @property
    def slug(self) -> str:
        """The event page's slug."""
        return name_slug(self.name)


def web_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else nothing: the only links a talk has."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip()
    return cleaned if re.match(r"(?i)^https?://[^\s/]", cleaned) else ""


@dataclass(frozen=True)
class Speaker:
    """Someone who gave a talk: from a schedule file or a ``talk`` directive."""

    name: str
    #: An http(s) URL, or a path inside the source folder.
    avatar: str = ""
    #: Sanitised HTML.
    bio: str = ""
    #: ``(label, http(s) URL)`` pairs: website, social profiles.
    links: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "avatar", safe_url(self.avatar))
        object.__setattr__(self, "links",
                           tuple((label, web_url(url)) for label, url in self.links if web_url(url)))

    @property
    def slug(self) -> str:
        """The speaker page's slug: the slug of the name."""
        return name_slug(self.name)


@dataclass(frozen=True)
class Talk:
    """A talk of an event, as a report covers it; from the directive and the schedule file."""

    title: str
    #: The schedule's id of the talk (``code``, ``guid``, ``id`` or ``slug``), or the directive's.
    id: str = ""
    speakers: tuple[Speaker, ...] = ()
    #: Sanitised HTML.
    abstract: str = ""
    #: http(s) URLs only (see :func:`web_url`).
    slides: str = ""
    video: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    #: The time as written, when it is not a date and time (``"Day 2, 10:30"``).
    time: str = ""
    room: str = ""
    track: str = ""
    #: The report's own notes on the talk, as plain text.
    notes: str = ""
    #: Every key the schedule file knows the talk by (``code``, ``guid``, ``id``, ``slug``).
    keys: tuple[str, ...] = ()
    #: The ``id`` of the talk's card in its report's page.
    anchor: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "slides", web_url(self.slides))
        object.__setattr__(self, "video", web_url(self.video))


@dataclass(frozen=True)
class Schedule:
    """A conference programme read from the conference's own file."""

    talks: tuple[Talk, ...] = ()
    #: The conference's name as the file gives it.
    title: str = ""
    #: Which format the file was read as (``pretalx``, ``frab-xml``, ``sessionize``, ``yaml``).
    format: str = ""

    def find(self, key: str) -> Talk | None:
        """The talk a key names (any of its keys), or the talk of exactly that title."""
        wanted = key.strip()
        if not wanted:
            return None
        for talk in self.talks:
            if wanted in talk.keys or wanted == talk.id:
                return talk
        folded = wanted.casefold()
        return next((t for t in self.talks if t.title.strip().casefold() == folded), None)


@dataclass(frozen=True)
class Post:
    """One blog post, as read from its front matter, file name and body."""

    docname: str
    title: str
    date: dt.datetime
    slug: str
    #: Whether ``date`` carries a time of day (else it is midnight of that day).
    has_time: bool = False
    subtitle: str = ""
    description: str = ""
    updated: dt.datetime | None = None
    #: Authors as written: keys of the authors file, or inline authors.
    authors: tuple[Author, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: str = ""
    permalink: str = ""
    published: bool = True
    excerpt: str = ""
    #: The post's own excerpt marker (Jekyll's ``excerpt_separator``), if it sets one.
    excerpt_separator: str = ""
    #: Where and in which languages the post was written (ablog's ``location``, ``language``).
    locations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    #: Where the post was first published (ablog's ``canonical_link``): its canonical URL.
    canonical_link: str = ""
    #: Where lists and feeds send readers instead of the post page (ablog's ``external_link``).
    external_link: str = ""
    #: Old paths, relative to the site's root, that redirect to the post (ablog's ``redirect``).
    redirects: tuple[str, ...] = ()
    #: The first N paragraphs are the excerpt (ablog's ``excerpt: N``); None: the site's setting.
    excerpt_paragraphs: int | None = None
    #: The N-th image of the body is the post's image (ablog's ``image: N``); None: the site's.
    image_number: int | None = None
    event: Event | None = None
    #: The talks the post reports on (``talk`` directives), in the order they appear.
    talks: tuple[Talk, ...] = ()
    series: str = ""
    part: int | None = None
    word_count: int = 0
    #: The title came from the body's first heading (ablog style), not from front matter.
    title_from_body: bool = False
    #: Front matter keys that sphinx-postblog does not know, kept as they were.
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    #: The ``id`` of the section the post is, when it is one section of its document
    #: (ablog's posting sections); empty when the post is the whole page.
    anchor: str = ""

    @property
    def key(self) -> str:
        """The post's key in the state and the view: ``docname``, or ``docname#anchor``."""
        return f"{self.docname}#{self.anchor}" if self.anchor else self.docname

    @property
    def day(self) -> dt.date:
        """The publication day."""
        return self.date.date()

    @property
    def sort_key(self) -> tuple[dt.datetime, str]:
        """Key for newest-first ordering: date, then key for a stable order."""
        return (self.date, self.key)

    def is_future(self, today: dt.date) -> bool:
        """Whether the post is dated after ``today``."""
        return self.day > today
