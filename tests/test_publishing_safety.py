"""Issue 13, points 1-3: nothing outside the source folder published, drafts not found,
one page per name.

The hostile corpus (``roots/test-hostile-publishing``) names a secret file outside the
source folder every way a post can: ``header-img`` by ``..`` and by absolute path, an
avatar in the authors file and in front matter, raw ``<img>``, Markdown images, a
download, ``literalinclude`` and ``include``, and a symlink inside the source folder.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from postblog_testing import (
    ROOTS,
    WARNING_LINE,
    edit,
    listed_titles,
    main,
    page,
    resolve,
    text,
    warnings,
    write_site,
)
from sphinx_postblog.model import Event, Speaker, name_slug, slugify, symbol_slug
from sphinx_postblog.reading import yamlsafe
from sphinx_postblog.slugs import SlugTable

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = ROOTS / "test-hostile-publishing"
POSTS = sorted(p.stem for p in (ROOT / "_posts").glob("*.md"))
DRAFT, FUTURE, LIVE = "2021-04-01-draft", "2999-01-01-far-future", "2021-04-02-live"
#: Words only the draft and the future post have, and one only the live post has.
HIDDEN_WORDS, LIVE_WORD = ("zebracornbuoy", "quasarlantern", "zebracorn"), "quokkalighthouse"


def _site(base: Path) -> tuple[Path, str]:
    """The corpus in ``base/src``, its secret in ``base/secret-key.png`` (a unique marker)."""
    src = shutil.copytree(ROOT, base / "src")
    marker = f"POSTBLOG-SECRET-{uuid.uuid4().hex}"
    secret = base / "secret-key.png"
    secret.write_text(f"{marker}\n", encoding="utf-8")
    (src / "images" / "leak.svg").symlink_to(secret)
    for post in (src / "_posts").glob("*.md"):
        post.write_text(post.read_text(encoding="utf-8").replace("@SECRET@", str(secret)),
                        encoding="utf-8")
    return src, marker


def _build(src: Path, **kwargs) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=src, builddir=src.parent / "_build", **kwargs)
    app.build()
    return app


@pytest.fixture(scope="module", params=[1, 2], ids=["serial", "parallel"])
def built(request, tmp_path_factory) -> Iterator[tuple[SphinxTestApp, str]]:
    """One build of the corpus, serial and with ``-j 2``."""
    src, marker = _site(tmp_path_factory.mktemp("hostile"))
    app = _build(src, parallel=request.param)
    yield app, marker
    app.cleanup()


def _lines(app: SphinxTestApp, subtype: str) -> set[tuple[str, str, str]]:
    """``(file name, line, message)`` of each warning of ``postblog.<subtype>``."""
    found = set()
    for line in warnings(app):
        match = WARNING_LINE.match(line)
        if match and match["type"] == f"postblog.{subtype}":
            found.add((Path(match["path"]).name, match["line"] or "", match["message"]))
    return found


def _search_index(app: SphinxTestApp) -> dict:
    script = Path(app.outdir, "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", script, re.DOTALL).group(1))


# -- 1. nothing outside the source folder ---------------------------------------------------


def test_the_secret_is_nowhere_in_the_output(built):
    app, marker = built
    found = [path for path in Path(app.outdir).parent.rglob("*")  # the pages and doctrees
             if path.is_file() and marker.encode() in path.read_bytes()]
    assert found == []
    assert not any(p.name == "secret-key.png" for p in Path(app.outdir).rglob("*"))


def test_every_path_outside_is_a_located_security_warning(built):
    app, _ = built
    secret = f"{Path(app.srcdir).parent}/secret-key.png"
    found = {(name, line, message.removesuffix(" is outside the source folder; it is left out"))
             for name, line, message in _lines(app, "security")}
    assert found == {
        ("authors.yml", "6", "avatar '../secret-key.png' of author 'mallory'"),
        ("authors.yml", "9", "avatar 'images/leak.svg' of author 'linky'"),
        ("2021-03-01-relative-hero.md", "4", "image '../../secret-key.png'"),
        ("2021-03-03-raw-images.md", "8", "image '../../secret-key.png'"),
        ("2021-03-03-raw-images.md", "8", "image '/images/leak.svg'"),
        ("2021-03-04-symlink-hero.md", "4", "image 'images/leak.svg'"),
        ("2021-03-05-body-files.md", "8", "image '../../secret-key.png'"),
        ("2021-03-05-body-files.md", "10", "download '../../secret-key.png'"),
        ("2021-03-05-body-files.md", "12", f"included file '{secret}'"),  # literalinclude
        ("2021-03-05-body-files.md", "15", "included file '../secret-key.png'"),  # include
        ("2021-03-06-inline-author.md", "3", "avatar '../../secret-key.png' of author 'Eve Visitor'"),
    }


def test_an_absolute_path_is_read_from_the_source_folder(built):
    """``/x`` is the source folder's ``x`` (Sphinx and Jekyll agree): a machine path is not there."""
    app, _ = built
    assert any(name == "2021-03-02-absolute-hero.md" and line == "4" and "is not in the source "
               "folder" in message for name, line, message in _lines(app, "image"))
    hero = main(page(app, "_posts/2021-03-02-absolute-hero.html"))
    assert hero.select(".postblog-hero img, img.u-photo") == []


def test_every_picture_the_site_shows_is_its_own(built):
    app, _ = built
    outdir = Path(app.outdir)
    for file in outdir.rglob("*.html"):
        path = file.relative_to(outdir).as_posix()
        for img in page(app, path).find_all("img"):
            src = img.get("src", "")
            assert "secret" not in src, (path, src)
            if "://" not in src and not src.startswith("data:"):
                target = resolve(path, src)
                assert not target.startswith(".."), (path, src)
                assert (outdir / target).is_file(), (path, src)
    assert Path(app.outdir, "images/ada.svg").is_file()  # an avatar inside is still copied
    assert sorted(p.name for p in Path(app.outdir, "_images").iterdir()) == ["hero.svg"]
    raw = main(page(app, "_posts/2021-03-03-raw-images.html"))
    assert [img["alt"] for img in raw.find_all("img")] == ["tower"]
    assert "Three pictures" in text(raw)


def test_every_post_page_is_still_written(built):
    app, _ = built
    for name in POSTS:
        soup = page(app, f"_posts/{name}.html")
        assert main(soup).select_one(".h-entry"), name


# -- 2. drafts are not found --------------------------------------------------------------


def test_drafts_are_not_in_the_search_index(built):
    app, _ = built
    index = _search_index(app)
    assert f"_posts/{LIVE}" in index["docnames"]
    for name in (DRAFT, FUTURE):
        assert f"_posts/{name}" not in index["docnames"]
        assert f"_posts/{name}.md" not in index["filenames"]
    terms = set(index["terms"]) | set(index["titleterms"])
    assert not [t for t in terms if t.startswith(("zebracorn", "quasarlantern"))]
    assert [t for t in terms if t.startswith("quokka")]
    assert not [title for title in index["alltitles"] if "zebracorn" in title.lower()]


def _robots(app: SphinxTestApp, name: str) -> list[str]:
    return [m["content"] for m in page(app, f"_posts/{name}.html").find_all("meta", attrs={"name": "robots"})]


def _source_links(app: SphinxTestApp, name: str) -> list[str]:
    return [a["href"] for a in page(app, f"_posts/{name}.html").find_all("a", href=True)
            if "_sources/" in a["href"]]


def test_drafts_have_no_source_copy_no_source_link_and_noindex(built):
    app, _ = built
    sources = Path(app.outdir, "_sources", "_posts")
    for name in (DRAFT, FUTURE):
        assert not (sources / f"{name}.md.txt").exists()
        assert _source_links(app, name) == []
        assert _robots(app, name) == ["noindex"]
        notice = main(page(app, f"_posts/{name}.html")).select_one(".postblog-draft-notice")
        assert notice is not None
        assert text(notice)
    assert (sources / f"{LIVE}.md.txt").is_file()
    assert _source_links(app, LIVE)
    assert _robots(app, LIVE) == []


@pytest.mark.parametrize("overrides", [{"postblog_drafts": "1"},  # as -D gives it
                                       {"postblog_drafts": True, "postblog_future": True}])
def test_a_preview_is_never_indexed(tmp_path, overrides):
    src, _ = _site(tmp_path)
    app = _build(src, confoverrides=overrides)
    try:
        listed = [a["href"] for a in main(page(app, "blog/index.html")).select(
            ".postblog-entry-title a")]
        assert f"../_posts/{DRAFT}.html" in listed
        assert _robots(app, DRAFT) == ["noindex"]
        assert f"_posts/{DRAFT}" not in _search_index(app)["docnames"]
        # postblog_future publishes future posts: indexed like any other then.
        future_indexed = f"_posts/{FUTURE}" in _search_index(app)["docnames"]
        assert future_indexed == overrides.get("postblog_future", False)
        assert (_robots(app, FUTURE) == []) == future_indexed
    finally:
        app.cleanup()


def _state(app: SphinxTestApp, name: str) -> tuple[bool, bool, list[str]]:
    """Whether the post is searchable, has a source copy, and its robots meta."""
    return (f"_posts/{name}" in _search_index(app)["docnames"],
            Path(app.outdir, "_sources", "_posts", f"{name}.md.txt").is_file(),
            _robots(app, name))


@pytest.mark.parametrize("parallel", [1, 2])
def test_a_post_that_becomes_a_draft_is_hidden_and_back(tmp_path, parallel):
    src, _ = _site(tmp_path)
    live = src / "_posts" / f"{LIVE}.md"
    written = live.read_text(encoding="utf-8")
    app = _build(src, parallel=parallel)
    assert _state(app, LIVE) == (True, True, [])
    app.cleanup()
    edit(live, written.replace("tags: [buoys]", "tags: [buoys]\npublished: false"))
    app = _build(src, parallel=parallel)
    assert _state(app, LIVE) == (False, False, ["noindex"])
    assert "quokkalighthous" not in _search_index(app)["terms"]
    app.cleanup()
    edit(live, written)
    app = _build(src, parallel=parallel)
    assert _state(app, LIVE) == (True, True, [])
    assert "quokkalighthous" in _search_index(app)["terms"]
    assert f"_posts/{DRAFT}" not in _search_index(app)["docnames"]
    app.cleanup()


# -- 3. one page per name ----------------------------------------------------------------


def _terms(app: SphinxTestApp, kind: str) -> dict[str, str]:
    """Name → output path of each entry of a terms page (``blog/tag/index.html``)."""
    path = f"blog/{kind}/index.html"
    return {text(a): resolve(path, a["href"]) for a in main(page(app, path)).select("li a")}


def test_names_never_take_the_blogs_own_pages(built):
    app, _ = built
    tags = _terms(app, "tag")
    assert tags == {
        "index": "blog/tag/index-2.html", "page": "blog/tag/page-2.html",
        "C++": "blog/tag/c.html", "C": "blog/tag/c-2.html", "rss": "blog/tag/rss.html",
        "🐍": "blog/tag/snake.html", "+++": "blog/tag/plus-sign-plus-sign-plus-sign.html",
        "docs": "blog/tag/docs.html", "sphinx": "blog/tag/sphinx-2.html",
        "lamps": "blog/tag/lamps.html", "guests": "blog/tag/guests.html",
        "buoys": "blog/tag/buoys.html", "keys": "blog/tag/keys.html",
    }
    assert _terms(app, "category") == {"index": "blog/category/index-2.html",
                                       "Notes": "blog/category/notes.html"}
    for path in tags.values():
        assert main(page(app, path)).select(".postblog-entry"), path
    heading = {path: text(main(page(app, path)).find("h1")) for path in tags.values()}
    assert heading["blog/tag/c.html"] == "Tag: C++"
    assert heading["blog/tag/c-2.html"] == "Tag: C"
    assert heading["blog/tag/index-2.html"] == "Tag: index"
    assert heading["blog/tag/snake.html"] == "Tag: 🐍"
    assert "Our own page about sphinx moths" in text(main(page(app, "blog/tag/sphinx.html")))
    for kind, slug in (("tag", "index-2"), ("tag", "c-2"), ("category", "index-2")):
        assert Path(app.outdir, f"blog/{kind}/{slug}.atom.xml").is_file()


def test_a_posts_header_links_each_name_to_its_own_page(built):
    app, _ = built
    path = "_posts/2021-05-01-reserved-names.html"
    header = main(page(app, path))

    def links(selector: str) -> list[tuple[str, str]]:
        return [(text(a), resolve(path, a["href"])) for a in header.select(selector)]

    assert links(".postblog-categories a") == [("index", "blog/category/index-2.html")]
    assert links(".postblog-tags a") == [
        ("index", "blog/tag/index-2.html"), ("page", "blog/tag/page-2.html"),
        ("C++", "blog/tag/c.html"), ("rss", "blog/tag/rss.html")]


def test_names_sharing_a_slug_are_one_located_warning(built):
    app, _ = built
    own = "its slug names one of the blog's own pages; its page is"
    assert _lines(app, "slug") == {
        ("2021-05-01-reserved-names.md", "4", f"the category 'index': {own} blog/category/index-2"),
        ("2021-05-01-reserved-names.md", "5", f"the tag 'index': {own} blog/tag/index-2"),
        ("2021-05-01-reserved-names.md", "5", f"the tag 'page': {own} blog/tag/page-2"),
        ("2021-05-02-look-alikes.md", "5",
         "the tag 'C': it has the slug of the tag 'C++', met first; its page is blog/tag/c-2"),
        ("2021-05-03-same-name.md", "5",
         ("the tag names 'Docs' and 'docs' differ only in case or spacing: they share one page, "
         "blog/tag/docs (write them alike)")),
        ("2021-05-03-same-name.md", "5",
         ("the tag 'sphinx': its page would take the place of the project document "
         "blog/tag/sphinx; its page is blog/tag/sphinx-2")),
    }


def test_keys_written_twice_warn_at_the_second(built):
    app, _ = built
    twice = "is written twice in one mapping; the last value is used"
    assert {(name, line, message) for name, line, message in _lines(app, "frontmatter")
            if "twice" in message} == {
        ("2021-06-01-written-twice.md", "5", f"front matter key 'title' {twice}"),
        ("2021-06-01-written-twice.md", "8", f"front matter key 'name' {twice}"),
    }
    assert text(main(page(app, "_posts/2021-06-01-written-twice.html")).find("h1")) == "Second title"


def test_duplicate_keys_are_noted_by_the_loader():
    duplicates: list[tuple[str, int]] = []
    data = yamlsafe.load("a: 1\nb: 2\na: 3\nbase: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n", duplicates)
    assert data["a"] == 3
    assert data["m"] == {"x": 2}  # a merge overridden on purpose is not a duplicate
    assert duplicates == [("a", 2)]


def test_slugs_of_normal_names_do_not_change():
    for name in ("Holger Reinhardt", "Docker", "C++", "日本語", "rss", "atom", "feed"):
        assert name_slug(name) == slugify(name)
    assert name_slug("index") == name_slug("Index") == "index-2"
    assert name_slug("page") == "page-2"
    assert name_slug("🐍") == symbol_slug("🐍") == "snake"
    assert name_slug("❤️") == "heavy-black-heart"
    assert name_slug("\ue000").startswith("u-")
    assert name_slug("\ue000") == name_slug("\ue000")
    assert name_slug("   ") == ""
    assert Speaker(name="Index").slug == "index-2"
    assert Event(name="Page").slug == "page-2"


def test_slug_table_is_oldest_first_and_avoids_documents():
    table = SlugTable("blog", frozenset({"blog/tag/python", "blog/tag/go/index", "about"}))
    assert table.slug("tag", "C++", "a") == "c"
    assert table.slug("tag", "C", "b") == "c-2"
    assert table.slug("tag", "C 2", "b") == "c-2-2"
    assert table.slug("tag", "c++", "c") == "c"
    assert table.slug("tag", "Python", "c") == "python-2"
    assert table.slug("tag", "go", "c") == "go-2"
    assert table.slug("tag", "about", "c") == "about"
    assert table.slug("category", "C", "c") == "c"  # each kind has its own folder
    assert [(c.name, c.holder, c.merged, c.document) for c in table.clashes] == [
        ("C", "C++", False, False), ("C 2", "C", False, False), ("c++", "C++", True, False),
        ("Python", "blog/tag/python", False, True), ("go", "blog/tag/go/index", False, True)]


def test_authors_and_lists_follow_the_slug_a_name_got(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "index.md": "# Home\n\n```{postlist}\n:tag: C\n```\n",
        "_posts/2020-01-01-one.md": "---\ntitle: One\nauthor: J. Doe\ntags: [\"C++\"]\n---\nOne.\n",
        "_posts/2020-01-02-two.md": "---\ntitle: Two\nauthor: J Doe\ntags: [C]\n---\nTwo.\n",
        "_posts/2020-01-03-three.md": "---\ntitle: Three\nauthor: j. doe\n---\nThree.\n",
    })
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    authors = {text(a): resolve("blog/author/index.html", a["href"])
               for a in main(page(app, "blog/author/index.html")).select("li a")}
    # One person written three ways is one author: one page, and a warning per spelling.
    assert sorted(authors.values()) == ["blog/author/j-doe.html"]
    assert listed_titles(page(app, "blog/author/j-doe.html")) == ["Three", "Two", "One"]
    byline = main(page(app, "_posts/2020-01-02-two.html")).select_one(".postblog-authors a")
    assert resolve("_posts/2020-01-02-two.html", byline["href"]) == "blog/author/j-doe.html"
    assert listed_titles(page(app, "index.html")) == ["Two"]  # :tag: C is C, not C++
    assert {(name, line) for name, line, _ in _lines(app, "slug")} == {
        ("2020-01-02-two.md", "3"), ("2020-01-02-two.md", "4"), ("2020-01-03-three.md", "3")}
