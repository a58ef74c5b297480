"""The package's shape: one run per build, no state on the app, events for dialects,
version guards on patches, one set of building blocks, the command line on the build's code."""

from __future__ import annotations

import logging
import pickle

import pytest

from postblog_testing import page, resolve, warnings, write_site
from sphinx_postblog.cli import check
from sphinx_postblog.config import PostblogConfig, settings
from sphinx_postblog.state import BuildRun, blog_state
from sphinx_postblog.tuning import guard
from sphinx_postblog.tuning.myst import MYST_LOGGER, HeadingLevelFilter

POST = """---
title: Shared byline
author: [ada, bob]
categories: [Release Notes, Tools]
tags: [docker]
---
## Starts at H2

Body text.
"""

AUTHORS = "ada:\n  name: Ada Lovelace\nbob:\n  name: Bob Marley\n"


def _build(make_app, tmp_path, files, conf="", **kwargs):
    srcdir = write_site(tmp_path / "src", files, conf)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True, **kwargs)
    app.build()
    return app


def test_no_state_is_left_on_the_app_and_the_run_ends_with_the_build(make_app, tmp_path):
    seen: list[BuildRun] = []

    def during(app, doctree, docname):
        seen.append(blog_state(app.env).run)

    srcdir = write_site(tmp_path / "src", {"_posts/2020-01-01-a.md": POST})
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.connect("doctree-resolved", during)
    app.build()
    assert [name for name in vars(app) if "postblog" in name] == []
    assert seen and all(isinstance(run, BuildRun) for run in seen)
    assert len({id(run) for run in seen}) == 1  # one run for the whole build
    assert blog_state(app.env).run is None  # dropped at build-finished
    # The MyST filter the run attached is detached again.
    assert not [f for f in logging.getLogger(MYST_LOGGER).filters
                if isinstance(f, HeadingLevelFilter)]


def test_the_run_is_never_pickled(make_app, tmp_path):
    app = _build(make_app, tmp_path, {"_posts/2020-01-01-a.md": POST})
    state = blog_state(app.env)
    state.run = BuildRun(written=7)
    copy = pickle.loads(pickle.dumps(state))
    assert copy.run is None
    assert copy.posts == state.posts
    assert state.run is not None  # pickling does not touch the live state


def test_a_second_build_of_the_same_app_gets_a_fresh_run(make_app, tmp_path):
    runs: list[int] = []
    srcdir = write_site(tmp_path / "src", {"_posts/2020-01-01-a.md": POST})
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.connect("doctree-resolved",
                lambda app, doctree, docname: runs.append(id(blog_state(app.env).run)))
    app.build()
    first = set(runs)
    runs.clear()
    app.build(force_all=True)
    assert runs and set(runs).isdisjoint(first)


def test_a_dialect_can_rewrite_a_post_through_the_source_event(make_app, tmp_path):
    srcdir = write_site(tmp_path / "src", {"_posts/2020-01-01-a.md": POST})
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True,
                   confoverrides={"postblog_jekyll": False})

    def shout(app, docname, source, raw):
        source[0] = source[0].replace("Body text.", "BODY TEXT.")

    app.connect("postblog-post-source", shout)
    app.build()
    body = page(app, "_posts/2020-01-01-a.html").select_one(".e-content").get_text()
    assert "BODY TEXT." in body


def test_a_dialect_can_make_a_page_a_post_through_the_front_matter_event(make_app, tmp_path):
    from sphinx_postblog.reading.frontmatter import RawFrontMatter  # noqa: PLC0415

    srcdir = write_site(tmp_path / "src", {"notes/page.md": "# A page\n\nText.\n"})
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)

    def make_post(app, docname, text, raw):
        if docname == "notes/page":
            return RawFrontMatter(data={"blogpost": True, "date": "2021-02-03"},
                                  lines={"blogpost": 1, "date": 1})
        return None

    app.connect("postblog-front-matter", make_post)
    app.build()
    post = blog_state(app.env).posts["notes/page"]
    assert post.date.date().isoformat() == "2021-02-03"


@pytest.mark.parametrize(("version", "expected"), [
    ((7, 2), False), ((7, 3), True), ((9, 0), True), ((9, 1), True), ((9, 2), False),
    ((10, 0), False),
])
def test_patches_run_only_on_the_sphinx_versions_they_were_checked_on(version, expected):
    assert guard.sphinx_checked("parallel_tuning", version) is expected
    assert guard.sphinx_checked("search_stem_cache", version) is expected


def test_an_unchecked_sphinx_version_leaves_the_stemmer_alone(make_app, tmp_path, monkeypatch):
    monkeypatch.setitem(guard.CHECKED, "search_stem_cache", ((1, 0), (1, 0)))
    app = _build(make_app, tmp_path, {"_posts/2020-01-01-a.md": POST})
    assert not hasattr(app.builder.indexer.lang, "_postblog_stems")
    assert "postblog_search_stem_cache is off" in app._status.getvalue()


def test_settings_are_read_through_one_accessor_with_normalised_values(make_app, tmp_path):
    app = _build(make_app, tmp_path, {"_posts/2020-01-01-a.md": POST},
                 conf='postblog_path = "/news/"\n\npostblog_per_page = 0\n')
    config = settings(app)
    assert isinstance(config, PostblogConfig)
    assert config.path == "news"
    assert config.per_page == 20  # not positive: the default, with a warning
    [warning] = [w for w in warnings(app) if "[postblog.config]" in w]
    assert warning.startswith(f"{tmp_path / 'src' / 'conf.py'}:4: WARNING: postblog_per_page = 0")
    with pytest.raises(AttributeError):
        config.path = "x"  # type: ignore[misc]


def test_the_same_post_shows_the_same_byline_in_its_header_and_in_lists(make_app, tmp_path):
    app = _build(make_app, tmp_path, {
        "_posts/2020-01-01-a.md": POST, "_data/authors.yml": AUTHORS,
        "lists.md": "# Lists\n\n```{postlist}\n```\n",
    })
    post_path, index_path, lists_path = ("_posts/2020-01-01-a.html", "blog/index.html",
                                         "lists.html")

    def byline(path, selector):
        scope = page(app, path).select_one(selector)
        people = [(a.get_text(), resolve(path, a["href"]))
                  for a in scope.select(".postblog-authors .p-author a")]
        terms = [(a.get_text(), resolve(path, a["href"]))
                 for a in scope.select(".postblog-categories a")]
        return people, terms, scope.select_one("time.dt-published")["datetime"]

    header = byline(post_path, ".postblog-header")
    assert header[0] == [("Ada Lovelace", "blog/author/ada.html"),
                         ("Bob Marley", "blog/author/bob.html")]
    assert header[1] == [("Release Notes", "blog/category/release-notes.html"),
                         ("Tools", "blog/category/tools.html")]
    assert byline(index_path, ".postblog-entry") == header
    assert byline(lists_path, ".postblog-entry") == header
    for path in (post_path, index_path, lists_path):
        assert page(app, path).select_one(".postblog-authors").get_text() == \
            "Ada Lovelace and Bob Marley"


def test_a_builder_without_generated_pages_links_no_author_page(make_app, tmp_path):
    srcdir = write_site(tmp_path / "src", {
        "_posts/2020-01-01-a.md": POST, "index.md": "# Home\n\n```{postlist}\n```\n"})
    app = make_app("singlehtml", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True)
    app.build()
    html = page(app, "index.html")
    entry = html.select_one(".postblog-entry")
    assert entry.select_one(".p-name.u-url")["href"]  # the post itself is linked
    assert entry.select(".postblog-authors a") == []  # no author page exists to link
    assert [s.get_text() for s in entry.select(".postblog-authors .u-url")] == ["ada", "bob"]


def test_check_reports_what_the_build_warns_about(make_app, tmp_path):
    post = ("---\ntitle: Liquid\n---\n"
            "Intro.\n\n{% include footer.html %}\n\n{::options parse_block_html=\"true\" /}\n\n"
            "{% increment n %}\n")
    app = _build(make_app, tmp_path, {"_posts/2020-01-01-liquid.md": post})
    built = sorted(
        (int(w.split(":")[1]), w.split(": WARNING: ")[1].rsplit(" [postblog.jekyll]", 1)[0])
        for w in warnings(app) if "[postblog.jekyll]" in w)
    found = check(tmp_path / "src" / "_posts")
    checked = sorted((f.line, f.message) for f in found if not f.note)
    assert built
    assert checked == built


def test_the_architecture_page_lists_every_module():
    """docs/architecture.md's layout names each module of the package once, in its folder."""
    from pathlib import Path  # noqa: PLC0415

    import sphinx_postblog  # noqa: PLC0415

    root = Path(sphinx_postblog.__file__).parent
    page = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    layout = page.split("## Layout", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    listed: set[str] = set()
    folders: list[tuple[int, str]] = []  # (indent, name/) of the folders the line sits in
    for line in layout.splitlines()[1:]:
        name = line.strip().split(" ", 1)[0]
        if not name:
            continue
        indent = len(line) - len(line.lstrip())
        folders = [(level, folder) for level, folder in folders if level < indent]
        if name.endswith("/"):
            if indent:  # the first line is the package itself
                folders.append((indent, name))
        elif name.endswith(".py"):
            listed.add("".join(folder for _, folder in folders) + name)
    modules = {p.relative_to(root).as_posix() for p in root.rglob("*.py")}
    # A folder's __init__.py is its line ("reading/   which documents are posts …").
    modules = {m for m in modules if not m.endswith("/__init__.py")}
    assert listed == modules
