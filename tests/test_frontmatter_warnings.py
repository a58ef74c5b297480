"""Issue 2, point 9: each front matter problem is one located, typed warning; the post builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postblog_testing import WARNING_LINE, listed, main, page, text, warnings, write_site
from sphinx_postblog.state import blog_state

#: file -> (allowed lines, pattern the message must match)
CASES = {
    "2020-01-01-typo-key.md": (
        {3}, r"unknown front matter key 'subtite' \(did you mean 'subtitle'\?\)"),
    "2020-01-02-wrong-tags.md": ({4}, r"'tags'"),
    "2020-01-03-bad-date.md": ({3}, r"not-a-date"),
    "2015-13-45-impossible.md": ({1, 2}, r"2015-13-45"),
    "2020-01-05-bad-yaml.md": ({2, 3, 4}, r"YAML"),
    "2020-01-06-unclosed.md": ({1}, r"opened with '---' is never closed"),
    "2020-01-07-month-13.md": ({3}, r"'date: 2015-13-45' is not a date"),
    "2020-01-08-updated-before.md": ({4}, r"'last_modified_at' is before the post's date"),
    "2020-01-09-event-backwards.md": ({3}, r"event end 2020-01-08 is before its start"),
}


def _parsed(app) -> list[dict[str, str]]:
    found = []
    for line in warnings(app):
        match = WARNING_LINE.match(line)
        assert match is not None, line
        found.append(match.groupdict())
    return found


def _for_file(app, name: str) -> list[dict[str, str]]:
    return [w for w in _parsed(app) if Path(w["path"]).name == name]


@pytest.mark.sphinx("html", testroot="fmwarnings")
@pytest.mark.parametrize("name", sorted(CASES))
def test_exactly_one_located_typed_warning(app, name):
    app.build()
    lines, pattern = CASES[name]
    found = _for_file(app, name)
    assert len(found) == 1, found
    warning = found[0]
    assert Path(warning["path"]) == Path(app.srcdir, "_posts", name)
    assert warning["line"] is not None and int(warning["line"]) in lines, warning
    assert warning["type"] == "postblog.frontmatter", warning
    assert re.search(pattern, warning["message"]), warning


@pytest.mark.sphinx("html", testroot="fmwarnings")
def test_one_warning_per_problem_in_all(app):
    app.build()
    assert len(warnings(app)) == len(CASES), warnings(app)


@pytest.mark.sphinx("html", testroot="fmwarnings")
def test_no_traceback(app):
    app.build()
    log = app.status.getvalue() + app.warning.getvalue()
    assert "Traceback" not in log
    assert "Exception" not in log


@pytest.mark.sphinx("html", testroot="fmwarnings")
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_post_still_builds(app, name):
    app.build()
    docname = f"_posts/{name.removesuffix('.md')}"
    assert docname in blog_state(app.env).posts
    soup = page(app, f"{docname}.html")
    entry = main(soup).select_one(".h-entry")
    assert entry is not None
    assert text(entry.select_one(".e-content"))


@pytest.mark.sphinx("html", testroot="fmwarnings")
def test_good_values_next_to_a_bad_one_are_kept(app):
    app.build()
    posts = blog_state(app.env).posts
    typo = posts["_posts/2020-01-01-typo-key"]
    assert typo.title == "A typo in a key"
    assert typo.subtitle == ""
    assert list(typo.tags) == ["apples"]
    assert ("subtite", "This was meant to be the subtitle") in typo.extra
    wrong_tags = posts["_posts/2020-01-02-wrong-tags"]
    assert list(wrong_tags.tags) == []
    assert list(wrong_tags.categories) == ["trees"]
    bad_date = posts["_posts/2020-01-03-bad-date"]
    assert bad_date.title == "A date that is no date"
    assert bad_date.date.date().isoformat() == "2020-01-03"  # from the file name
    assert "2020-01-03-bad-date" in listed(page(app, "blog/index.html"))


@pytest.mark.sphinx("html", testroot="fmwarnings",
                    confoverrides={"suppress_warnings": ["postblog.frontmatter"]})
def test_front_matter_warnings_can_be_suppressed(app):
    app.build()
    assert [w for w in warnings(app) if "postblog" in w] == []


def test_a_problem_repeated_in_a_post_is_one_warning_with_a_count(make_app, tmp_path):
    body = "Fine.\n\nA {{ stray\n\n" + "More {{ strays\n" * 500 + "\n{% include x.html %}\n"
    src = write_site(tmp_path / "src",
                     {"_posts/2021-01-01-strays.md": f"---\ntitle: Strays\n---\n{body}"})
    app = make_app("html", srcdir=src)
    app.build()
    found = _parsed(app)
    assert len(found) == 2, found
    stray, include = sorted(found, key=lambda w: int(w["line"]))
    assert int(stray["line"]) == 6
    assert stray["type"] == "postblog.jekyll"
    assert stray["message"].endswith("(and 500 more like it in this file)"), stray
    assert "more like it" not in include["message"]
    assert "More" in text(main(page(app, "_posts/2021-01-01-strays.html")))


@pytest.mark.sphinx("html", testroot="fmwarnings")
def test_inconsistent_dates_are_dropped_and_consistent_ones_kept(app):
    app.build()
    posts = blog_state(app.env).posts
    assert posts["_posts/2020-01-08-updated-before"].updated is None
    assert posts["_posts/2020-01-10-same-day"].updated is not None  # a day, not before
    event = posts["_posts/2020-01-09-event-backwards"].event
    assert event is not None and str(event.start) == "2020-01-09" and event.end is None
