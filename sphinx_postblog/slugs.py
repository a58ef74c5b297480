"""Which page each name gets: one page per category, tag, location, language and author.

A name's page is its slug (:func:`~sphinx_postblog.model.slugify`), as long as nothing
else holds it. Names are met in the order their posts were published (oldest first), so
a page that exists keeps its address when newer posts come:

- names that differ only in case or spacing (``Docs``, ``docs``) are one name: one page,
  and a warning naming both; so are two spellings of an author with one slug
  (``doru_mihai`` and ``Doru Mihai``): a person, written two ways;
- a different name with the same slug (``C`` after ``C++``), a name whose slug is one the
  layout uses itself (``index``, ``page``) or whose page would replace a project document
  gets the first free ``<slug>-2``, ``<slug>-3``…, and a warning;
- a name without letters or digits (an emoji, ``+++``) gets its characters' Unicode names
  (:func:`~sphinx_postblog.model.symbol_slug`).

The warnings (``postblog.slug``) are located at the key of the post that met the name
second; :func:`clash_message` words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinx_postblog.model import RESERVED_SLUGS, name_slug, slugify, symbol_slug

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The front matter keys that name each kind, for a warning's line.
KEYS = {"category": ("categories", "category"), "tag": ("tags", "tag"),
        "location": ("location",), "language": ("language", "lang"),
        "author": ("authors", "author")}


def name_key(name: str) -> str:
    """What two spellings of one name share: case folded, runs of spaces as one."""
    return " ".join(name.split()).casefold()


#: Kinds whose names with one slug are one name: a person is one page however spelled.
_ONE_BY_SLUG = frozenset({"author"})


def _key(kind: str, name: str, base: str = "") -> str:
    """What the names of one page share: their :func:`name_key`, or an author's slug."""
    key = name_key(name)
    if key and kind in _ONE_BY_SLUG:
        return base or name_slug(name) or key
    return key


@dataclass(frozen=True)
class Clash:
    """A name that could not have its slug's page to itself."""

    kind: str
    #: The name as the post that met it second wrote it.
    name: str
    #: Who holds the slug: the name met first, a project document, or "" (the layout).
    holder: str
    #: The slug the name's page has.
    slug: str
    #: The post that met the name second.
    docname: str
    #: The two are one name (case or spacing), sharing one page.
    merged: bool = False
    #: The holder is a project document (its name).
    document: bool = False


@dataclass
class SlugTable:
    """The page slug of every name of each kind, decided once per view of the blog."""

    #: The blog's path (``blog``) and the project's documents, whose paths pages avoid.
    path: str
    documents: frozenset[str] = frozenset()
    #: kind → name key → slug.
    slugs: dict[str, dict[str, str]] = field(default_factory=dict)
    #: kind → slug → the name that holds it (as first written).
    holders: dict[str, dict[str, str]] = field(default_factory=dict)
    clashes: list[Clash] = field(default_factory=list)
    _in_folder: dict[str, dict[str, str]] = field(default_factory=dict)
    _noted: set[tuple[str, str, str]] = field(default_factory=set)

    def slug(self, kind: str, name: str, docname: str, base: str = "") -> str:
        """The page slug of ``name`` (its own slug is ``base``, else slugified), met in ``docname``."""
        key = _key(kind, name, base)
        if not key:
            return ""
        table = self.slugs.setdefault(kind, {})
        holders = self.holders.setdefault(kind, {})
        found = table.get(key)
        if found is not None:
            first = holders[found]
            if first != name and (kind, first, name) not in self._noted:
                self._noted.add((kind, first, name))
                self.clashes.append(Clash(kind, name, first, found, docname, merged=True))
            return found
        base = base or slugify(name) or symbol_slug(name)
        slug, number = base, 2
        while slug in RESERVED_SLUGS or slug in holders or slug in self._documents(kind):
            slug, number = f"{base}-{number}", number + 1
        if slug != base:
            document = self._documents(kind).get(base, "")
            self.clashes.append(Clash(kind, name, document or holders.get(base, ""), slug,
                                      docname, document=bool(document)))
        table[key] = slug
        holders[slug] = name
        return slug

    def get(self, kind: str, name: str) -> str | None:
        """The slug given to ``name`` already, if it was met."""
        return self.slugs.get(kind, {}).get(_key(kind, name))

    def _documents(self, kind: str) -> dict[str, str]:
        """The slugs whose pages (or their folders) project documents of ``kind``'s folder hold."""
        found = self._in_folder.get(kind)
        if found is None:
            prefix = f"{self.path}/{kind}/"
            found = {}
            for docname in sorted(self.documents):
                if docname.startswith(prefix):
                    found.setdefault(docname[len(prefix):].split("/", 1)[0], docname)
            self._in_folder[kind] = found
        return found


def page_paths(documents: Iterable[str]) -> dict[str, str]:
    """Project documents by the page they are written as, to find generated pages in their way.

    ``x`` and ``x/index`` are the same file for ``dirhtml``: both are keyed ``x``.
    """
    return {docname.removesuffix("/index"): docname for docname in sorted(documents)}


def clash_message(clash: Clash, pagename: str) -> str:
    """The warning for a clash; ``pagename`` is the page the name got."""
    if clash.merged and clash.kind in _ONE_BY_SLUG:
        return (f"the {clash.kind} names {clash.holder!r} and {clash.name!r} have one slug: "
                f"they are one {clash.kind}, with one page, {pagename} (write them alike)")
    if clash.merged:
        return (f"the {clash.kind} names {clash.holder!r} and {clash.name!r} differ only in "
                f"case or spacing: they share one page, {pagename} (write them alike)")
    if clash.document:
        why = f"its page would take the place of the project document {clash.holder}"
    elif clash.holder:
        why = f"it has the slug of the {clash.kind} {clash.holder!r}, met first"
    else:
        why = "its slug names one of the blog's own pages"
    return f"the {clash.kind} {clash.name!r}: {why}; its page is {pagename}"
