"""Old URLs keep working: Jekyll permalink patterns, styles, and redirect pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from postblog_testing import warnings, write_site
from sphinx_postblog.jekyll.permalinks import expand, output_file
from sphinx_postblog.model import Post

POST = Post(docname="_posts/2015-12-08-DockerCon-EU-2015", title="t",
            date=dt.datetime(2015, 3, 8, 9, 5, tzinfo=dt.timezone.utc),
            slug="DockerCon-EU-2015", categories=("Dev", "Ops Team"))


@pytest.mark.parametrize(("pattern", "path"), [
    ("/:title/", "/DockerCon-EU-2015/"),
    ("/:slug.html", "/dockercon-eu-2015.html"),
    ("/:categories/:year/:month/:day/:title.html", "/dev/ops-team/2015/03/08/DockerCon-EU-2015.html"),
    ("/:year/:i_month/:i_day/:short_year/:y_day/", "/2015/3/8/15/067/"),
    ("date", "/dev/ops-team/2015/03/08/DockerCon-EU-2015.html"),
    ("pretty", "/dev/ops-team/2015/03/08/DockerCon-EU-2015/"),
    ("ordinal", "/dev/ops-team/2015/067/DockerCon-EU-2015.html"),
    ("none", "/dev/ops-team/DockerCon-EU-2015.html"),
])
def test_jekyll_placeholders_and_styles(pattern, path):
    assert expand(pattern, POST) == path


@pytest.mark.parametrize(("path", "file"), [
    ("/a/", "a/index.html"), ("/a.html", "a.html"), ("/a", "a.html"), ("/", "index.html")])
def test_output_file(path, file):
    assert output_file(path) == file



@pytest.fixture
def site(tmp_path):
    return write_site(tmp_path / "src", {
        "index.md": "# Home\n\n[old link](/first-post/)\n",
        "_posts/2020-01-01-first-post.md": "---\ntitle: First\n---\nSee [two](/custom/place.html).\n",
        "_posts/2020-02-01-second.md":
            "---\ntitle: Second\npermalink: /custom/place.html\n---\nBody.\n",
        "_posts/2020-03-01-dup-a.md": "---\ntitle: A\npermalink: /same/\n---\nA.\n",
        "_posts/2020-03-02-dup-b.md": "---\ntitle: B\npermalink: /same/\n---\nB.\n",
    }, conf='postblog_permalink = "/:title/"\npostblog_url = "https://example.org/"\n')


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_old_urls_redirect_to_posts(make_app, site, builder):
    app = make_app(builder, srcdir=site)
    app.build()
    out = Path(app.outdir)

    def target(old: str) -> Path:
        redirect = BeautifulSoup((out / old).read_text(encoding="utf-8"), "html.parser")
        url = redirect.select_one('meta[http-equiv="refresh"]')["content"].split("url=", 1)[1]
        canonical = redirect.select_one('link[rel="canonical"]')["href"]
        assert canonical.startswith("https://example.org/")
        return (out / old).parent.joinpath(url).resolve()

    # dirhtml serves a post's folder (its index.html) at the folder's URL.
    page = "_posts/2020-01-01-first-post" + (".html" if builder == "html" else "")
    assert target("first-post/index.html") == (out / page).resolve()
    assert target("custom/place.html").parts[-2:] in {
        ("_posts", "2020-02-01-second.html"), ("_posts", "2020-02-01-second")}


def test_same_permalink_warns_once_naming_both(make_app, site):
    app = make_app("html", srcdir=site)
    app.build()
    clashes = [w for w in warnings(app) if "postblog.permalink" in w]
    assert len(clashes) == 1
    assert "2020-03-01-dup-a.md" in clashes[0] and "2020-03-02-dup-b.md" in clashes[0]
    for name in ("2020-03-01-dup-a", "2020-03-02-dup-b"):
        assert (Path(app.outdir) / "_posts" / f"{name}.html").is_file()


def test_site_absolute_links_in_posts_reach_the_post(make_app, site):
    app = make_app("html", srcdir=site)
    app.build()
    soup = BeautifulSoup((Path(app.outdir) / "_posts/2020-01-01-first-post.html").read_text(),
                         "html.parser")
    link = soup.select_one(".e-content a")
    assert link["href"] == "2020-02-01-second.html"
    assert not [w for w in warnings(app) if "myst.xref_missing" in w and "_posts" in w]


@pytest.mark.parametrize(("pattern", "path"), [
    ("../../../etc/passwd", "/etc/passwd"),
    ("/a/./b/../c/", "/a/c/"),
    ("/../:title/", "/DockerCon-EU-2015/"),
    ("/..", "/"),
])
def test_dot_segments_resolve_within_the_site(pattern, path):
    assert expand(pattern, POST) == path


def test_a_hostile_permalink_writes_nothing_outside_the_output(make_app, tmp_path):
    src = write_site(tmp_path / "deep" / "er" / "src", {
        "_posts/2020-01-01-up.md": "---\ntitle: Up\npermalink: ../../../../outside/\n---\nA.\n",
        "_posts/2020-01-02-long.md": "---\ntitle: Long\npermalink: /" + "p" * 400 + "/\n---\nB.\n",
        "_posts/2020-01-03-nul.md": '---\ntitle: NUL\npermalink: "/a\\0b/"\n---\nC.\n',
        "_posts/2020-01-04-blocked.md": "---\ntitle: Blocked\npermalink: /index.html/x/\n---\nD.\n",
    })
    app = make_app("html", srcdir=src, builddir=tmp_path / "deep" / "er" / "build")
    app.build()
    out = Path(app.outdir)
    # Four levels up from the output folder is tmp_path: the redirect stays inside.
    assert out.parents[3] == tmp_path
    assert not (tmp_path / "outside").exists()
    assert (out / "outside" / "index.html").is_file()
    problems = {w.split(":", 1)[0].rsplit("/", 1)[-1]: w
                for w in warnings(app) if "postblog.permalink" in w}
    assert set(problems) == {"2020-01-02-long.md", "2020-01-03-nul.md", "2020-01-04-blocked.md"}
    for name, line in problems.items():
        assert f"{name}:3:" in line, line
    for post in ("up", "long", "nul", "blocked"):
        assert list((out / "_posts").glob(f"2020-01-0?-{post}.html")), post


def test_redirect_from_writes_a_page_at_each_old_address(make_app, tmp_path):
    post = ("---\ntitle: Moved\nredirect_from:\n  - /old/place/\n  - /2014/01/moved.html\n"
            "  - ../../outside/\n---\nBody.\n")
    srcdir = write_site(tmp_path / "src", {"_posts/2020-05-01-moved.md": post})
    app = make_app("html", srcdir=srcdir)
    app.build()
    out = Path(app.outdir)
    for old in ("old/place/index.html", "2014/01/moved.html"):
        redirect = BeautifulSoup((out / old).read_text(encoding="utf-8"), "html.parser")
        url = redirect.select_one('meta[http-equiv="refresh"]')["content"].split("url=", 1)[1]
        assert (out / old).parent.joinpath(url).resolve() == (out / "_posts/2020-05-01-moved.html")
    assert not (tmp_path / "outside").exists()
    assert [w for w in warnings(app) if "outside the site" in w and "[postblog.permalink]" in w]
