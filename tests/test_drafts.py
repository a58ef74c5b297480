"""Issue 2, point 8: drafts and future posts are built with a notice but not listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postblog_testing import listed, main, page, section, text, warnings

OLD = "2020-01-01-old-live"
UNPUBLISHED = "2020-03-01-unpublished"
LIVE = "2020-06-01-live"
FUTURE = "2999-01-01-future"

LISTINGS = ("blog/index.html", "blog/tag/onions.html", "blog/category/growing.html",
            "blog/author/ada-lovelace.html", "blog/2020.html")


def _all_lists(app) -> dict[str, list[str]]:
    lists = {path: listed(page(app, path)) for path in LISTINGS}
    soup = page(app, "index.html")
    for heading in ("Recent", "Tagged onions"):
        lists[heading] = listed(soup, section(soup, heading))
    return lists


def _notice(app, name: str):
    return main(page(app, f"_posts/{name}.html")).select_one(".h-entry .postblog-draft-notice")


def _visible(node) -> bool:
    return all(not n.has_attr("hidden") and "display:none" not in n.get("style", "").replace(" ", "")
               for n in [node, *node.parents] if hasattr(n, "has_attr"))


@pytest.mark.sphinx("html", testroot="drafts")
def test_drafts_and_future_posts_are_built_with_a_visible_notice(app):
    app.build()
    for name in (UNPUBLISHED, FUTURE):
        notice = _notice(app, name)
        assert notice is not None, name
        assert text(notice), name
        assert _visible(notice), name
        assert text(main(page(app, f"_posts/{name}.html")).select_one(".e-content"))
    assert _notice(app, LIVE) is None
    assert _notice(app, OLD) is None
    assert warnings(app) == []


@pytest.mark.sphinx("html", testroot="drafts")
def test_drafts_and_future_posts_are_not_listed(app):
    app.build()
    assert _all_lists(app) == {
        **{path: [LIVE, OLD] for path in LISTINGS},
        "Recent": [LIVE, OLD],
        "Tagged onions": [LIVE, OLD],
    }
    assert not Path(app.outdir, "blog/2999.html").exists()


@pytest.mark.sphinx("html", testroot="drafts")
def test_neighbour_links_skip_drafts(app):
    app.build()
    old = main(page(app, f"_posts/{OLD}.html")).select_one(".postblog-footer .postblog-next")
    assert old["href"] == f"{LIVE}.html"
    live = main(page(app, f"_posts/{LIVE}.html"))
    assert live.select(".postblog-footer .postblog-next") == []
    assert live.select_one(".postblog-footer .postblog-prev")["href"] == f"{OLD}.html"


@pytest.mark.sphinx("html", testroot="drafts", confoverrides={"postblog_drafts": True})
def test_postblog_drafts_lists_them(app):
    app.build()
    everything = [FUTURE, LIVE, UNPUBLISHED, OLD]
    lists = _all_lists(app)
    assert lists["blog/index.html"] == everything
    assert lists["blog/tag/onions.html"] == everything
    assert lists["Recent"] == everything
    assert lists["blog/2020.html"] == [LIVE, UNPUBLISHED, OLD]
    assert listed(page(app, "blog/2999.html")) == [FUTURE]


@pytest.mark.sphinx("html", testroot="drafts", confoverrides={"postblog_future": True})
def test_postblog_future_lists_future_posts_only(app):
    app.build()
    lists = _all_lists(app)
    assert lists["blog/index.html"] == [FUTURE, LIVE, OLD]
    assert lists["Tagged onions"] == [FUTURE, LIVE, OLD]
    assert lists["blog/2020.html"] == [LIVE, OLD]
    assert _notice(app, FUTURE) is None
    assert _notice(app, UNPUBLISHED) is not None


@pytest.mark.sphinx("html", testroot="drafts")
def test_today_is_the_build_day(app, monkeypatch):
    # SOURCE_DATE_EPOCH (reproducible builds) says the build happens on 1 April 2020.
    day = dt.datetime(2020, 4, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
    app.build()
    assert listed(page(app, "blog/index.html")) == [OLD]
    assert _notice(app, LIVE) is not None


#: 23:30 UTC on 31 May 2020: already 1 June (01:30) in Berlin.
_LATE_EVENING = dt.datetime(2020, 5, 31, 23, 30, tzinfo=dt.timezone.utc)


@pytest.mark.sphinx("html", testroot="drafts")
def test_today_is_the_day_in_utc_by_default(app, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(_LATE_EVENING.timestamp())))
    app.build()
    assert listed(page(app, "blog/index.html")) == [OLD]


@pytest.mark.sphinx("html", testroot="drafts", confoverrides={"postblog_timezone": "Europe/Berlin"})
def test_today_is_the_day_in_the_blogs_time_zone(app, monkeypatch):
    """A post dated 1 June is out at midnight in Berlin, whatever the clock of the build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(_LATE_EVENING.timestamp())))
    app.build()
    assert listed(page(app, "blog/index.html")) == [LIVE, OLD]
    assert _notice(app, LIVE) is None


@pytest.mark.sphinx("html", testroot="drafts")
def test_a_post_is_listed_once_its_day_comes_without_any_file_changing(
        make_app, app_params, monkeypatch):
    args, kwargs = app_params
    before = dt.datetime(2020, 4, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(before.timestamp())))
    first = make_app(*args, **kwargs)
    first.build()
    assert listed(page(first, "blog/index.html")) == [OLD]
    first.cleanup()

    # Nothing in the sources changes; only the day does.
    after = dt.datetime(2020, 7, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(after.timestamp())))
    second = make_app(*args, **kwargs)
    second.build()
    assert listed(page(second, "blog/index.html")) == [LIVE, OLD]
    assert _notice(second, LIVE) is None
    # The older post's page now links to it as the next post.
    footer = main(page(second, f"_posts/{OLD}.html")).select_one(".postblog-next")
    assert footer is not None and LIVE in footer["href"]
