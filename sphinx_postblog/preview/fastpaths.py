"""The preview's shortcuts through Sphinx's incremental build, for every build after the first.

Each ``sphinx-build`` finds what changed by scanning: it lists the source folder again,
compares the modification time of every document, of its dependencies and of its output
file, loads the whole search index from disk and dumps it again with the inventory and
the pickled environment. At 5,000 posts that is seconds for a one-line edit. A preview
already knows which files changed (the watcher says so), keeps the environment and the
index in memory, and can write the files nobody reads right away later. For one build,
:class:`FastPaths` sets on the environment and the builder instances (and takes off again):

- ``env.find_files``: the source folder is listed again only when a document may have
  appeared or gone (:attr:`Changes.discover`);
- ``env.get_outdated_files``: the documents whose file or one of whose dependencies
  changed (dependencies outside the watched folders by modification time, as Sphinx does);
- ``builder.get_outdated_docs``: new documents, changed ones, and those a failed build
  left unwritten;
- ``builder.load_indexer``: the index kept from the last build, pruned as Sphinx prunes
  the one it loads;
- ``builder.dump_search_index``, ``builder.dump_inventory`` and the environment pickle:
  left to :class:`~sphinx_postblog.preview.builder.Deferred` (written when the server is
  asked for them, when the preview is idle, and before it stops);
- ``builder.copy_static_files``: only when a static file changed.

Each replaces Sphinx code that was checked for the versions in :data:`CHECKED`; on any
other Sphinx the preview builds the plain way, only slower.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx
import sphinx.builders

from sphinx_postblog.output.feeds import write_feeds
from sphinx_postblog.output.sitemap import write_sitemap

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from collections.abc import Set as AbstractSet
    from types import ModuleType

    from sphinx.application import Sphinx
    from sphinx.config import Config

#: Oldest and newest Sphinx (major, minor) the replaced methods were checked against.
CHECKED = ((9, 0), (9, 0))


def available(version: tuple[int, ...] = sphinx.version_info[:2]) -> bool:
    """Whether the shortcuts were checked against this Sphinx version."""
    low, high = CHECKED
    return low <= tuple(version[:2]) <= high


def norm(path: str | os.PathLike[str]) -> str:
    """A path as the watcher and the environment both spell it: absolute, normalised."""
    # Plain string work, no file system calls: it runs for every path of every build.
    return os.path.normpath(os.path.abspath(path))  # noqa: PTH100


def _forget(indexer: Any, written: set[str], documents: set[str]) -> None:
    """Take the pages about to be written and those of removed documents out of an index.

    ``sphinx.search.IndexBuilder``'s own fields, as its ``prune`` changes them; its index
    entries too (written again when the page is, or gone with it).
    """
    removed = set(indexer._titles) - documents
    gone = written | removed
    if not gone:
        return
    for table in (indexer._titles, indexer._filenames, indexer._all_titles):
        for docname in gone:
            table.pop(docname, None)
    for docname in gone:
        indexer._index_entries.pop(docname, None)
    for mapping in (indexer._mapping, indexer._title_mapping):
        for pages in mapping.values():
            pages.difference_update(gone)


def _modified_since(path: str, microseconds: int) -> bool:
    try:
        return Path(path).stat().st_mtime_ns // 1_000 > microseconds
    except OSError:
        return True  # gone: Sphinx reads the document again too


def under(path: str, roots: tuple[str, ...]) -> bool:
    """Whether ``path`` (:func:`norm`) is one of ``roots`` or inside one of them."""
    return any(path == root or path.startswith(root + os.sep) for root in roots)


@dataclass(frozen=True)
class Changes:
    """What the watcher saw between two builds."""

    #: Every path changed, added or deleted (:func:`norm`).
    paths: frozenset[str] = frozenset()
    #: Paths added or deleted: the list of documents may have changed.
    moved: frozenset[str] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.paths | other.paths, self.moved | other.moved)


@dataclass
class Kept:
    """What one build hands the next in memory."""

    #: The search index as the last build left it (``sphinx.search.IndexBuilder``).
    indexer: Any = None
    #: Documents a failed build was writing: written again by the next.
    unwritten: set[str] = field(default_factory=set)
    #: Deferred files, by name (``feeds``, ``sitemap``, ``searchindex``, ``inventory``,
    #: ``environment``).
    deferred: set[str] = field(default_factory=set)
    #: Each document's dependencies as paths, inside and outside the watched folders,
    #: with the identity and size of the set they were made from.
    dependencies: dict[str, tuple[tuple[int, int], frozenset[str], tuple[str, ...]]] = field(
        default_factory=dict)


class _PickleWithoutEnv:
    """``pickle`` for ``sphinx.builders``, leaving out one environment's dump."""

    def __init__(self, module: ModuleType, env: object) -> None:
        self._module, self._env = module, env

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def dump(self, obj: object, file: Any, *args: Any, **kwargs: Any) -> None:
        if obj is not self._env:
            self._module.dump(obj, file, *args, **kwargs)


#: The ``build-finished`` handlers whose files a preview build leaves for later, by name.
LATE_FILES: dict[Callable[..., None], str] = {write_feeds: "feeds", write_sitemap: "sitemap"}


class FastPaths:
    """One build's shortcuts: set on entering, taken off on leaving."""

    def __init__(self, app: Sphinx, changes: Changes, kept: Kept,
                 static_roots: Iterable[str], watched: Iterable[str]) -> None:
        self.app, self.changes, self.kept = app, changes, kept
        self.static_roots = tuple(static_roots)
        self.watched = tuple(watched)
        self._set: list[tuple[object, str]] = []
        #: Stand-ins' listener ids → the late handler (and its priority) they replace.
        self._late: dict[int, tuple[Any, int]] = {}

    # -- setting and taking off -----------------------------------------------------------

    def __enter__(self) -> FastPaths:  # noqa: PYI034 (not subclassed)
        env, builder = self.app.env, self.app.builder
        self._patch(env, "find_files", self.find_files)
        self._patch(env, "get_outdated_files", self.get_outdated_files)
        self._patch(builder, "get_outdated_docs", self.get_outdated_docs)
        self._patch(builder, "load_indexer", self.load_indexer)
        self._patch(builder, "dump_search_index", self.dump_search_index)
        self._patch(builder, "dump_inventory", self.dump_inventory)
        self._patch(builder, "copy_static_files", self.copy_static_files)
        sphinx.builders.pickle = _PickleWithoutEnv(pickle, env)  # type: ignore[assignment]
        self._defer_late_files()
        return self

    def __exit__(self, *exc: object) -> None:
        for target, name in reversed(self._set):
            vars(target).pop(name, None)
        self._set.clear()
        sphinx.builders.pickle = pickle
        events = self.app.events
        for listener_id, (handler, priority) in self._late.items():
            events.disconnect(listener_id)
            events.connect("build-finished", handler, priority)
        self._late.clear()

    def _defer_late_files(self) -> None:
        """Leave the feeds and the sitemap for later (their handlers stand aside).

        Nobody reads a feed or ``sitemap.xml`` right after a save, and together they are
        a third of a one-post rebuild; :class:`~.deferred.Deferred` writes them when they
        are asked for, when the preview is idle and before it stops.
        """
        events = self.app.events
        for listener in list(events.listeners.get("build-finished", ())):
            name = LATE_FILES.get(listener.handler)
            if name is None:
                continue
            events.disconnect(listener.id)
            stand_in = events.connect("build-finished", self._later(name), listener.priority)
            self._late[stand_in] = (listener.handler, listener.priority)

    def _later(self, name: str) -> Callable[[Sphinx, BaseException | None], None]:
        def later(app: Sphinx, exception: BaseException | None) -> None:
            if exception is None:
                self.kept.deferred.add(name)
        return later

    def _patch(self, target: object, name: str, replacement: object) -> None:
        if hasattr(type(target), name):
            setattr(target, name, replacement)
            self._set.append((target, name))

    # -- the environment ----------------------------------------------------------------

    def find_files(self, config: Config, builder: Any) -> None:
        """List the source folder again only if a document may have come or gone."""
        if self.discover():
            type(self.app.env).find_files(self.app.env, config, builder)

    def discover(self) -> bool:
        """Whether an added or deleted path may add or remove a document."""
        env = self.app.env
        suffixes = tuple(env.config.source_suffix)
        for path in self.changes.moved:
            exists = Path(path).exists()
            if exists and Path(path).is_dir():
                return True
            if path.endswith(suffixes):
                known = env.path2doc(path) in env.found_docs
                if exists != known:
                    return True
            elif not exists and self._holds_documents(path):
                return True  # a deleted folder
        return False

    def _holds_documents(self, folder: str) -> bool:
        env = self.app.env
        prefix = folder + os.sep
        return any(norm(env.doc2path(doc)).startswith(prefix) for doc in env.found_docs)

    def changed_documents(self) -> set[str]:
        """The documents whose own file changed."""
        env = self.app.env
        return {doc for path in self.changes.paths
                if (doc := env.path2doc(path)) is not None and doc in env.found_docs}

    def get_outdated_files(self, config_changed: bool) -> tuple[set[str], set[str], set[str]]:
        """(added, changed, removed): documents whose file or a dependency changed."""
        env = self.app.env
        if config_changed:
            return type(env).get_outdated_files(env, config_changed)
        found = env.found_docs
        removed = set(env.all_docs) - found
        added = found - env.all_docs.keys()
        changed = (self.changed_documents() | (set(env.reread_always) & found)) - added
        hit = self.changes.paths
        for docname, dependencies in env.dependencies.items():
            if docname in found and docname not in added and docname not in changed and \
                    self._dependency_changed(docname, dependencies, hit):
                changed.add(docname)
        return added, changed, removed

    def _dependency_changed(self, docname: str, dependencies: AbstractSet[Any],
                            hit: AbstractSet[str]) -> bool:
        inside, outside = self._dependency_paths(docname, dependencies)
        if not inside.isdisjoint(hit):
            return True
        # Outside the watched folders: by modification time, as Sphinx does.
        return any(_modified_since(path, self.app.env.all_docs[docname]) for path in outside)

    def _dependency_paths(self, docname: str, dependencies: AbstractSet[Any],
                          ) -> tuple[frozenset[str], tuple[str, ...]]:
        """A document's dependencies inside and outside the watched folders.

        Kept between builds while the document is not read again (``env-purge-doc`` drops
        them, :class:`~sphinx_postblog.preview.builder.PreviewBuilder` listens) and its set
        of dependencies is the same object of the same size.
        """
        key = (id(dependencies), len(dependencies))
        found = self.kept.dependencies.get(docname)
        if found is None or found[0] != key:
            srcdir = str(self.app.env.srcdir)
            paths = {norm(os.path.join(srcdir, dep)) for dep in dependencies}  # noqa: PTH118
            outside = tuple(sorted(path for path in paths if not under(path, self.watched)))
            found = self.kept.dependencies[docname] = (key, frozenset(paths), outside)
        return found[1], found[2]

    # -- the builder ---------------------------------------------------------------------

    def get_outdated_docs(self) -> Iterator[str]:
        """New documents, changed ones, and those a failed build left unwritten."""
        env = self.app.env
        changed = self.changed_documents()
        for docname in env.found_docs:
            if docname not in env.all_docs or docname in changed or docname in self.kept.unwritten:
                yield docname

    def load_indexer(self, docnames: AbstractSet[str]) -> None:
        """Take the index kept in memory instead of loading ``searchindex.js``."""
        builder = self.app.builder
        if self.kept.indexer is None:
            type(builder).load_indexer(builder, docnames)  # type: ignore[attr-defined]
            return
        builder.indexer = self.kept.indexer  # type: ignore[attr-defined]
        # What Sphinx's prune(all documents but those) does to an index it loads, done
        # for the few documents written again or gone (a prune walks every page of every
        # word: 0.3 s at 5,000 posts).
        _forget(self.kept.indexer, set(docnames), set(self.app.env.all_docs))

    def dump_search_index(self) -> None:
        """Forget removed pages and unused words, and leave the dump for later."""
        indexer = getattr(self.app.builder, "indexer", None)
        if indexer is not None:
            _forget(indexer, set(), set(self.app.env.all_docs))
            # Words no page has any more: a clean build's index does not list them
            # (Sphinx's own incremental index keeps them, with no pages).
            for mapping in (indexer._mapping, indexer._title_mapping):
                for word in [word for word, pages in mapping.items() if not pages]:
                    del mapping[word]
            self.kept.deferred.add("searchindex")

    def dump_inventory(self) -> None:
        """Leave ``objects.inv`` for later."""
        self.kept.deferred.add("inventory")

    def copy_static_files(self) -> None:
        """Copy the static files only when one of them changed."""
        if any(under(path, self.static_roots) for path in self.changes.paths):
            builder = self.app.builder
            type(builder).copy_static_files(builder)  # type: ignore[attr-defined]
