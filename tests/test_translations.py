"""Interface words in the project's language: the docs blog built in German has no English
word of ours left (in the blog's elements, the theme's, ablog's sidebars), in French it
reads French, in English it is as it was; dates follow ``language``; the catalogs are
complete and match the code."""

from __future__ import annotations

import datetime as dt
import gettext
import importlib.util
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
import sphinx
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from postblog_testing import write_site
from sphinx_postblog import i18n
from sphinx_postblog.dates import format_date

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
LOCALE = ROOT / "sphinx_postblog" / "locale"
POT = LOCALE / "sphinx_postblog.pot"
LANGUAGES = ("de", "fr")

REPORT = "blog/_posts/2025-05-27-docs-harbour-2025-day-one.html"
DRAFT = "blog/_posts/2024-09-02-roadmap.html"
EVENT = "blog/event/docs-harbour-2025.html"
SPEAKER = "blog/speaker/ines-varga.html"  # she writes on the blog too: "Posts by …"
INDEX = "blog/index.html"
TAG = "blog/tag/conference.html"
AUTHOR = "blog/author/priya.html"
PAGES = (REPORT, DRAFT, EVENT, SPEAKER, INDEX, "blog/page/2.html", TAG, AUTHOR,
         "blog/category/index.html", "blog/archive.html", "blog/event/index.html",
         "blog/speaker/index.html", "blog/author/index.html", "blog/tag/index.html")

#: What the blog's and the theme's elements show; their data (titles, names, dates,
#: places, excerpts, notes) is taken out before their words are read.
ELEMENTS = ("header.postblog-header", ".postblog-post-footer", ".postblog-talk",
            ".postblog-pagination", ".postblog-event-card", ".postblog-talk-list",
            ".postblog-events", ".postblog-terms", ".postblog-author-card", ".postblog-list",
            ".postblog-feeds", "section[id^=postblog] > h2", ".postblog-credits",
            ".postblog-skip-link", ".postblog-sidebar-title", ".postblog-search",
            ".postblog-sidebar-box")
DATA = ("time", ".p-name", ".p-author", ".p-category", ".p-location", ".p-summary", ".p-note",
        ".postblog-subtitle", ".postblog-talk-notes", ".postblog-talk-meta",
        ".postblog-nav-title", ".postblog-series-parts", ".postblog-entry-title",
        ".postblog-entry-excerpt", ".postblog-initials", ".postblog-talk-reports a",
        ".postblog-related-posts li", ".postblog-author-links", ".postblog-feeds a",
        ".postblog-terms li > a", ".postblog-hero", ".postblog-sidebar-box li > a")
#: Attributes that carry words (for screen readers, or before typing).
WORD_ATTRIBUTES = ("aria-label", "placeholder", "title")


def _messages(path: Path):
    with path.open("rb") as source:
        return [m for m in read_po(source) if m.id]


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", " ", text))}


def english_words(language: str) -> set[str]:
    """Every word of our English messages that the language's catalog never uses."""
    catalog = _messages(LOCALE / language / "LC_MESSAGES" / "sphinx_postblog.po")
    english = {w for m in catalog for text in _ids(m) for w in _words(text)}
    translated = {w for m in catalog for text in _strings(m) for w in _words(text)}
    return english - translated - {"href", "https", "www", "org", "html"}


def build(tmp_path_factory, language: str | None) -> Path:
    """The docs site, built with the postblog theme in ``language`` (None: as it is set)."""
    where = tmp_path_factory.mktemp(f"docs-{language or 'unset'}")
    src = where / "src"
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build"))
    overrides = {"html_theme": "postblog"}
    if language:
        overrides["language"] = language
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=where / "build", confoverrides=overrides,
                        status=StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()  # Sphinx's catalogs are the process's: the next build starts afresh
    assert warnings.getvalue() == ""
    return where / "build" / "html"


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> Path:
    return build(tmp_path_factory, "de")


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> Path:
    return build(tmp_path_factory, "fr")


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    return build(tmp_path_factory, None)


def soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")


def interface_text(page: BeautifulSoup) -> str:
    """The words of the blog's and the theme's elements on a page, without their data."""
    found = [page.title.get_text() if page.title else ""]
    # Sphinx's own (its header links) and the feeds' titles (the blog's title) are not ours.
    found += [el[attr] for attr in WORD_ATTRIBUTES for el in page.body.select(f"[{attr}]")
              if "headerlink" not in el.get("class", ())]
    for element in page.select(", ".join(ELEMENTS)):
        for data in element.select(", ".join(DATA)):
            data.decompose()
        text = element.get_text(" ")
        # The series' name, quoted: „Docs Harbour 2025“, « … », “…”.
        found.append(re.sub(r"„[^“]*“|«[^»]*»|“[^”]*”", " ", text))
    # A post's title is data: the page's <title> and the h1 of a post page.
    return "\n".join(found)


def test_no_english_interface_word_is_left_in_german(german):
    english = english_words("de")
    assert {"by", "read", "previous", "next", "slides", "recording", "tags", "posts",
            "series", "older", "newer"} <= english
    for name in PAGES:
        page = soup(german, name)
        # Titles of posts and pages are data: drop them before reading the words.
        text = interface_text(page).replace(page.title.get_text(), "")
        left = sorted(_words(text) & english)
        assert not left, f"{name}: English words {left} in\n{text}"


def test_german_words_where_the_blog_shows_them(german):
    post = soup(german, REPORT)
    byline = post.select_one(".postblog-byline").get_text(" ")
    assert byline.split()[0] == "Von"
    assert re.search(r"\d+ Min\. Lesezeit", byline)
    assert post.select_one("time.dt-published").get_text() == "27. Mai 2025"
    assert post.select_one(".postblog-series-label").get_text() == \
        "Teil 1 von 2 der Serie „Docs Harbour 2025“"
    assert post.select_one("nav.postblog-series")["aria-label"] == "Serie: Docs Harbour 2025"
    assert [s.get_text() for s in post.select(".postblog-nav-label")] == \
        ["Vorheriger Beitrag", "Nächster Beitrag"]
    assert post.select_one(".postblog-related-posts-title").get_text() == "Ähnliche Beiträge"
    assert post.select_one(".postblog-talk summary").get_text() == "Zusammenfassung"
    buttons = {a.get_text() for a in post.select(".postblog-talk-links a")}
    assert buttons == {"Folien", "Aufzeichnung"}
    assert post.select_one(".postblog-skip-link").get_text() == "Zum Inhalt springen"
    assert post.select_one("aside.postblog-sidebar")["aria-label"] == "Website-Navigation"
    assert "Erstellt mit Sphinx" in post.select_one(".postblog-credits").get_text()

    draft = soup(german, DRAFT).select_one(".postblog-draft-notice").get_text()
    assert draft.startswith("Dieser Beitrag ist ein Entwurf")

    index = soup(german, INDEX)
    assert index.select_one(".postblog-page-current").get_text() == "Seite 1 von 2"
    assert index.select_one(".postblog-page-next").get_text() == "Ältere Beiträge →"
    assert soup(german, "blog/page/2.html").select_one("section > h1").get_text() \
        .endswith("(Seite 2)")
    assert soup(german, TAG).select_one("section > h1").get_text() == \
        "Schlagwort: Conference"
    assert soup(german, AUTHOR).select_one("section > h1").get_text() == \
        "Beiträge von Priya Lund"
    for name, title in (("category/index", "Kategorien"), ("archive", "Archiv"),
                        ("event/index", "Veranstaltungen"), ("speaker/index", "Vortragende"),
                        ("author/index", "Autoren"), ("tag/index", "Schlagwörter")):
        assert soup(german, f"blog/{name}.html").select_one("section > h1").get_text() == title

    event = soup(german, EVENT)
    assert [h.get_text() for h in event.select("section > h2")] == \
        ["Besprochene Vorträge", "Berichte"]
    assert event.select_one(".postblog-talk-reports").get_text().startswith("Besprochen in ")
    assert event.select_one(".postblog-feeds").get_text().startswith("Feeds: ")
    assert "Mai 2025" in event.select_one(".postblog-event-dates").get_text()
    events = soup(german, "blog/event/index.html")
    assert {c.get_text() for c in events.select(".postblog-count")} <= {"1 Bericht", "2 Berichte",
                                                                      "3 Berichte"}
    speaker = soup(german, SPEAKER)
    assert speaker.select_one(".postblog-speaker-author").get_text().startswith("Beiträge von ")
    speakers = soup(german, "blog/speaker/index.html")
    assert {c.get_text() for c in speakers.select(".postblog-count")} <= {"1 Vortrag",
                                                                        "2 Vorträge"}


def test_french_words_and_dates(french):
    english = english_words("fr")
    for name in (REPORT, INDEX, EVENT, AUTHOR):
        page = soup(french, name)
        text = interface_text(page).replace(page.title.get_text(), "")
        left = sorted(_words(text) & english)
        assert not left, f"{name}: English words {left} in\n{text}"
    post = soup(french, REPORT)
    byline = post.select_one(".postblog-byline").get_text(" ")
    assert byline.split()[0] == "Par"
    assert re.search(r"\d+ min de lecture", byline)
    assert post.select_one("time.dt-published").get_text() == "27 mai 2025"
    assert post.select_one(".postblog-series-label").get_text() == \
        "Partie 1 sur 2 de la série «\u00a0Docs Harbour 2025\u00a0»"
    assert [s.get_text() for s in post.select(".postblog-nav-label")] == \
        ["Article précédent", "Article suivant"]
    assert {a.get_text() for a in post.select(".postblog-talk-links a")} == \
        {"Diapositives", "Enregistrement"}
    index = soup(french, INDEX)
    assert index.select_one(".postblog-page-next").get_text() == "Articles plus anciens →"
    assert soup(french, AUTHOR).select_one("section > h1").get_text() == "Articles de Priya Lund"


def test_english_is_unchanged(english):
    post = soup(english, REPORT)
    byline = post.select_one(".postblog-byline").get_text(" ")
    assert byline.split()[0] == "By"
    assert re.search(r"\d+ min read", byline)
    assert post.select_one("time.dt-published").get_text() == "27 May 2025"
    assert post.select_one(".postblog-series-label").get_text() == \
        "Part 1 of 2 of the series “Docs Harbour 2025”"
    assert [s.get_text() for s in post.select(".postblog-nav-label")] == \
        ["Previous post", "Next post"]
    assert {a.get_text() for a in post.select(".postblog-talk-links a")} == {"Slides", "Recording"}
    assert post.select_one(".postblog-skip-link").get_text() == "Skip to content"
    assert soup(english, DRAFT).select_one(".postblog-draft-notice").get_text().strip() == \
        "This post is a draft: it is not published yet, and is not listed on the blog."
    index = soup(english, INDEX)
    assert index.select_one(".postblog-page-current").get_text() == "Page 1 of 2"
    assert soup(english, AUTHOR).select_one("section > h1").get_text() == "Posts by Priya Lund"
    assert [h.get_text() for h in soup(english, EVENT).select("section > h2")] == \
        ["Talks covered", "Reports"]


def test_ablog_sidebars_speak_the_language(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "index.md": "# Home\n",
        "_posts/2024-01-02-a.md": "---\ntitle: A\nauthor: ada\ntags: [x, y]\n"
                                  "category: News\n---\nBody.\n",
        "_posts/2024-02-03-b.md": "---\ntitle: B\nauthor: ada\ntags: [x]\n---\nBody.\n",
    }, 'html_sidebars = {"**": ["ablog/postcard.html", "ablog/recentposts.html", '
       '"ablog/tagcloud.html", "ablog/categories.html", "ablog/archives.html", '
       '"ablog/authors.html"]}\n')
    app = make_app("html", srcdir=src, builddir=tmp_path / "build", freshenv=True,
                   confoverrides={"language": "de"})
    app.build()
    page = BeautifulSoup((app.outdir / "_posts/2024-01-02-a.html").read_text(encoding="utf-8"),
                         "html.parser")
    headings = [h.get_text(strip=True) for h in page.select(".postblog-sidebar-box h3")]
    assert headings == ["Neueste Beiträge", "Schlagwörter", "Kategorien", "Archiv", "Autoren"]
    labels = [s.get_text(strip=True) for s in page.select(".postblog-postcard-label")]
    assert labels == ["Autor:", "Kategorie:", "Schlagwörter:"]
    assert page.select_one(".postblog-postcard time").get_text() == "2. Januar 2024"
    recent = page.select_one(".postblog-sidebar-recent li").get_text()
    assert recent.startswith("3. Februar")


def test_a_build_in_another_language_writes_every_page_again(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "_posts/2024-01-02-a.md": "---\ntitle: A\nauthor: ada\ntags: [x]\n---\nBody.\n",
        "_posts/2024-02-03-b.md": "---\ntitle: B\nauthor: ada\n---\nBody.\n"})

    def built(language: str) -> dict[str, str]:
        app = make_app("html", srcdir=src, builddir=tmp_path / "build",
                       confoverrides={"language": language})
        app.build()
        out = app.outdir
        return {"post": (out / "_posts/2024-01-02-a.html").read_text(encoding="utf-8"),
                "tag": (out / "blog/tag/x.html").read_text(encoding="utf-8"),
                "tags": (out / "blog/tag/index.html").read_text(encoding="utf-8")}

    english = built("en")
    assert "Next post" in english["post"] and "Tag: x" in english["tag"]
    german = built("de")
    assert "Nächster Beitrag" in german["post"] and "Next post" not in german["post"]
    assert "Schlagwort: x" in german["tag"] and "Schlagwörter" in german["tags"]
    assert "Next post" in built("en")["post"]


def test_words_sphinx_knows_come_from_its_catalog_in_other_languages(make_app, tmp_path):
    """A language we have no catalog for: the theme's "Search" is Sphinx's own translation."""
    src = write_site(tmp_path / "src", {"index.md": "# Home\n",
                                        "_posts/2024-01-02-a.md": "---\ntitle: A\n---\nBody.\n"},
                     'html_theme = "postblog"\n')
    app = make_app("html", srcdir=src, builddir=tmp_path / "build", freshenv=True,
                   confoverrides={"language": "es"})
    app.build()
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    spanish = gettext.translation("sphinx", Path(sphinx.__file__).parent / "locale", ["es"])
    assert spanish.gettext("Search") != "Search"
    assert page.select_one(".postblog-search label").get_text() == spanish.gettext("Search")
    post = (app.outdir / "_posts/2024-01-02-a.html").read_text(encoding="utf-8")
    assert "2 enero 2024" not in post and "2 de enero de 2024" in post  # Babel's Spanish date
    assert "min read" in post  # no Spanish catalog of ours: English


# -- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "fmt", "expected"), [
    (None, "%-d %B %Y", "2 June 2025"),
    ("en", "%-d %B %Y", "2 June 2025"),
    ("en_GB", "%d %B", "02 June"),
    ("de", "%-d %B %Y", "2. Juni 2025"),
    ("de", "%d %B %Y", "2. Juni 2025"),
    ("de", "%d %B", "2. Juni"),
    ("de_DE", "%B %Y", "Juni 2025"),
    ("fr", "%-d %B %Y", "2 juin 2025"),
    ("fr", "%-d %B", "2 juin"),
    # Explicit formats keep their order; month and day names are the language's.
    ("de", "%A, %-d.%-m.%Y", "Montag, 2.6.2025"),
    ("fr", "%a %d/%m/%Y", "lun. 02/06/2025"),
    ("de", "%Y-%m-%d", "2025-06-02"),
    ("xx", "%-d %B %Y", "2 June 2025"),  # a language Babel does not know: as written
])
def test_dates_follow_the_language(language, fmt, expected):
    assert format_date(dt.date(2025, 6, 2), fmt, language) == expected


# -- catalogs ---------------------------------------------------------------------------


def _extract():
    spec = importlib.util.spec_from_file_location("messages", ROOT / "tools" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.extract()


def test_the_template_has_every_message_the_code_uses():
    used = {m.id for m in _extract() if m.id}
    listed = {m.id for m in _messages(POT)}
    assert used == listed, ("run `make messages`: "
                            f"missing {sorted(map(str, used - listed))}, "
                            f"unused {sorted(map(str, listed - used))}")
    assert len(listed) >= 70


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    template = {m.id for m in _messages(POT)}
    catalog = _messages(LOCALE / language / "LC_MESSAGES" / "sphinx_postblog.po")
    assert {m.id for m in catalog} == template
    for message in catalog:
        strings = _strings(message)
        assert all(strings) and not message.fuzzy, message.id
        wanted = set(re.findall(r"\{(\w+)\}", " ".join(_ids(message))))
        for text in strings:
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, (message.id, text)


def test_a_checkout_compiles_its_catalogs_where_it_can(tmp_path, monkeypatch):
    package = tmp_path / "package"
    shutil.copytree(LOCALE, package, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", package)
    mo = package / "de" / "LC_MESSAGES" / "sphinx_postblog.mo"
    assert i18n.compiled_catalogs() == package
    assert mo.is_file() and b"Weiterlesen" in mo.read_bytes()

    # A package folder that cannot be written to: a copy in the temporary directory.
    monkeypatch.setattr(i18n.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    real = i18n._compile

    def read_only(po_dir: Path, language: str) -> None:
        if po_dir.is_relative_to(package):
            raise PermissionError(po_dir)
        real(po_dir, language)

    monkeypatch.setattr(i18n, "_compile", read_only)
    cache = i18n.compiled_catalogs()
    assert cache.is_relative_to(tmp_path / "tmp")
    assert (cache / "fr" / "LC_MESSAGES" / "sphinx_postblog.mo").is_file()
