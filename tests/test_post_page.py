"""Issue 2, point 4: the post page: header, footer, microformats, JSON-LD, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from postblog_testing import blog_posting, json_ld, main, page, resolve, text, warnings

FEATURE = "_posts/2021-06-15-feature"
FEATURE_HTML = f"{FEATURE}.html"
HOSTILE_HTML = "_posts/2021-08-01-hostile.html"
FEATURE_BODY = ("Chillies, garlic and salt water went into a jar on the shelf. "
                "Tasting After ten days it was sour and hot.")

HOSTILE_TITLE = "</script><script>alert(1)</script>"
HOSTILE_SUBTITLE = "A <b>bold</b> subtitle & more"
HOSTILE_DESCRIPTION = "Ends with </script><script>alert(2)</script>"
HOSTILE_AUTHOR = "<i>Mallory</i>"
HOSTILE_CATEGORY = '"><img src=x onerror=alert(3)>'
HOSTILE_TAGS = ["it's", 'say "hi"', "<em>x</em>"]


def _links(soup, selector: str, base: str = FEATURE_HTML) -> list[tuple[str, str]]:
    return [(text(a), resolve(base, a["href"])) for a in main(soup).select(selector)]


@pytest.mark.sphinx("html", testroot="postpage")
def test_header_title_subtitle_byline_and_date(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    entry = main(soup).select_one(".h-entry")
    assert text(entry.find("h1")) == "Fermenting hot sauce"
    header = entry.select_one(".postblog-header")
    assert text(header.select_one(".postblog-subtitle")) == "Ten days of patience"
    assert _links(soup, ".postblog-header .postblog-byline .p-author a") == [
        ("Ada Lovelace", "blog/author/ada.html")]
    time = header.select_one("time.dt-published")
    assert time["datetime"] == "2021-06-15"
    assert text(time) == "15 June 2021"
    assert text(header.select_one(".postblog-reading-time")) == "1 min read"


@pytest.mark.sphinx("html", testroot="postpage")
def test_header_category_and_tag_links(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    assert _links(soup, ".postblog-header .postblog-category") == [
        ("Preserving", "blog/category/preserving.html")]
    assert _links(soup, ".postblog-header .postblog-tag") == [
        ("chilli", "blog/tag/chilli.html"), ("fermentation", "blog/tag/fermentation.html")]
    for _, target in _links(soup, ".postblog-header a"):
        assert Path(app.outdir, target).is_file(), target


@pytest.mark.sphinx("html", testroot="postpage",
                    confoverrides={"postblog_words_per_minute": 5})
def test_reading_time_follows_word_count_and_speed(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    # 21 words at 5 words a minute: 4.2, rounded up.
    assert text(main(soup).select_one(".postblog-reading-time")) == "5 min read"


@pytest.mark.sphinx("html", testroot="postpage")
def test_header_image_is_shown_and_copied(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    images = main(soup).select(".postblog-header img")
    assert len(images) == 1
    target = resolve(FEATURE_HTML, images[0]["src"])
    assert target == "_images/header.svg"
    assert Path(app.outdir, target).is_file()
    assert not [w for w in warnings(app) if "image" in w]


@pytest.mark.sphinx("html", testroot="postpage")
def test_footer_links_to_previous_and_next_post(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    footer = main(soup).select_one(".postblog-footer")
    prev, nxt = footer.select_one("a.postblog-prev"), footer.select_one("a.postblog-next")
    assert resolve(FEATURE_HTML, prev["href"]) == "_posts/2021-05-01-older.html"
    assert text(prev.select_one(".postblog-nav-title")) == "Sourdough starter"
    assert resolve(FEATURE_HTML, nxt["href"]) == "_posts/2021-07-01-newer.html"
    assert text(nxt.select_one(".postblog-nav-title")) == "Pickled onions"
    oldest = main(page(app, "_posts/2021-05-01-older.html")).select_one(".postblog-footer")
    assert oldest.select("a.postblog-prev") == []
    assert len(oldest.select("a.postblog-next")) == 1
    newest = main(page(app, HOSTILE_HTML)).select_one(".postblog-footer")
    assert newest.select("a.postblog-next") == []


@pytest.mark.sphinx("html", testroot="postpage")
def test_microformats_classes(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    entries = soup.select(".h-entry")
    assert len(entries) == 1
    entry = entries[0]
    assert [text(n) for n in entry.select(".p-name") if n.name == "h1"] == ["Fermenting hot sauce"]
    assert text(entry.select_one(".p-summary")) == "How we fermented chillies for a fortnight."
    cards = entry.select(".p-author.h-card")
    assert [text(c) for c in cards] == ["Ada Lovelace"]
    assert entry.select_one(".dt-published")["datetime"] == "2021-06-15"
    assert [text(c) for c in entry.select(".postblog-header .p-category")] == [
        "Preserving", "chilli", "fermentation"]


@pytest.mark.sphinx("html", testroot="postpage")
def test_e_content_holds_exactly_the_body(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    contents = soup.select(".e-content")
    assert len(contents) == 1
    content = contents[0]
    assert text(content) == FEATURE_BODY
    assert content.find("h1") is None
    assert content.select(".postblog-header, .postblog-footer, .p-name, time") == []
    # The body is inside the entry.
    assert content.find_parent(class_="h-entry") is not None


@pytest.mark.sphinx("html", testroot="postpage")
def test_json_ld_blog_posting(app):
    app.build()
    soup = page(app, FEATURE_HTML)
    data = blog_posting(soup)
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Fermenting hot sauce"
    assert data["alternativeHeadline"] == "Ten days of patience"
    assert data["description"] == "How we fermented chillies for a fortnight."
    assert [(p["@type"], p["name"]) for p in data["author"]] == [("Person", "Ada Lovelace")]
    assert data["datePublished"].startswith("2021-06-15")
    assert data["keywords"] == ["chilli", "fermentation"]
    assert data["articleSection"] == "Preserving"
    assert data["wordCount"] == len(text(soup.select_one(".e-content")).split()) == 21


@pytest.mark.sphinx("html", testroot="postpage")
def test_json_ld_image_is_the_copied_header_image(app):
    app.build()
    data = blog_posting(page(app, FEATURE_HTML))
    assert data["image"].endswith("_images/header.svg")


@pytest.mark.sphinx("html", testroot="postpage")
def test_json_ld_lists_every_author_as_a_person(app):
    app.build()
    data = blog_posting(page(app, "_posts/2021-07-01-newer.html"))
    assert [(p["@type"], p["name"]) for p in data["author"]] == [
        ("Person", "Ada Lovelace"), ("Person", "Bob Smith")]
    assert data["keywords"] == ["pickles"]
    assert "alternativeHeadline" not in data


@pytest.mark.sphinx("html", testroot="postpage",
                    confoverrides={"postblog_url": "https://kitchen.example.org/"})
def test_json_ld_urls_with_a_site_url(app):
    app.build()
    data = blog_posting(page(app, FEATURE_HTML))
    assert data["url"] == "https://kitchen.example.org/_posts/2021-06-15-feature.html"
    assert all(person["url"].startswith("https://") for person in data["author"])


@pytest.mark.sphinx("html", testroot="posts")
def test_json_ld_date_keeps_time_and_offset(app):
    app.build()
    data = blog_posting(page(app, "_posts/2016-03-01-with-offset.html"))
    assert data["datePublished"] == "2016-03-01T14:30:00+02:00"


@pytest.mark.sphinx("html", testroot="postpage")
def test_other_pages_carry_no_blog_posting(app):
    app.build()
    for path in ("index.html", "blog/index.html", "blog/tag/chilli.html"):
        assert [d for d in json_ld(page(app, path)) if d.get("@type") == "BlogPosting"] == [], path


# -- hostile front matter ------------------------------------------------------------------

HOSTILE_PAGES = [
    HOSTILE_HTML,
    "_posts/2021-07-01-newer.html",  # links to it as the next post
    "blog/index.html",
    "blog/2021.html",
    "blog/tag/it-s.html",
    "blog/tag/say-hi.html",
    "blog/tag/em-x-em.html",
    "blog/tag/index.html",
    "blog/category/index.html",
    "blog/author/index.html",
]


def _assert_nothing_injected(soup, path: str) -> None:
    for tag in ("b", "i", "em"):
        assert soup.find_all(tag) == [], (path, tag)
    assert [img for img in soup.find_all("img") if img.has_attr("onerror")] == [], path
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue
        assert "alert(" not in (script.string or ""), (path, script)
        assert script.get("src") != "x", path


@pytest.mark.parametrize("theme", ["basic", "alabaster"])
@pytest.mark.parametrize("postblog_url", ["", "https://evil.example.org/"])
@pytest.mark.sphinx("html", testroot="postpage")
def test_hostile_front_matter_is_escaped_everywhere(make_app, app_params, postblog_url, theme):
    args, kwargs = app_params
    app = make_app(*args, **kwargs,
                   confoverrides={"postblog_url": postblog_url, "html_theme": theme})
    app.build()
    for path in HOSTILE_PAGES:
        _assert_nothing_injected(page(app, path), path)
    author_pages = list(Path(app.outdir, "blog/author").glob("*.html"))
    category_pages = list(Path(app.outdir, "blog/category").glob("*.html"))
    for file in author_pages + category_pages:
        path = file.relative_to(app.outdir).as_posix()
        _assert_nothing_injected(page(app, path), path)


@pytest.mark.sphinx("html", testroot="postpage")
def test_hostile_front_matter_is_shown_as_text(app):
    app.build()
    soup = page(app, HOSTILE_HTML)
    entry = main(soup).select_one(".h-entry")
    assert text(soup.title).startswith(HOSTILE_TITLE)
    assert text(entry.find("h1")) == HOSTILE_TITLE
    assert text(entry.select_one(".postblog-subtitle")) == HOSTILE_SUBTITLE
    assert [text(a) for a in entry.select(".postblog-header .p-author a")] == [HOSTILE_AUTHOR]
    assert [text(a) for a in entry.select(".postblog-header .postblog-category")] == [
        HOSTILE_CATEGORY]
    assert [text(a) for a in entry.select(".postblog-header .postblog-tag")] == HOSTILE_TAGS
    assert text(entry.select_one(".p-summary")) == HOSTILE_DESCRIPTION
    index = main(page(app, "blog/index.html"))
    assert HOSTILE_TITLE in [text(a) for a in index.select(".postblog-entry-title a")]
    newer = main(page(app, "_posts/2021-07-01-newer.html"))
    assert text(newer.select_one(".postblog-footer .postblog-next .postblog-nav-title")) == (
        HOSTILE_TITLE)


@pytest.mark.sphinx("html", testroot="postpage")
def test_hostile_names_are_the_text_of_generated_page_titles(app):
    app.build()
    expected = {
        "blog/tag/em-x-em.html": "Tag: <em>x</em>",
        "blog/tag/say-hi.html": 'Tag: say "hi"',
        "blog/category/img-src-x-onerror-alert-3.html": f"Category: {HOSTILE_CATEGORY}",
        "blog/author/i-mallory-i.html": f"Posts by {HOSTILE_AUTHOR}",
    }
    for path, title in expected.items():
        soup = page(app, path)
        assert text(main(soup).find("h1")) == title, path
        assert text(soup.title).startswith(title), path


@pytest.mark.sphinx("html", testroot="postpage")
def test_hostile_front_matter_round_trips_through_json_ld(app):
    app.build()
    soup = page(app, HOSTILE_HTML)
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    # The JSON text cannot close its script element early.
    assert "</script" not in scripts[0].string.lower()
    data = blog_posting(soup)
    assert data["headline"] == HOSTILE_TITLE
    assert data["alternativeHeadline"] == HOSTILE_SUBTITLE
    assert data["description"] == HOSTILE_DESCRIPTION
    assert data["keywords"] == HOSTILE_TAGS
    assert data["articleSection"] == HOSTILE_CATEGORY
    assert [p["name"] for p in data["author"]] == [HOSTILE_AUTHOR]


@pytest.mark.sphinx("html", testroot="postpage",
                    confoverrides={"postblog_url": "https://evil.example.org/"})
def test_hostile_front_matter_in_opengraph_attributes(app):
    app.build()
    soup = page(app, HOSTILE_HTML)
    titles = [m["content"] for m in soup.find_all("meta", property="og:title")]
    assert titles == [HOSTILE_TITLE]
    descriptions = [m["content"] for m in soup.find_all("meta", property="og:description")]
    assert descriptions == [HOSTILE_DESCRIPTION]
