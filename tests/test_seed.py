"""Issue 2, acceptance: the seed conference report next to posts of our own.

The seed file is read from ``../shared/corpus`` and copied, at test time, into a temporary
copy of the ``test-seed`` root; it is never stored in this repository.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from postblog_testing import ROOTS, WARNING_LINE, listed, main, page, resolve, text, warnings
from sphinx_postblog.state import blog_state

SEED_FILE = "2015-12-08-dockercon-eu-2015-draft.md"
SEED_PATH = Path(__file__).parents[2] / "shared" / "corpus" / "seed" / SEED_FILE
SEED = SEED_FILE.removesuffix(".md")
SEED_HTML = f"_posts/{SEED}.html"
OLDER = "2014-06-01-older"
MEETUP = "2015-11-20-container-meetup"
NEW_YEAR = "2016-01-05-new-year"

EXPECTED = {
    "blog/index.html": [NEW_YEAR, SEED, MEETUP, OLDER],
    "blog/category/general.html": [SEED, MEETUP, OLDER],
    "blog/category/news.html": [NEW_YEAR],
    "blog/tag/docker.html": [NEW_YEAR, MEETUP],
    "blog/tag/planning.html": [NEW_YEAR],
    "blog/tag/meetup.html": [OLDER],
    "blog/author/thomassc.html": [NEW_YEAR, SEED],
    "blog/author/ada.html": [MEETUP, OLDER],
    "blog/2014.html": [OLDER],
    "blog/2015.html": [SEED, MEETUP],
    "blog/2016.html": [NEW_YEAR],
}


@pytest.fixture
def seed_app(make_app, tmp_path):
    if not SEED_PATH.is_file():
        pytest.skip("../shared/corpus not present")
    srcdir = shutil.copytree(ROOTS / "test-seed", tmp_path / "src")
    shutil.copy(SEED_PATH, srcdir / "_posts" / SEED_FILE)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "_build")
    app.build()
    return app


def test_seed_page_shows_title_date_category_and_author(seed_app):
    soup = page(seed_app, SEED_HTML)
    entry = main(soup).select_one(".h-entry")
    assert text(entry.find("h1")) == "DockerCon EU 2015"
    assert text(soup.title).startswith("DockerCon EU 2015")
    time = entry.select_one(".postblog-header time.dt-published")
    assert time["datetime"] == "2015-12-08"
    assert text(time) == "8 December 2015"
    categories = entry.select(".postblog-header .postblog-category")
    assert [(text(a), resolve(SEED_HTML, a["href"])) for a in categories] == [
        ("general", "blog/category/general.html")]
    authors = entry.select(".postblog-header .p-author a")
    assert [(text(a), resolve(SEED_HTML, a["href"])) for a in authors] == [
        ("ThomasSc", "blog/author/thomassc.html")]


def test_seed_model(seed_app):
    post = blog_state(seed_app.env).posts[f"_posts/{SEED}"]
    assert post.title == "DockerCon EU 2015"
    assert post.date.date() == dt.date(2015, 12, 8)
    assert list(post.categories) == ["general"]
    assert [a.key for a in post.authors] == ["ThomasSc"]
    assert post.description == "Notes from DevOpsCon 2015"
    assert post.subtitle == ""


def test_exactly_one_warning_about_subtite_with_file_and_line(seed_app):
    about = [w for w in warnings(seed_app) if "subtite" in w]
    assert len(about) == 1, warnings(seed_app)
    match = WARNING_LINE.match(about[0])
    assert match is not None, about[0]
    assert Path(match["path"]).name == SEED_FILE
    assert match["line"] == "4"
    assert f"{SEED_FILE}:4" in about[0]
    assert "'subtitle'" in match["message"]
    assert match["type"] == "postblog.frontmatter"


def test_seed_builds_without_other_warnings(seed_app):
    others = [w for w in warnings(seed_app) if "subtite" not in w]
    assert others == []


def test_seed_body_headings_stay_inside_the_post(seed_app):
    entry = main(page(seed_app, SEED_HTML)).select_one(".h-entry")
    assert len(entry.find_all("h1")) == 1
    headings = [text(h) for h in entry.select_one(".e-content").find_all("h2")]
    assert headings[:2] == ["Insights, Outlooks and Inbetweens", "Day one"]


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_index_pages_list_exactly_the_right_posts(seed_app, path):
    assert listed(page(seed_app, path)) == EXPECTED[path]
