"""Issue 2, point 10: state only in the environment: ``-j 2`` equals serial, no leaks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from postblog_testing import ROOTS, listed, page, snapshot, warnings
from sphinx_postblog import pages
from sphinx_postblog.state import blog_state


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
