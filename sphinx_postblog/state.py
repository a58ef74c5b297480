"""State: what the environment keeps between builds, and what one build hands on.

:class:`BlogState` lives on the Sphinx environment and is pickled with it: posts, post
lists, data files and the fingerprints of written pages. :class:`BuildRun` lives for one
build only (made at ``builder-inited`` or on first use, dropped at ``build-finished``) and
is never pickled: it is how one event handler tells a later one what it found. Nothing is
kept on the Sphinx application object.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Author, Event, Post, Talk


@dataclass
class BlogData:
    """What the data folder and ``conf.py`` say about authors, categories and tags."""

    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)  # slug -> display name
    tags: dict[str, str] = field(default_factory=dict)
    #: Display names of locations and languages, by slug (ablog's ``blog_locations``,
    #: ``blog_languages``); a location or language met only in posts shows as written.
    locations: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    #: Events of the events file (``events.yml``), by slug: what a post naming one gets.
    events: dict[str, Event] = field(default_factory=dict)
    #: The events file, when there is one (posts that take an event from it depend on it).
    events_file: str = ""


@dataclass
class BuildRun:
    """What one build learns on its way, for the handlers that come after.

    Each field says who sets it and who reads it. In a ``-j`` build, worker processes
    have their own copy: what they set stays with them.
    """

    #: The read-only blog view and the state generation it was made for (``view.get_blog``).
    view: tuple[int, Any] | None = None
    #: Documents resolved so far (``doctree-resolved``); the page writer collects garbage
    #: before making pages after many.
    written: int = 0
    #: Nothing the generated files are made from changed (``html-collect-pages``): feeds
    #: and redirect pages stand as written (``build-finished``).
    unchanged: bool = False
    #: The writer tasks class the parallel tuning installed for this build, if it did
    #: (``builder-inited``); put back at ``build-finished``.
    writer_tasks: type[Any] | None = None
    #: Schedule files read in this build, by path, modification time and size (``reports``).
    schedules: dict[tuple[str, int, int], Any] = field(default_factory=dict)
    #: Notes already given in this build (each is said once).
    said: set[str] = field(default_factory=set)
    #: Log filters attached for this build, detached when it ends.
    filters: list[tuple[str, logging.Filter]] = field(default_factory=list)

    def first_time(self, key: str) -> bool:
        """Whether ``key`` is said for the first time in this build (it is then marked said)."""
        if key in self.said:
            return False
        self.said.add(key)
        return True

    def add_filter(self, logger_name: str, log_filter: logging.Filter) -> None:
        """Attach ``log_filter`` to a logger until the build ends."""
        logging.getLogger(logger_name).addFilter(log_filter)
        self.filters.append((logger_name, log_filter))

    def close(self) -> None:
        """Undo what the build attached to process-wide objects."""
        for logger_name, log_filter in self.filters:
            logging.getLogger(logger_name).removeFilter(log_filter)
        self.filters.clear()


@dataclass
class BlogState:
    """Everything sphinx-postblog keeps between builds, pickled with the environment."""

    #: Every post by its key (:attr:`~sphinx_postblog.model.Post.key`): ``docname`` for a
    #: post that is its whole page, ``docname#anchor`` for one section of a page.
    posts: dict[str, Post] = field(default_factory=dict)
    #: The keys of the section posts of each document that has any (ablog's posting
    #: sections), so that reading the document again forgets them all.
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Options of each ``postlist`` directive, per document that has one.
    postlists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The talks of each document that has ``talk`` directives (a post's are also its own).
    talks: dict[str, tuple[Talk, ...]] = field(default_factory=dict)
    data: BlogData = field(default_factory=BlogData)
    #: Fingerprint of what each document's blog elements showed when last written.
    rendered: dict[str, str] = field(default_factory=dict)
    #: Bumped whenever posts or data change, so cached views know they are stale.
    generation: int = 0
    #: Digest of what ``rendered`` and the pages' labels were computed from (generation,
    #: day, configuration, builder): while it holds, both are still right.
    resolved_inputs: str = ""
    #: What other pages show of each post, by key (``output.freshness.shown_elsewhere``).
    shown: dict[str, str] = field(default_factory=dict)
    #: Digest of what fingerprints follow beyond the posts (day, settings, data files).
    surroundings: str = ""
    #: The latest time a document was read, as of the last fingerprint check
    #: (``env.all_docs``): documents read after it were read again since.
    checked: int = 0
    #: Digest of what ablog's sidebar templates showed when the pages were last written
    #: (``ablog/sidebars.py``): when it changes, every page showing them is written again.
    sidebars: str = ""
    #: The current build's run; not pickled (see :class:`BuildRun`).
    run: BuildRun | None = field(default=None, compare=False, repr=False)

    def touch(self) -> None:
        """Mark the state as changed."""
        self.generation += 1

    def posts_of(self, docname: str) -> list[Post]:
        """The posts a document shows: its own, then those of its sections."""
        own = self.posts.get(docname)
        found = [own] if own is not None else []
        found += [self.posts[key] for key in self.sections.get(docname, ()) if key in self.posts]
        return found

    def __getstate__(self) -> dict[str, Any]:
        """Pickle everything but the build's run."""
        state = dict(self.__dict__)
        state["run"] = None
        return state


def digest(*parts: object) -> str:
    """A digest of ``parts`` (by ``repr``): what the builds compare to know what changed."""
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def env_app(env: BuildEnvironment) -> Sphinx:
    """The application of an environment (``env.app`` became private in Sphinx 8)."""
    return getattr(env, "_app", None) or env.app  # type: ignore[attr-defined]


def blog_state(env: BuildEnvironment) -> BlogState:
    """The state stored on ``env``, created on first use."""
    state = getattr(env, "postblog_state", None)
    if state is None:
        state = BlogState()
        env.postblog_state = state  # type: ignore[attr-defined]
    return state


def build_run(env: BuildEnvironment) -> BuildRun:
    """The current build's run, made on first use."""
    state = blog_state(env)
    if state.run is None:
        state.run = BuildRun()
    return state.run


def start_run(app: Sphinx) -> None:
    """A new run for the build about to start (``builder-inited``, first)."""
    end_run(app, None)
    build_run(app.env)


def end_run(app: Sphinx, exception: BaseException | None) -> None:
    """Close and drop the build's run (``build-finished``, after every other handler)."""
    env = getattr(app, "env", None)
    state = getattr(env, "postblog_state", None) if env is not None else None
    if state is not None and state.run is not None:
        state.run.close()
        state.run = None


def setup_state(app: Sphinx) -> None:
    """Make a run per build and drop it when the build ends."""
    app.connect("builder-inited", start_run, priority=1)
    app.connect("build-finished", end_run, priority=999)
