"""The extension's state in the Sphinx environment: the only place blog state lives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Author, Post


@dataclass
class BlogData:
    """What the data folder and ``conf.py`` say about authors, categories and tags."""

    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)  # slug -> display name
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class BlogState:
    """Everything sphinx-postblog keeps between builds, pickled with the environment."""

    posts: dict[str, Post] = field(default_factory=dict)
    #: Options of each ``postlist`` directive, per document that has one.
    postlists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    data: BlogData = field(default_factory=BlogData)
    #: Fingerprint of what each document's blog elements showed when last written.
    rendered: dict[str, str] = field(default_factory=dict)
    #: Bumped whenever posts or data change, so cached views know they are stale.
    generation: int = 0
    #: Digest of what ``rendered`` and the pages' labels were computed from (generation,
    #: day, configuration, builder): while it holds, both are still right.
    resolved_inputs: str = ""

    def touch(self) -> None:
        """Mark the state as changed."""
        self.generation += 1


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
