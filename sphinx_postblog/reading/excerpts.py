"""What only a post's parsed body tells: its title (ablog style), word count and excerpt.

An excerpt is the post's own words: the text before the excerpt separator, else the
description, else the first paragraphs (``postblog_excerpt_paragraphs``, or the post's
ablog ``excerpt: N``), each cut at a number of words. System messages, comments, raw HTML
and substitution definitions never count as words. A post whose front matter names no
image may take the N-th image of its body (``postblog_auto_image``, ablog's ``image: N``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_postblog import nodes as pb
from sphinx_postblog.config import PostblogConfig, settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx_postblog.model import Post

_EXCERPT_WORDS = 60
_NOT_TEXT = (nodes.raw, nodes.comment, nodes.system_message, nodes.substitution_definition)


def _not_text(node: nodes.Node) -> bool:
    """Whether nothing under ``node`` is the post's own words.

    Build messages (MyST leaves its warnings in the doctree as ``system_message`` nodes),
    comments, raw HTML, substitution definitions, and a table of contents (the
    ``contents`` topic kramdown's ``{:toc}`` becomes), which only repeats the headings.
    """
    return isinstance(node, _NOT_TEXT) or (
        isinstance(node, nodes.topic) and "contents" in node["classes"])


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
        elif not (isinstance(current, skip) or (  # as _not_text, inline: every node passes here
                isinstance(current, nodes.topic) and "contents" in current["classes"])):
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


def _paragraphs(body: list[nodes.Node]) -> Iterator[nodes.paragraph]:
    """The body's paragraphs in reading order, none from inside what is not its words."""
    stack = list(reversed(body))
    while stack:
        current = stack.pop()
        if isinstance(current, nodes.paragraph):
            yield current
        elif isinstance(current, nodes.Element) and not _not_text(current):
            stack.extend(reversed(current.children))


def _first_paragraphs(body: list[nodes.Node], count: int) -> str:
    texts: list[str] = []
    for paragraph in _paragraphs(body):
        if len(texts) >= count:
            break
        text = _text(paragraph)
        if text:
            words = text.split()
            texts.append(" ".join(words[:_EXCERPT_WORDS]) + " …"
                         if len(words) > _EXCERPT_WORDS else text)
    return " ".join(texts)


def _nth_image(body: list[nodes.Node], number: int) -> str:
    """The N-th image of the body (1 is the first), as a post's ``image`` names one."""
    if number <= 0:
        return ""
    images = [image for child in body if isinstance(child, nodes.Element)
              for image in child.findall(nodes.image)]
    if len(images) < number:
        return ""
    image = images[number - 1]
    uri = image["uri"]
    if uri.startswith("data:"):
        return ""
    # Sphinx's image collector made a local path relative to the source folder.
    return "/" + uri if "://" not in uri and "candidates" in image else uri


def _settings(doctree: nodes.document) -> PostblogConfig:
    env = getattr(doctree.settings, "env", None)
    return settings(env) if env is not None else PostblogConfig()


def finish_post(post: Post, doctree: nodes.document, separator: str,
                section: nodes.Element | None = None) -> Post:
    """Complete a post with what only its parsed body tells: title, words, excerpt.

    ``section`` is the post's section, when it is one section of the page (ablog's
    posting sections); else the page's post section is found.
    """
    if section is None:
        section = next((n for n in doctree.findall(nodes.section)
                        if "h-entry" in n["classes"]), None)
    if section is None:
        return post
    body = _body(section)
    changes: dict[str, object] = {
        "word_count": sum(len(_text(child).split()) for child in body),
    }
    if post.title_from_body:
        changes["title"] = section[0].astext()
    config = _settings(doctree)
    if not post.excerpt:
        excerpt = _separator_excerpt(section, body, separator) if separator else None
        paragraphs = (config.excerpt_paragraphs if post.excerpt_paragraphs is None
                      else post.excerpt_paragraphs)
        changes["excerpt"] = excerpt or post.description or _first_paragraphs(body, paragraphs)
    if not post.image:
        image = _nth_image(body, config.auto_image if post.image_number is None
                           else post.image_number)
        if image:
            changes["image"] = image
    return replace(post, **changes)  # type: ignore[arg-type]
