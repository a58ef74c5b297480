"""The environment collector: posts and post lists per document, merged across ``-j`` workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_postblog import nodes as pb
from sphinx_postblog.config import settings
from sphinx_postblog.reading.data import load_data
from sphinx_postblog.reading.excerpts import finish_post
from sphinx_postblog.state import blog_state

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post


def _forget_missing_files(env: BuildEnvironment, docname: str) -> None:
    """Drop dependencies on files that do not exist (missing images, which Sphinx warned of).

    Sphinx treats a missing dependency as changed, so the post would be read again on
    every build, forever; old blog posts often miss an image or two.
    """
    dependencies = env.dependencies.get(docname)
    if dependencies:
        missing = {dep for dep in dependencies if not (env.srcdir / dep).exists()}
        dependencies.difference_update(missing)


class PostCollector(EnvironmentCollector):
    """Keeps :class:`~sphinx_postblog.state.BlogState` in step with the documents."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Forget what a document contributed."""
        state = blog_state(env)
        had_post = state.posts.pop(docname, None) is not None
        for key in state.sections.pop(docname, ()):
            had_post = state.posts.pop(key, None) is not None or had_post
        had_talks = state.talks.pop(docname, None) is not None
        if state.postlists.pop(docname, []) or had_post or had_talks:
            state.touch()

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: AbstractSet[str],
                    other: BuildEnvironment) -> None:
        """Take over what a parallel reader collected."""
        state, theirs = blog_state(env), blog_state(other)
        for docname in docnames:
            if docname in theirs.posts:
                state.posts[docname] = theirs.posts[docname]
            if docname in theirs.sections:
                keys = state.sections[docname] = theirs.sections[docname]
                state.posts.update((key, theirs.posts[key]) for key in keys if key in theirs.posts)
            if docname in theirs.postlists:
                state.postlists[docname] = theirs.postlists[docname]
            if docname in theirs.talks:
                state.talks[docname] = theirs.talks[docname]
        state.touch()

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Finish the post read at ``source-read`` and record post lists and talks."""
        env = app.env
        state = blog_state(env)
        docname = env.docname
        post = state.posts.get(docname)
        # One walk over the document finds both kinds of placeholder.
        found = list(doctree.findall(lambda n: isinstance(n, pb.postlist | pb.postblog_talk)))
        talks = tuple(node["talk"] for node in found if isinstance(node, pb.postblog_talk))
        if talks:
            state.talks[docname] = talks
        if post is not None:
            separator = post.excerpt_separator or settings(app).excerpt_separator
            post = finish_post(post, doctree, separator)
            if talks:
                post = replace(post, talks=talks)
            state.posts[docname] = post
        keys = state.sections.get(docname, ())
        if keys:
            _finish_sections(state.posts, keys, doctree, settings(app).excerpt_separator)
        if post is not None or keys:
            # Posts are reached through the blog's pages, not through a toctree.
            env.metadata[docname]["orphan"] = True
            _forget_missing_files(env, docname)
        lists = [{"count": node["count"], "options": node["options"]}
                 for node in found if isinstance(node, pb.postlist)]
        if lists:
            state.postlists[docname] = lists
        state.touch()


def _finish_sections(posts: dict[str, Post], keys: tuple[str, ...], doctree: nodes.document,
                     separator: str) -> None:
    """Finish the posts that are sections of the page: words, excerpt, updates in them."""
    wanted = set(keys)
    for section in doctree.findall(nodes.section):
        key = section.get("postblog_post")
        if key not in wanted or key not in posts:
            continue
        post = posts[key]
        post = finish_post(post, doctree, post.excerpt_separator or separator, section=section)
        updates = [dt.datetime.fromisoformat(note["postblog_updated"])
                   for note in section.findall(nodes.admonition) if note.get("postblog_updated")]
        newest = max(updates, default=None)
        if newest is not None and newest > (post.updated or post.date):
            post = replace(post, updated=newest)
        posts[key] = post


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Load the data files, which every build reads afresh (they are small)."""
    state = blog_state(env)
    data = load_data(app)
    if data != state.data:
        state.data = data
        state.touch()

