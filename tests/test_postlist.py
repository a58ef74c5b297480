"""Issue 2, point 7: the ``postlist`` directive in MyST and reST, and across incremental builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from postblog_testing import (
    edit,
    listed,
    listed_titles,
    main,
    page,
    section,
    snapshot,
    text,
    warnings,
)
from sphinx_postblog.output import freshness

ALPHA = "2022-01-10-alpha"
BETA = "2022-03-05-beta"
GAMMA = "2023-02-01-gamma"
DELTA = "2023-04-01-delta"
EPSILON = "2024-05-05-epsilon"
DELTA_HTML = f"_posts/{DELTA}.html"

MYST_LISTS = {
    "Latest two": [DELTA, GAMMA],
    "Tagged python": [DELTA, BETA, ALPHA],
    "In news": [DELTA, GAMMA, ALPHA],
    "By Ada": [GAMMA, ALPHA],
    "By display name": [DELTA, BETA],
    "From 2022": [BETA, ALPHA],
    "Python in 2022": [BETA, ALPHA],
    "Newest news with excerpt": [DELTA],
    "Slashed dates": [DELTA],
}

EPSILON_POST = """\
---
title: Epsilon hive
author: ada
category: news
tags: [python]
---
A new hive, added between two builds.
"""


def _lists(app, path: str, headings) -> dict[str, list[str]]:
    soup = page(app, path)
    return {heading: listed(soup, section(soup, heading)) for heading in headings}


def _delta_list(app) -> list[str]:
    """The post list inside the Delta post (tag ``docs``, two posts)."""
    body = main(page(app, DELTA_HTML)).select_one(".e-content")
    return listed(page(app, DELTA_HTML), body)


@pytest.mark.sphinx("html", testroot="postlist")
@pytest.mark.parametrize("heading", sorted(MYST_LISTS))
def test_myst_postlist_filters(app, heading):
    app.build()
    soup = page(app, "lists.html")
    assert listed(soup, section(soup, heading)) == MYST_LISTS[heading]


@pytest.mark.sphinx("html", testroot="postlist")
def test_postlist_root_builds_without_warnings(app):
    app.build()
    assert warnings(app) == []


@pytest.mark.sphinx("html", testroot="postlist")
def test_postlist_excerpts_only_when_asked(app):
    app.build()
    soup = page(app, "lists.html")
    with_excerpts = section(soup, "Newest news with excerpt")
    assert [text(p) for p in with_excerpts.select(".postblog-entry-excerpt")] == ["Delta summary."]
    without = section(soup, "In news")
    assert without.select(".postblog-entry-excerpt") == []


@pytest.mark.sphinx("html", testroot="postlist")
def test_postlist_date_format(app):
    app.build()
    soup = page(app, "lists.html")
    time = section(soup, "Slashed dates").select_one("time")
    assert (time["datetime"], text(time)) == ("2023-04-01", "2023/04/01")
    default = section(soup, "Latest two").select_one("time")
    assert text(default) == "1 April 2023"
    rst = page(app, "reference.html")
    assert text(section(rst, "Dated").select_one("time")) == "01.04.2023"


@pytest.mark.sphinx("html", testroot="postlist")
def test_rest_postlist(app):
    app.build()
    soup = page(app, "reference.html")
    assert listed(soup, section(soup, "Latest two")) == [DELTA, GAMMA]
    releases = section(soup, "Releases")
    assert listed(soup, releases) == [BETA]
    assert [text(p) for p in releases.select(".postblog-entry-excerpt")] == [
        "Second hive, documented."]
    assert listed_titles(soup, section(soup, "Latest two")) == ["Delta hive", "Gamma hive"]


@pytest.mark.sphinx("html", testroot="postlist")
def test_postlist_inside_a_post(app):
    app.build()
    assert _delta_list(app) == [GAMMA, BETA]
    entry = main(page(app, DELTA_HTML)).select_one(".e-content .postblog-entry a")
    # Links are relative to the post's own page.
    assert entry["href"] == f"{GAMMA}.html"


# -- incremental builds ------------------------------------------------------------------------


def _count_fingerprints(monkeypatch) -> list[str]:
    """The documents whose fingerprint is computed from now on, in order."""
    computed: list[str] = []
    real_fingerprint = freshness.fingerprint

    def counting(app, docname, *args):
        computed.append(docname)
        return real_fingerprint(app, docname, *args)

    monkeypatch.setattr(freshness, "fingerprint", counting)
    return computed


def _assert_same_as_clean_build(app, make_app, tmp_path: Path) -> None:
    """Every page a clean build of the same sources writes reads the same after the rebuild.

    Sphinx leaves the output of removed documents in place, so pages only the incremental
    build has are not compared.
    """
    app.cleanup()
    clean = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "clean", freshenv=True)
    clean.build()
    expected = snapshot(clean)
    got = snapshot(app)
    assert set(expected) <= set(got)
    assert {path: got[path] for path in expected} == expected


@pytest.mark.sphinx("html", testroot="postlist")
def test_a_new_post_appears_in_unchanged_pages_after_a_rebuild(make_app, app_params, tmp_path):
    args, kwargs = app_params
    first = make_app(*args, **kwargs)
    first.build()
    first.cleanup()
    assert _lists(first, "lists.html", ["Latest two"]) == {"Latest two": [DELTA, GAMMA]}

    edit(Path(kwargs["srcdir"], "_posts", f"{EPSILON}.md"), EPSILON_POST)
    second = make_app(*args, **kwargs)
    second.build()
    assert _lists(second, "lists.html", ["Latest two", "Tagged python", "By Ada", "In news"]) == {
        "Latest two": [EPSILON, DELTA],
        "Tagged python": [EPSILON, DELTA, BETA, ALPHA],
        "By Ada": [EPSILON, GAMMA, ALPHA],
        "In news": [EPSILON, DELTA, GAMMA, ALPHA],
    }
    assert _lists(second, "reference.html", ["Latest two"]) == {"Latest two": [EPSILON, DELTA]}
    assert listed(page(second, "blog/index.html"))[0] == EPSILON
    # The newest post before now links on to the new one.
    nxt = main(page(second, DELTA_HTML)).select_one(".postblog-footer a.postblog-next")
    assert nxt is not None and nxt["href"] == f"{EPSILON}.html"
    assert _delta_list(second) == [GAMMA, BETA]

    _assert_same_as_clean_build(second, make_app, tmp_path)


@pytest.mark.sphinx("html", testroot="postlist")
def test_a_changed_tag_updates_lists_on_unchanged_pages(app, make_app, tmp_path):
    app.build()
    assert _delta_list(app) == [GAMMA, BETA]
    gamma = Path(app.srcdir, "_posts", f"{GAMMA}.md")
    edit(gamma, gamma.read_text(encoding="utf-8").replace("tags: [docs]", "tags: [python]"))
    app.build()
    assert _lists(app, "lists.html", ["Tagged python", "Python in 2022"]) == {
        "Tagged python": [DELTA, GAMMA, BETA, ALPHA],
        "Python in 2022": [BETA, ALPHA],
    }
    # Delta's own source did not change, but its list of ``docs`` posts did.
    assert _delta_list(app) == [BETA]
    assert listed(page(app, "blog/tag/docs.html")) == [BETA]
    assert listed(page(app, "blog/tag/python.html")) == [DELTA, GAMMA, BETA, ALPHA]

    _assert_same_as_clean_build(app, make_app, tmp_path)


@pytest.mark.sphinx("html", testroot="postlist")
def test_a_changed_title_updates_lists_on_unchanged_pages(app):
    app.build()
    beta = Path(app.srcdir, "_posts", f"{BETA}.md")
    edit(beta, beta.read_text(encoding="utf-8").replace("title: Beta hive", "title: Beta colony"))
    app.build()
    soup = page(app, "lists.html")
    assert listed_titles(soup, section(soup, "From 2022")) == ["Beta colony", "Alpha hive"]
    assert listed_titles(page(app, DELTA_HTML), main(page(app, DELTA_HTML)).select_one(
        ".e-content")) == ["Gamma hive", "Beta colony"]
    rst = page(app, "reference.html")
    assert listed_titles(rst, section(rst, "Releases")) == ["Beta colony"]


@pytest.mark.sphinx("html", testroot="postlist")
def test_a_removed_post_leaves_every_list(make_app, app_params, tmp_path):
    args, kwargs = app_params
    first = make_app(*args, **kwargs)
    first.build()
    first.cleanup()
    Path(kwargs["srcdir"], "_posts", f"{GAMMA}.md").unlink()
    second = make_app(*args, **kwargs)
    second.build()
    assert _lists(second, "lists.html", ["Latest two", "By Ada"]) == {
        "Latest two": [DELTA, BETA], "By Ada": [ALPHA]}
    assert _delta_list(second) == [BETA]
    assert GAMMA not in listed(page(second, "blog/index.html"))
    _assert_same_as_clean_build(second, make_app, tmp_path)


@pytest.mark.sphinx("html", testroot="postlist")
def test_a_no_op_rebuild_recomputes_nothing_and_keeps_the_labels(make_app, app_params,
                                                                  monkeypatch):
    args, kwargs = app_params
    first = make_app(*args, **kwargs)
    first.build()
    expected = snapshot(first)
    first.cleanup()

    computed = _count_fingerprints(monkeypatch)
    second = make_app(*args, **kwargs)
    second.build()
    assert computed == []
    labels = second.env.domains.standard_domain.data["labels"]
    assert labels["postblog-tag-python"][0] == "blog/tag/python"
    assert snapshot(second) == expected
    second.cleanup()

    # A post changes: the fingerprints are computed again.
    edit(Path(kwargs["srcdir"], "_posts", f"{BETA}.md"), EPSILON_POST.replace("Epsilon", "Beta"))
    third = make_app(*args, **kwargs)
    third.build()
    assert computed


# -- ablog's options ---------------------------------------------------------------------------


ABLOG_OPTIONS = """\
---
orphan: true
---
# Options

## Unknown field

```{postlist} 1
:format: {title} at {place}
```

## Bad style

```{postlist} 1
:list-style: url(x)
```

## Lines

```{postlist} 2
:format: {date} | {title} | {tags}
:date: %Y
:sort:
```
"""


@pytest.mark.sphinx("html", testroot="postlist")
def test_ablog_options_that_cannot_be_used_warn_at_their_line(app):
    edit(Path(app.srcdir, "options.md"), ABLOG_OPTIONS)
    app.build()
    found = [w for w in warnings(app) if "options.md" in w]
    assert len(found) == 2, found
    assert "options.md:8:" in found[0] and "{place}" in found[0] and "postblog.postlist" in found[0]
    assert "options.md:14:" in found[1] and ":list-style:" in found[1]
    soup = page(app, "options.html")
    # Both lists are written as usual.
    assert listed(soup, section(soup, "Unknown field")) == [DELTA]
    assert section(soup, "Bad style").select_one(".postblog-lines") is None
    lines = [text(p) for p in section(soup, "Lines").select(".postblog-entry-line")]
    assert lines == ["2023 | Gamma hive | docs", "2023 | Delta hive | python"]


@pytest.mark.sphinx("text", testroot="postlist")
def test_format_lines_in_other_builders(app):
    edit(Path(app.srcdir, "options.md"), ABLOG_OPTIONS)
    app.build()
    out = Path(app.outdir, "options.txt").read_text(encoding="utf-8")
    assert "* 2023 | Gamma hive | docs" in out
    assert "* 2023 | Delta hive | python" in out


@pytest.mark.sphinx("html", testroot="postlist")
def test_a_body_edit_recomputes_only_its_own_page(make_app, app_params, tmp_path,
                                                  monkeypatch):
    args, kwargs = app_params
    first = make_app(*args, **kwargs)
    first.build()
    first.cleanup()
    computed = _count_fingerprints(monkeypatch)
    # A second paragraph: the excerpt, title, date and terms others show stay as they were.
    beta = Path(kwargs["srcdir"], "_posts", f"{BETA}.md")
    edit(beta, beta.read_text(encoding="utf-8") + "\nThe bees moved in on Tuesday.\n")
    second = make_app(*args, **kwargs)
    second.build()
    assert computed == [f"_posts/{BETA}"]
    assert "moved in on Tuesday" in text(main(page(second, f"_posts/{BETA}.html")))
    _assert_same_as_clean_build(second, make_app, tmp_path)
    second.cleanup()

    # Its excerpt is what lists show: every page is looked at again.
    edit(beta, beta.read_text(encoding="utf-8").replace("Second hive", "Second colony"))
    third = make_app(*args, **kwargs)
    third.build()
    assert len(computed) > 2
    _assert_same_as_clean_build(third, make_app, tmp_path / "again")
