"""The environment collector: posts and post lists per document, merged across ``-j`` workers."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_postblog import nodes as pb
from sphinx_postblog.blog import today
from sphinx_postblog.config import config_signature
from sphinx_postblog.data import load_data
from sphinx_postblog.resolve import fingerprint, index_docname
from sphinx_postblog.state import blog_state, digest

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Post

_EXCERPT_WORDS = 60
_NOT_TEXT = (nodes.raw, nodes.comment, nodes.system_message, nodes.substitution_definition)


def _text(node: nodes.Node, *, titles: bool = True) -> str:
    """Reader-visible text under ``node``, whitespace normalised.

    Block elements are separated by a space; inline pieces join as they stand, so
    ``code``, then "," stays "code,".
    """
    skip = _NOT_TEXT if titles else (*_NOT_TEXT, nodes.title)
    pieces: list[str] = []
    # An explicit stack rather than recursion: this walks every node of every post.
    # ``None`` marks the end of a block element.
    stack: list[nodes.Node | None] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            pieces.append(" ")
        elif isinstance(current, nodes.Text):
            pieces.append(current.astext())
        elif not isinstance(current, skip):
            if not isinstance(current, nodes.Inline):
                pieces.append(" ")
                stack.append(None)
            stack.extend(reversed(current.children))
    return " ".join("".join(pieces).split())


def _body(section: nodes.Element) -> list[nodes.Node]:
    """The children of a post's section between its body markers."""
    markers = [i for i, child in enumerate(section.children) if isinstance(child, pb.postblog_body)]
    if len(markers) != 2:
        return []
    return section.children[markers[0] + 1 : markers[1]]


def _separator_excerpt(section: nodes.Element, body: list[nodes.Node],
                       separator: str) -> str | None:
    """Text before the excerpt separator, if the body has one."""
    found = next((raw for raw in section.findall(nodes.raw) if separator in raw.astext()), None)
    if found is None:  # the common case: one walk, not one per block
        return None
    before: list[str] = []
    for child in body:
        marker = next((raw for raw in child.findall(nodes.raw) if raw is found), None)
        if marker is None:
            before.append(_text(child, titles=False))
            continue
        if marker is not child:
            # The marker sits inside a paragraph: keep the text that precedes it.
            head = []
            for text in child.findall(nodes.Text):
                if text.parent is marker:
                    break
                if not isinstance(text.parent, (*_NOT_TEXT, nodes.title)):
                    head.append(text.astext())
            before.append(" ".join(" ".join(head).split()))
        return " ".join(part for part in before if part)
    return None


def _first_paragraph(body: list[nodes.Node]) -> str:
    for child in body:
        for paragraph in child.findall(nodes.paragraph):
            text = _text(paragraph)
            if text:
                words = text.split()
                if len(words) > _EXCERPT_WORDS:
                    return " ".join(words[:_EXCERPT_WORDS]) + " …"
                return text
    return ""


def finish_post(post: Post, doctree: nodes.document, separator: str) -> Post:
    """Complete a post with what only its parsed body tells: title, words, excerpt."""
    section = next((n for n in doctree.findall(nodes.section) if "h-entry" in n["classes"]), None)
    if section is None:
        return post
    body = _body(section)
    changes: dict[str, object] = {
        "word_count": sum(len(_text(child).split()) for child in body),
    }
    if post.title_from_body:
        changes["title"] = section[0].astext()
    if not post.excerpt:
        excerpt = _separator_excerpt(section, body, separator) if separator else None
        changes["excerpt"] = excerpt or post.description or _first_paragraph(body)
    return replace(post, **changes)  # type: ignore[arg-type]


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
        if state.postlists.pop(docname, []) or had_post:
            state.touch()

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: AbstractSet[str],
                    other: BuildEnvironment) -> None:
        """Take over what a parallel reader collected."""
        state, theirs = blog_state(env), blog_state(other)
        for docname in docnames:
            if docname in theirs.posts:
                state.posts[docname] = theirs.posts[docname]
            if docname in theirs.postlists:
                state.postlists[docname] = theirs.postlists[docname]
        state.touch()

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Finish the post read at ``source-read`` and record post lists."""
        env = app.env
        state = blog_state(env)
        docname = env.docname
        post = state.posts.get(docname)
        if post is not None:
            separator = post.excerpt_separator or app.config.postblog_excerpt_separator
            post = finish_post(post, doctree, separator)
            state.posts[docname] = post
            # Posts are reached through the blog's pages, not through a toctree.
            env.metadata[docname]["orphan"] = True
            _forget_missing_files(env, docname)
        lists = [{"count": node["count"], "options": node["options"]}
                 for node in doctree.findall(pb.postlist)]
        if lists:
            state.postlists[docname] = lists
        state.touch()

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """Documents whose blog elements show something that changed since they were written."""
        state = blog_state(env)
        inputs = resolved_inputs(app)
        if state.resolved_inputs == inputs:
            return []  # no post, post list, data file, day or setting changed: a no-op build
        candidates = set(state.posts) | set(state.postlists)
        index = index_docname(app)
        if index:
            candidates.add(index)
        changed = []
        rendered: dict[str, str] = {}
        for docname in sorted(candidates):
            digest = fingerprint(app, docname)
            if digest is None:
                continue
            rendered[docname] = digest
            if state.rendered.get(docname) != digest:
                changed.append(docname)
        state.rendered = rendered
        state.resolved_inputs = inputs
        return changed


def resolved_inputs(app: Sphinx) -> str:
    """A digest of everything fingerprints and page labels are computed from.

    The state's generation changes whenever a document is read or removed, or the data
    files change; the day decides which future posts are listed.
    """
    state = blog_state(app.env)
    parts = (state.generation, str(today()), config_signature(app.config), app.builder.name,
             index_docname(app))
    return digest(*parts)


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Load the data files, which every build reads afresh (they are small)."""
    state = blog_state(env)
    data = load_data(app)
    if data != state.data:
        state.data = data
        state.touch()


