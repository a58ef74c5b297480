"""Issue 2, point 5: blog index, category, tag, author and year pages; pagination; themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from postblog_testing import listed, main, page, resolve, text, warnings

P1 = "2019-11-05-autumn-notes"
P2 = "2020-02-10-winter-release"
P3 = "2020-06-21-summer-sprint"
P4 = "2021-01-15-new-year"
P5 = "2021-03-03-spring-cleaning"

EXPECTED = {
    "blog/index.html": [P5, P4, P3, P2, P1],
    "blog/category/news.html": [P4, P3, P1],
    "blog/category/releases.html": [P5, P2],
    "blog/tag/python.html": [P3, P2, P1],
    "blog/tag/docs.html": [P4, P2],
    "blog/tag/sprint.html": [P3],
    "blog/tag/maintenance.html": [P5],
    "blog/author/ada.html": [P5, P3, P1],
    "blog/author/bob.html": [P3, P2],
    "blog/author/carol.html": [P4],
    "blog/2019.html": [P1],
    "blog/2020.html": [P3, P2],
    "blog/2021.html": [P5, P4],
}


def _exists(outdir: Path, target: str) -> bool:
    path = Path(outdir, target)
    return path.is_file() or (path / "index.html").is_file()


@pytest.mark.sphinx("html", testroot="index")
@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_each_index_page_lists_exactly_its_posts_newest_first(app, path):
    app.build()
    assert listed(page(app, path)) == EXPECTED[path]


@pytest.mark.sphinx("html", testroot="index")
def test_no_page_for_what_no_post_has(app):
    app.build()
    blog = Path(app.outdir, "blog")
    assert sorted(p.name for p in (blog / "category").glob("*.html")) == [
        "index.html", "news.html", "releases.html"]
    assert sorted(p.name for p in (blog / "tag").glob("*.html")) == [
        "docs.html", "index.html", "maintenance.html", "python.html", "sprint.html"]
    assert sorted(p.name for p in (blog / "author").glob("*.html")) == [
        "ada.html", "bob.html", "carol.html", "index.html"]
    assert sorted(p.name for p in blog.glob("[0-9]*.html")) == [
        "2019.html", "2020.html", "2021.html"]


@pytest.mark.sphinx("html", testroot="index")
def test_blog_index_entries_show_title_date_authors_and_excerpt(app):
    app.build()
    soup = page(app, "blog/index.html")
    entries = main(soup).select(".postblog-list .postblog-entry")
    assert len(entries) == 5
    sprint = entries[2]
    link = sprint.select_one(".postblog-entry-title a")
    assert text(link) == "Summer sprint"
    assert resolve("blog/index.html", link["href"]) == f"_posts/{P3}.html"
    assert Path(app.outdir, "_posts", f"{P3}.html").is_file()
    assert sprint.select_one("time")["datetime"] == "2020-06-21"
    assert text(sprint.select_one("time")) == "21 June 2020"
    authors = sprint.select(".p-author a")
    assert [(text(a), resolve("blog/index.html", a["href"])) for a in authors] == [
        ("Ada Lovelace", "blog/author/ada.html"), ("Bob Smith", "blog/author/bob.html")]
    assert text(sprint.select_one(".postblog-entry-excerpt")) == "A week of coding at the solstice."
    assert [text(e.select_one(".postblog-entry-title a")) for e in entries] == [
        "Spring cleaning", "New year, new docs", "Summer sprint", "Winter release",
        "Autumn notes"]


@pytest.mark.sphinx("html", testroot="index")
def test_listing_page_titles(app):
    app.build()
    titles = {
        "blog/index.html": "Blog",
        "blog/category/news.html": "Category: news",
        "blog/tag/python.html": "Tag: python",
        "blog/author/ada.html": "Posts by Ada Lovelace",
        "blog/2020.html": "Posts from 2020",
    }
    for path, title in titles.items():
        soup = page(app, path)
        assert text(main(soup).find("h1")) == title, path
        assert text(soup.title).startswith(title), path


@pytest.mark.sphinx("html", testroot="index")
def test_author_page_shows_name_avatar_links_and_bio(app):
    app.build()
    card = main(page(app, "blog/author/ada.html")).select_one(".postblog-author-card")
    assert text(card.select_one(".p-name")) == "Ada Lovelace"
    assert card.select_one("img.postblog-avatar")["src"] == "https://avatars.example.org/ada.png"
    assert text(card.select_one(".postblog-bio")) == "Watches comets and writes code."
    hrefs = [a["href"] for a in card.select("a")]
    assert "https://github.com/ada-l" in hrefs
    assert "https://ada.example.org/" in hrefs
    # An author without details still gets a card with the name, and nothing made up.
    carol = main(page(app, "blog/author/carol.html")).select_one(".postblog-author-card")
    assert text(carol.select_one(".p-name")) == "Carol Chen"
    assert carol.select("img, a, .postblog-bio") == []


@pytest.mark.sphinx("html", testroot="index")
def test_overview_pages_link_to_every_collection(app):
    app.build()
    for path, expected in (
        ("blog/tag/index.html", ["blog/tag/docs.html", "blog/tag/maintenance.html",
                                 "blog/tag/python.html", "blog/tag/sprint.html"]),
        ("blog/category/index.html", ["blog/category/news.html", "blog/category/releases.html"]),
        ("blog/author/index.html", ["blog/author/ada.html", "blog/author/bob.html",
                                    "blog/author/carol.html"]),
    ):
        links = main(page(app, path)).select(".postblog-terms a")
        targets = sorted(resolve(path, a["href"]) for a in links)
        assert targets == expected, path


@pytest.mark.sphinx("html", testroot="index", confoverrides={"postblog_per_page": 2})
def test_pagination_of_the_blog_index(app):
    app.build()
    assert listed(page(app, "blog/index.html")) == [P5, P4]
    assert listed(page(app, "blog/page/2.html")) == [P3, P2]
    assert listed(page(app, "blog/page/3.html")) == [P1]
    assert not Path(app.outdir, "blog/page/4.html").exists()
    assert not Path(app.outdir, "blog/page/1.html").exists()

    def nav(path: str) -> dict[str, str]:
        links = main(page(app, path)).select(".postblog-pagination a")
        return {a["rel"][0] if isinstance(a["rel"], list) else a["rel"]: resolve(path, a["href"])
                for a in links}

    assert nav("blog/index.html") == {"next": "blog/page/2.html"}
    assert nav("blog/page/2.html") == {"prev": "blog/index.html", "next": "blog/page/3.html"}
    assert nav("blog/page/3.html") == {"prev": "blog/page/2.html"}


@pytest.mark.sphinx("html", testroot="index", confoverrides={"postblog_per_page": 2})
def test_pagination_of_collection_pages(app):
    app.build()
    assert listed(page(app, "blog/tag/python.html")) == [P3, P2]
    assert listed(page(app, "blog/tag/python/page/2.html")) == [P1]
    assert listed(page(app, "blog/category/news.html")) == [P4, P3]
    assert listed(page(app, "blog/category/news/page/2.html")) == [P1]
    assert listed(page(app, "blog/2020.html")) == [P3, P2]
    assert not Path(app.outdir, "blog/2020/page/2.html").exists()
    nxt = main(page(app, "blog/tag/python.html")).select_one(".postblog-pagination a[rel=next]")
    assert resolve("blog/tag/python.html", nxt["href"]) == "blog/tag/python/page/2.html"


@pytest.mark.sphinx("html", testroot="index", confoverrides={"html_theme": "alabaster"})
def test_generated_pages_render_inside_alabaster(app):
    app.build()
    for path in ("blog/index.html", "blog/tag/python.html", "blog/author/ada.html"):
        soup = page(app, path)
        assert soup.select_one("div.sphinxsidebar") is not None, path
        assert soup.select_one('link[href*="alabaster.css"]') is not None, path
        body = soup.select_one("div.body[role=main]")
        assert body is not None and body.select_one(".postblog-list") is not None, path
        logo = soup.select_one("div.sphinxsidebar h1.logo a")
        assert resolve(path, logo["href"]) == "index.html", path


@pytest.mark.sphinx("html", testroot="index", confoverrides={"html_theme": "furo"})
def test_generated_pages_and_posts_render_inside_furo(app):
    pytest.importorskip("furo")
    app.build()
    soup = page(app, "blog/tag/python.html")
    assert soup.select_one(".sidebar-drawer") is not None
    article = soup.select_one("article[role=main]")
    assert article is not None
    assert listed(soup, article) == [P3, P2, P1]
    post = page(app, f"_posts/{P3}.html")
    content = post.select_one("article[role=main]")
    assert content.select_one(".postblog-header .p-author") is not None
    assert content.select_one(".postblog-footer") is not None


@pytest.mark.sphinx("html", testroot="index", confoverrides={"nitpicky": True})
def test_labels_of_generated_pages_resolve_without_warnings(app):
    app.build()
    assert warnings(app) == []
    links = main(page(app, "refs.html")).select("li a.reference")
    assert [(text(a), resolve("refs.html", a["href"])) for a in links] == [
        ("Blog", "blog/index.html"),
        ("news", "blog/category/news.html"),
        ("python", "blog/tag/python.html"),
        ("Ada Lovelace", "blog/author/ada.html"),
        ("2020", "blog/2020.html"),
        ("Categories", "blog/category/index.html"),
        ("Tags", "blog/tag/index.html"),
        ("Authors", "blog/author/index.html"),
        ("Archive", "blog/archive.html"),
        ("the python tag", "blog/tag/python.html"),
        ("Summer sprint", f"_posts/{P3}.html"),
    ]
    for _, target in [(None, resolve("refs.html", a["href"])) for a in links]:
        assert Path(app.outdir, target).is_file(), target


@pytest.mark.sphinx("dirhtml", testroot="index")
def test_dirhtml_puts_each_page_in_its_folder(app):
    app.build()
    out = Path(app.outdir)
    for folder in ("blog", "blog/tag/python", "blog/category/news", "blog/author/ada",
                   "blog/2020", f"_posts/{P3}"):
        assert (out / folder / "index.html").is_file(), folder
    assert not (out / "blog/tag/python.html").exists()
    assert listed(page(app, "blog/tag/python/index.html")) == [P3, P2, P1]


@pytest.mark.sphinx("dirhtml", testroot="index")
def test_dirhtml_links_between_posts_and_pages_resolve(app):
    app.build()
    out = Path(app.outdir)
    post_path = f"_posts/{P3}/index.html"
    header = main(page(app, post_path)).select_one(".postblog-header")
    targets = [resolve(post_path, a["href"]) for a in header.select("a")]
    assert set(targets) == {"blog/author/ada", "blog/author/bob", "blog/category/news",
                            "blog/tag/sprint", "blog/tag/python"}
    for target in targets:
        assert _exists(out, target), target
    index = main(page(app, "blog/index.html"))
    entries = [resolve("blog/index.html", a["href"])
               for a in index.select(".postblog-entry-title a")]
    assert entries == [f"_posts/{name}" for name in (P5, P4, P3, P2, P1)]
    for target in entries:
        assert _exists(out, target), target
