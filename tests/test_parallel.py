"""Issue 2, point 10: state only in the environment: ``-j 2`` equals serial, no leaks."""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import shutil
import time
import weakref
from pathlib import Path

import pytest
import sphinx.builders
from docutils import nodes
from docutils.utils import new_document
from sphinx.util.parallel import ParallelTasks

from postblog_testing import ROOTS, edit, listed, page, snapshot, warnings, write_site
from sphinx_postblog.output import pages
from sphinx_postblog.state import blog_state
from sphinx_postblog.tuning.parallel import release


def _build(make_app, srcdir: Path, builddir: Path, **kwargs):
    app = make_app("html", srcdir=srcdir, builddir=builddir, freshenv=True, **kwargs)
    app.build()
    # Unregister the docutils nodes of this app, as the fixture does at teardown, so that
    # the next app of this test sets up as in a fresh process.
    app.cleanup()
    return app


@pytest.fixture
def serial_and_parallel(make_app, tmp_path):
    srcdir = shutil.copytree(ROOTS / "test-parallel", tmp_path / "src")
    serial = _build(make_app, srcdir, tmp_path / "serial")
    parallel = _build(make_app, srcdir, tmp_path / "parallel", parallel=2)
    return serial, parallel


def test_the_parallel_build_really_reads_in_parallel(serial_and_parallel):
    _, parallel = serial_and_parallel
    assert parallel.is_parallel_allowed("read")
    assert parallel.is_parallel_allowed("write")
    pids = {meta.get("test_reader_pid") for meta in parallel.env.metadata.values()}
    assert len(pids) >= 2, pids
    assert warnings(parallel) == []


def test_parallel_model_equals_serial_model(serial_and_parallel):
    serial, parallel = serial_and_parallel
    mine, theirs = blog_state(serial.env), blog_state(parallel.env)
    assert len(mine.posts) == 12
    assert mine.posts == theirs.posts
    # ``extra`` does not take part in comparisons: check it apart.
    assert {d: p.extra for d, p in mine.posts.items()} == {
        d: p.extra for d, p in theirs.posts.items()}
    assert mine.postlists == theirs.postlists
    assert mine.data == theirs.data


def test_parallel_html_equals_serial_html(serial_and_parallel):
    serial, parallel = serial_and_parallel
    expected, got = snapshot(serial), snapshot(parallel)
    assert sorted(got) == sorted(expected)
    # A few pages that must be there, so the comparison is not vacuous.
    for path in ("blog/index.html", "blog/page/2.html", "blog/tag/rain.html",
                 "blog/author/ada.html", "lists.html", "_posts/2021-02-28-reading-03.html"):
        assert path in expected, path
    for path in expected:
        assert got[path] == expected[path], path


def test_a_parallel_build_writes_the_generated_pages_in_workers(make_app, tmp_path, monkeypatch):
    srcdir = shutil.copytree(ROOTS / "test-parallel", tmp_path / "src")
    serial = _build(make_app, srcdir, tmp_path / "serial")
    monkeypatch.setattr(pages, "_PARALLEL_PAGES", 1)
    writers = tmp_path / "writers"
    writers.mkdir()

    def record_writer(app, pagename, templatename, context, doctree):
        if context.get("postblog_generated"):
            (writers / str(os.getpid())).open("a").write(pagename + "\n")

    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "parallel", freshenv=True,
                   parallel=2)
    app.connect("html-page-context", record_writer)
    app.build()
    app.cleanup()

    written = {f.name: f.read_text().split() for f in writers.iterdir()}
    assert str(os.getpid()) not in written
    assert len(written) == 2, written
    generated = [name for names in written.values() for name in names]
    assert "blog/index" in generated and "blog/tag/rain" in generated
    assert len(generated) == len(set(generated))  # each page once
    assert snapshot(app) == snapshot(serial)
    assert warnings(app) == []


def test_a_serial_build_writes_the_generated_pages_itself(make_app, tmp_path, monkeypatch):
    srcdir = shutil.copytree(ROOTS / "test-parallel", tmp_path / "src")
    monkeypatch.setattr(pages, "_PARALLEL_PAGES", 1)
    pids = set()
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "serial", freshenv=True)
    app.connect("html-page-context", lambda app, pagename, template, context, doctree:
                pids.add(os.getpid()) if context.get("postblog_generated") else None)
    app.build()
    app.cleanup()
    assert pids == {os.getpid()}


def test_two_projects_in_one_process_do_not_leak(make_app, tmp_path):
    first_src = shutil.copytree(ROOTS / "test-index", tmp_path / "first")
    second_src = shutil.copytree(ROOTS / "test-posts", tmp_path / "second")
    first = _build(make_app, first_src, tmp_path / "first-build")
    first_posts = set(blog_state(first.env).posts)
    first_pages = snapshot(first)

    second = _build(make_app, second_src, tmp_path / "second-build")
    second_posts = set(blog_state(second.env).posts)
    assert len(first_posts) == 5
    assert len(second_posts) == 12
    assert first_posts.isdisjoint(second_posts)
    index = listed(page(second, "blog/index.html"))
    assert "2020-06-21-summer-sprint" not in index
    assert not Path(second.outdir, "blog/tag/python.html").exists()
    assert not Path(second.outdir, "blog/author/ada.html").exists()
    assert not blog_state(second.env).data.authors

    # And the first project, built again after the second, is as it was.
    again = _build(make_app, first_src, tmp_path / "first-again")
    assert set(blog_state(again.env).posts) == first_posts
    assert snapshot(again) == first_pages


# postblog_parallel_tuning: what Sphinx's main process merges and hands to writers is freed
# at once, not left to the cycle collector, and N writers write the documents.


def _tuned_build(make_app, tmp_path, tuning: bool, connect=()):
    # 60 posts: Sphinx reads them in chunks enough that some readers fork after a merge.
    posts = {f"_posts/2024-01-{day:02}-post-{day}.md":
             f"---\ntitle: Post {day}\ntags: [t{day % 3}]\n---\n\n## Part\n\nText {day}.\n"
             for day in range(1, 31)}
    posts |= {name.replace("-01-", "-03-"): text for name, text in posts.items()}
    srcdir = write_site(tmp_path / "src", posts)
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build", freshenv=True,
                   parallel=2, confoverrides={"postblog_parallel_tuning": tuning})
    for event, handler, priority in connect:
        app.connect(event, handler, priority=priority)
    with _collector_off():  # so that only what the tuning frees is freed
        app.build()
    app.cleanup()
    return app


@contextlib.contextmanager
def _collector_off():
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@pytest.mark.parametrize("tuning", [True, False])
def test_readers_copies_are_freed_when_merged(make_app, tmp_path, tuning):
    copies, fragments, alive = [], [], {}

    def keep_watch(app, env, docnames, other):
        copies.append(weakref.ref(other))
        fragments.extend(weakref.ref(toc) for name, toc in other.tocs.items()
                         if name not in docnames)

    def count(app, env):
        alive["copies"] = sum(ref() is not None for ref in copies)
        alive["fragments"] = sum(ref() is not None for ref in fragments)

    _tuned_build(make_app, tmp_path, tuning, [("env-merge-info", keep_watch, 1000),
                                              ("env-updated", count, 0)])
    assert len(copies) >= 2 and fragments  # more than one reader, copies of others' tocs
    if tuning:
        assert alive == {"copies": 0, "fragments": 0}
    else:  # Sphinx leaves them to the collector
        assert alive == {"copies": len(copies), "fragments": len(fragments)}


@pytest.mark.parametrize("tuning", [True, False])
def test_doctrees_handed_to_writers_are_freed(make_app, tmp_path, tuning):
    main, trees, alive = os.getpid(), [], []

    def keep_watch(app, doctree, docname):
        # Not the post bodies the feeds render at build-finished (postblog_feed_full).
        if os.getpid() == main and not alive:
            trees.append(weakref.ref(doctree))

    def count(app, exception):
        alive.append(sum(ref() is not None for ref in trees))

    app = _tuned_build(make_app, tmp_path, tuning, [("doctree-resolved", keep_watch, 1000),
                                                    ("build-finished", count, 0)])
    documents = len(app.env.found_docs)
    assert len(trees) == documents
    # With the collector off, Sphinx's main process keeps every doctree it resolved.
    assert alive == ([0] if tuning else [documents])


@pytest.mark.parametrize("tuning", [True, False])
def test_n_writers_write_the_documents_at_once(make_app, tmp_path, tuning):
    main, writing = os.getpid(), tmp_path / "writers"
    writing.mkdir()

    def note(app, pagename, templatename, context, doctree):
        if doctree is not None and os.getpid() != main:  # a document, in a worker
            with (writing / str(os.getpid())).open("a") as times:
                times.write(f"{time.monotonic()}\n")
            time.sleep(0.05)  # writing takes longer than resolving the next chunk

    app = _tuned_build(make_app, tmp_path, tuning, [("html-page-context", note, 500)])
    spans = [(min(times), max(times)) for times in
             ([float(t) for t in f.read_text().split()] for f in writing.iterdir())]
    assert len(spans) >= 2  # one process per chunk
    overlapping = any(a[0] < b[1] and b[0] < a[1] for a, b in itertools.combinations(spans, 2))
    # Sphinx writes with N - 1 = 1 writer; tuned, with N = 2.
    assert overlapping is tuning
    assert warnings(app) == []


def test_the_tuning_is_undone_after_the_build(make_app, tmp_path):
    app = _tuned_build(make_app, tmp_path, True)
    assert sphinx.builders.ParallelTasks is ParallelTasks
    assert gc.get_freeze_count() == 0
    assert warnings(app) == []


def test_objects_the_process_froze_stay_frozen(make_app, tmp_path):
    mine = [[]]  # a tracked object, frozen with everything else alive now
    gc.freeze()
    try:
        app = _tuned_build(make_app, tmp_path, True)
        # Frozen objects are in no generation the collector walks.
        assert all(obj is not mine for obj in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(obj is mine for obj in gc.get_objects())
    assert sphinx.builders.ParallelTasks is ParallelTasks
    assert warnings(app) == []


def test_release_unlinks_a_doctree_for_reference_counting():
    document = new_document("<test>")
    section = nodes.section()
    section += nodes.paragraph("", "text")
    document += section
    ref = weakref.ref(section)
    with _collector_off():
        release([document])
        del document, section
        assert ref() is None


def test_an_incremental_tuned_build_equals_a_clean_one(make_app, tmp_path):
    app = _tuned_build(make_app, tmp_path, True)
    post = Path(app.srcdir, "_posts/2024-01-07-post-7.md")
    edit(post, post.read_text().replace("tags: [t1]", "tags: [t1, fresh]") + "\nMore.\n")
    again = make_app("html", srcdir=app.srcdir, builddir=tmp_path / "build", parallel=2)
    again.build()
    again.cleanup()
    clean = _build(make_app, app.srcdir, tmp_path / "clean", parallel=2)
    assert "blog/tag/fresh.html" in snapshot(clean)
    assert snapshot(again) == snapshot(clean)
    assert warnings(again) == []
