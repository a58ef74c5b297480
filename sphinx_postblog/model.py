"""The typed blog model: everything before it produces it, everything after it reads it.

All classes are frozen and picklable so they can live in the Sphinx environment, travel
between ``-j`` workers and be compared between builds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_NOT_SLUG = re.compile(r"[\W_]+", re.UNICODE)


def slugify(text: str) -> str:
    """Lowercase ``text`` and replace runs of characters other than letters and digits by ``-``."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


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

    @property
    def display_name(self) -> str:
        """The name shown to readers."""
        return self.name or self.key

    @property
    def slug(self) -> str:
        """The author page's slug."""
        return slugify(self.key) or slugify(self.name)


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

    @property
    def slug(self) -> str:
        """The event page's slug."""
        return slugify(self.name)


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
    location: str = ""
    language: str = ""
    event: Event | None = None
    series: str = ""
    part: int | None = None
    word_count: int = 0
    #: The title came from the body's first heading (ablog style), not from front matter.
    title_from_body: bool = False
    #: Front matter keys that sphinx-postblog does not know, kept as they were.
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def day(self) -> dt.date:
        """The publication day."""
        return self.date.date()

    @property
    def sort_key(self) -> tuple[dt.datetime, str]:
        """Key for newest-first ordering: date, then docname for a stable order."""
        return (self.date, self.docname)

    def is_future(self, today: dt.date) -> bool:
        """Whether the post is dated after ``today``."""
        return self.day > today
