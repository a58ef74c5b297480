"""Talk cards: a talk of a conference report, as docutils nodes every builder and theme shows.

Title, speakers (linking to their pages, with avatars), time, room and track, the abstract
from the schedule file, the author's notes, and links to the slides and the recording. Only
with ``postblog_third_party_media`` does a card load anything from another site (an
embedded player, a remote avatar): by default a recording is a link and a remote avatar is
the speaker's initials.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import nh3
from docutils import nodes
from sphinx.util.osutil import relative_uri

from sphinx_postblog.dates import format_date
from sphinx_postblog.i18n import _
from sphinx_postblog.nodes import element
from sphinx_postblog.output import blocks

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinx_postblog.model import Speaker, Talk
    from sphinx_postblog.output.blocks import PageLinks

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def embed_url(video: str) -> str:
    """The privacy-enhanced player URL of a YouTube or Vimeo recording, or ``""``."""
    parts = urlsplit(video)
    host = parts.hostname or ""
    if host in _YOUTUBE_HOSTS:
        ident = (parts.path.strip("/") if host == "youtu.be"
                 else (parse_qs(parts.query).get("v") or [""])[0])
        if not ident and parts.path.startswith(("/embed/", "/live/", "/shorts/")):
            ident = parts.path.split("/")[2]
        if re.fullmatch(r"[A-Za-z0-9_-]{11}", ident):
            return f"https://www.youtube-nocookie.com/embed/{ident}"
    if host in _VIMEO_HOSTS:
        found = re.search(r"/(\d+)(?:/|$)", parts.path)
        if found:
            return f"https://player.vimeo.com/video/{found.group(1)}"
    return ""


def html_text(html: str) -> str:
    """The text of sanitised HTML, for builders that do not write HTML."""
    import html as html_module  # noqa: PLC0415

    return " ".join(html_module.unescape(nh3.clean(html, tags=set())).split())


def avatar_src(speaker: Speaker, page_uri: str, *, third_party: bool) -> str:
    """Where a speaker's picture is loaded from on a page, or ``""`` for their initials.

    Local pictures are copied to the same path in the output (``copy_avatars``); another
    site's only where the project allows third-party media.
    """
    src = speaker.avatar
    if src and "://" not in src:
        return relative_uri(page_uri, src.lstrip("/"))
    return src if third_party else ""


def initials(name: str) -> str:
    """Up to two initials of a name: ``Ada Lovelace`` is ``AL``."""
    words = [w for w in re.split(r"[\s\-]+", name) if w[:1].isalnum()]
    picked = words[:1] + words[1:][-1:]
    return "".join(w[0] for w in picked).upper()


class TalkCards:
    """Makes the cards of one page's talks."""

    def __init__(self, app: Sphinx, links: PageLinks, date_format: str,
                 third_party: bool) -> None:
        self.links = links
        self.html = app.builder.format == "html"
        self.date_format = date_format
        self.third_party = third_party
        self.language = app.config.language

    def card(self, placeholder: nodes.Element) -> nodes.Element:
        """The card for a ``postblog_talk`` placeholder, its notes moved inside."""
        talk: Talk = placeholder["talk"]
        card = element("article", classes=["postblog-talk", "h-event"])
        card["ids"] = list(placeholder["ids"])
        title_id = f"{talk.anchor}-title"
        card["attrs"]["aria-labelledby"] = title_id
        depth = sum(1 for n in _ancestors(placeholder) if isinstance(n, nodes.section))
        if self.html:
            title = element(f"h{min(6, depth + 1)}", nodes.Text(talk.title),
                            classes=["p-name", "postblog-talk-title"])
            title["ids"] = [title_id]
            card += title
        else:
            card += nodes.rubric(talk.title, talk.title, classes=["postblog-talk-title"])
        if talk.speakers:
            card += self.speakers(talk.speakers)
        meta = self.meta(talk)
        if meta is not None:
            card += meta
        if talk.abstract:
            card += self.abstract(talk.abstract)
        if placeholder.children:
            notes = element("div", classes=["postblog-talk-notes"])
            notes.extend(list(placeholder.children))
            card += notes
        media = self.media(talk)
        if media:
            card.extend(media)
        return card

    def speakers(self, speakers: tuple[Speaker, ...]) -> nodes.Element:
        """The speakers as h-cards, each linking to their page where there is one.

        Other builders than HTML get the names as one line: ``By Ana Duarte, Ben Osei``.
        """
        if not self.html:
            names = _("By {authors}").format(
                authors=", ".join(speaker.name for speaker in speakers))
            return nodes.paragraph(names, names, classes=["postblog-talk-speakers"])
        items = element("ul", classes=["postblog-talk-speakers"], role="list")
        for speaker in speakers:
            href = self.links.collection("speaker", speaker.slug)
            inner = [self.avatar(speaker), element("span", nodes.Text(speaker.name),
                                                   classes=["p-name"])]
            if href is None:
                person = element("span", *inner, classes=["p-performer", "h-card"])
            else:
                person = element("a", *inner, classes=["p-performer", "h-card", "u-url"], href=href)
            items += element("li", person)
        return items

    def avatar(self, speaker: Speaker) -> nodes.Node:
        """The speaker's picture, or their initials when it is not to be loaded."""
        src = avatar_src(speaker, self.links.page_uri, third_party=self.third_party)
        if src:
            return element("img", classes=["u-photo", "postblog-avatar"], src=src, alt="",
                           loading="lazy")
        return element("span", nodes.Text(initials(speaker.name)),
                       classes=["postblog-avatar", "postblog-initials"], **{"aria-hidden": "true"})

    def meta(self, talk: Talk) -> nodes.Element | None:
        """Time, room and track."""
        parts: list[nodes.Node] = []
        if talk.start is not None:
            day = format_date(talk.start, self.date_format, self.language)
            when = element("time", nodes.Text(f"{day}, {talk.start:%H:%M}"), classes=["dt-start"],
                           datetime=talk.start.isoformat())
            parts.append(when)
            if talk.end is not None:
                parts.append(nodes.Text("–"))
                parts.append(element("time", nodes.Text(f"{talk.end:%H:%M}"), classes=["dt-end"],
                                     datetime=talk.end.isoformat()))
        elif talk.time:
            parts.append(element("span", nodes.Text(talk.time), classes=["postblog-talk-time"]))
        for value, classes in ((talk.room, ["p-location", "postblog-talk-room"]),
                               (talk.track, ["p-category", "postblog-talk-track"])):
            if value:
                if parts:
                    parts.append(nodes.Text(" · "))
                parts.append(element("span", nodes.Text(value), classes=classes))
        if not parts:
            return None
        return nodes.paragraph("", "", *parts, classes=["postblog-talk-meta"])

    def abstract(self, abstract: str) -> nodes.Element:
        """The schedule's abstract (sanitised HTML), folded away: the notes come first."""
        if not self.html:
            text = html_text(abstract)
            return nodes.paragraph(text, text, classes=["postblog-talk-abstract"])
        return element("details", element("summary", nodes.Text(_("Abstract"))),
                       element("div", nodes.raw("", nh3.clean(abstract), format="html"),
                               classes=["p-summary"]),
                       classes=["postblog-talk-abstract"])

    def media(self, talk: Talk) -> list[nodes.Node]:
        """Buttons for the slides and the recording; the player where the project allows it."""
        found: list[nodes.Node] = []
        embed = embed_url(talk.video) if talk.video and self.third_party and self.html else ""
        if embed:
            found.append(element(
                "div", element("iframe", src=embed,
                               title=_("Recording: {title}").format(title=talk.title),
                               loading="lazy", allow="fullscreen; picture-in-picture",
                               allowfullscreen="allowfullscreen",
                               referrerpolicy="strict-origin-when-cross-origin"),
                classes=["postblog-talk-player"]))
        buttons = [blocks.external(label, url, f"postblog-button postblog-{kind}", html=self.html)
                   for url, label, kind in ((talk.slides, _("Slides"), "slides"),
                                            (talk.video, _("Recording"), "recording")) if url]
        if buttons:
            para = nodes.paragraph(classes=["postblog-talk-links"])
            for index, button in enumerate(buttons):
                if index:
                    para += nodes.Text(" " if self.html else " · ")
                para.extend(button)
            found.append(para)
        return found


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found
