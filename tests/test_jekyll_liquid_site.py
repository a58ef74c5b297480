"""Jekyll's Liquid with its site: ``page`` and ``site`` variables, data files, ``site.posts``,
includes (never outside the source folder), and what a whole build shows and warns about."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from postblog_testing import edit, page, warnings, write, write_site
from sphinx_postblog.jekyll.liquid import LiquidContext, LiquidProblem, SourceFolder, render_liquid

POST = "_posts/2016-02-29-leap-day.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    write(src / POST, "---\ntitle: On Leap Days\n---\nBody\n")
    write(src / "_posts/2016-03-01-spring.md", "---\ntitle: Spring\ncategory: seasons\n---\n")
    write(src / "_posts/2015-12-24-eve.md", "---\ndate: 2015-12-24 18:00:00 +0100\n---\n")
    write(src / "_posts/2016-01-01-draft.md", "---\ntitle: Draft\npublished: false\n---\n")
    write(src / "_includes/note.html", "{{ include.kind }}: {{ include.text | upcase }}")
    return src


def folder(src: Path, deps: list[str] | None = None, post: str = POST) -> SourceFolder:
    def posts() -> list[tuple[str, Path]]:
        return [(p.relative_to(src).with_suffix("").as_posix(), p)
                for p in sorted((src / "_posts").glob("*.md"))]

    return SourceFolder(srcdir=src, path=src / post, docname=post.rsplit(".", 1)[0],
                        posts=posts, note_dependency=(deps if deps is not None else []).append)


def render(src: Path, text: str, deps: list[str] | None = None, post: str = POST,
           **front: object) -> tuple[str, list[LiquidProblem]]:
    return render_liquid(text, LiquidContext(
        site={"baseurl": "", "url": "", "title": "Seasons"}, page=front,
        folder=folder(src, deps, post)))


# -- page ---------------------------------------------------------------------------------------

def test_page_has_what_jekyll_adds_to_front_matter(site: Path) -> None:
    text = ("{{ page.url }}|{{ page.id }}|{{ page.slug }}|{{ page.path }}|{{ page.name }}|"
            "{{ page.title }}|{{ page.date | date: '%F' }}|{{ page.categories | join: ',' }}|"
            "{{ page.tags | join: ',' }}|{{ page.excerpt }}\n\nSecond paragraph.")
    out, problems = render(site, text, category="notes", tags="time calendars")
    assert out.split("\n")[0] == (
        "/_posts/2016-02-29-leap-day|/_posts/2016-02-29-leap-day|leap-day|"
        f"{POST}|2016-02-29-leap-day.md|Leap Day|2016-02-29|notes|time,calendars|"
        "{{ page.url }}|{{ page.id }}|{{ page.slug }}|{{ page.path }}|{{ page.name }}|"
        "{{ page.title }}|{{ page.date | date: '%F' }}|{{ page.categories | join: ',' }}|"
        "{{ page.tags | join: ',' }}|{{ page.excerpt }}")
    assert problems == []


def test_front_matter_wins_over_the_file_name(site: Path) -> None:
    out, _ = render(site, "{{ page.title }}|{{ page.date }}|{{ page.excerpt }}",
                    title="Own", date="2016-03-02 10:30:00 +0200", excerpt="Short.")
    assert out == "Own|2016-03-02 10:30:00 +0200|Short."


def test_page_url_is_what_post_url_links() -> None:
    context = LiquidContext(post_url=lambda name: f"/_posts/{name}")
    assert render_liquid("{% post_url 2016-02-29-leap-day %}", context) == (
        "/_posts/2016-02-29-leap-day", [])


# -- site ---------------------------------------------------------------------------------------

def test_site_settings_and_time(site: Path) -> None:
    out, problems = render(site, "{{ site.title }}|{{ site.baseurl }}|{{ site.time | date: '%Y' }}")
    assert re.fullmatch(r"Seasons\|\|20\d\d", out)
    assert problems == []


def test_site_data_reads_yaml_json_csv_and_folders(site: Path) -> None:
    write(site / "_data/authors.yml", "ada:\n  name: Ada Lovelace\n")
    write(site / "_data/team/members.json", '[{"name": "Bob"}, {"name": "Cy"}]')
    write(site / "_data/links.csv", "title,url\nHome,/\nBlog,/blog/\n")
    deps: list[str] = []
    text = ("{{ site.data.authors.ada.name }}|{% for m in site.data.team.members %}{{ m.name }}"
            "{% endfor %}|{{ site.data.links[1].url }}|{{ site.data.links | size }}")
    out, problems = render(site, text, deps)
    assert (out, problems) == ("Ada Lovelace|BobCy|/blog/|2", [])
    assert sorted(Path(d).name for d in deps) == ["authors.yml", "links.csv", "members.json"]


def test_a_missing_data_file_is_empty_like_any_undefined_name(site: Path) -> None:
    out, problems = render(site, "[{{ site.data.nothing.here }}]")
    assert out == "[]"
    assert all(p.as_jekyll for p in problems)


def test_data_files_linked_from_outside_the_source_folder_are_not_read(
        site: Path, tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.yml", "token: hunter2\n")
    (site / "_data").mkdir(exist_ok=True)
    try:
        (site / "_data/secret.yml").symlink_to(secret)
    except OSError:
        pytest.skip("no symlinks here")
    out, _ = render(site, "[{{ site.data.secret.token }}]")
    assert out == "[]"


def test_site_posts_lists_every_published_post_newest_first(site: Path) -> None:
    deps: list[str] = []
    text = ("{% for p in site.posts %}{{ p.title }}@{{ p.date | date: '%F' }}@{{ p.url }}"
            "{% unless forloop.last %};{% endunless %}{% endfor %}|"
            "{{ site.posts | where: 'categories', 'seasons' | map: 'title' | join }}")
    out, problems = render(site, text, deps)
    assert out == ("Spring@2016-03-01@/_posts/2016-03-01-spring;"
                   "On Leap Days@2016-02-29@/_posts/2016-02-29-leap-day;"
                   "Eve@2015-12-24@/_posts/2015-12-24-eve|Spring")
    assert problems == []
    assert len(deps) == 4  # the post is read again when any post changes


def test_without_a_source_folder_site_posts_and_data_are_empty() -> None:
    out, _ = render_liquid("[{{ site.posts | size }}][{{ site.data.x }}]", LiquidContext())
    assert out == "[0][]"


# -- include and include_relative ---------------------------------------------------------------

def test_include_passes_parameters_as_include_variables(site: Path) -> None:
    deps: list[str] = []
    text = 'a\n{% include note.html kind="Tip" text=page.title %}\n{% include {{ page.box }} %}'
    out, problems = render(site, text, deps, title="Leap", box="note.html")
    assert out == "a\nTip: LEAP\n: "
    assert [p.as_jekyll for p in problems] == [True]  # include.kind, unset the second time
    assert deps == [str((site / "_includes/note.html").resolve())] * 2


def test_includes_nest_and_share_the_post_variables(site: Path) -> None:
    write(site / "_includes/outer.html", "[{% assign seen = 'yes' %}{% include note.html "
                                         "kind=include.kind text='in' %}]")
    out, _ = render(site, "{% include outer.html kind='K' %}{{ seen }}")
    assert out == "[K: IN]yes"


def test_include_relative_starts_from_the_including_file(site: Path) -> None:
    write(site / "_posts/snippets/code.md", "code {% include_relative more.md %}")
    write(site / "_posts/snippets/more.md", "and more")
    out, problems = render(site, "{% include_relative snippets/code.md %}")
    assert (out, problems) == ("code and more", [])


@pytest.mark.parametrize("tag", ["{% include ../secret.txt %}", "{% include /etc/passwd %}",
                                 "{% include_relative ../../secret.txt %}",
                                 "{% include_relative /etc/passwd %}"])
def test_include_outside_the_source_folder_is_refused_as_a_security_problem(
        site: Path, tag: str) -> None:
    write(site.parent / "secret.txt", "hunter2")
    out, problems = render(site, "x\n" + tag)
    assert out == "x\n"
    assert [(p.line, p.subtype) for p in problems] == [(2, "security")]


def test_an_include_symlinked_out_of_the_source_folder_is_refused(site: Path) -> None:
    secret = write(site.parent / "secret.html", "hunter2")
    try:
        (site / "_includes/evil.html").symlink_to(secret)
    except OSError:
        pytest.skip("no symlinks here")
    out, problems = render(site, "{% include evil.html %}")
    assert "hunter2" not in out
    assert [p.subtype for p in problems] == ["security"]


def test_problems_in_an_include_are_located_at_the_include_tag(site: Path) -> None:
    write(site / "_includes/bad.html", "fine\n{% seo %}\n{{ 1 | divided_by: 0 }}")
    out, problems = render(site, "a\nb {% include bad.html %}")
    assert out == "a\nb fine\n\n"
    assert [(p.line, p.message) for p in problems] == [
        (2, "unsupported Liquid tag {% seo %}; left out (in _includes/bad.html, line 2)"),
        (2, ("cannot render {{ 1 | divided_by: 0 }}: divided_by: can't divide by 0; left out "
             "(in _includes/bad.html, line 3)"))]


@pytest.mark.parametrize("body", ["{% include loop.html %}",
                                  "x{% include loop.html %}{% include loop.html %}"])
def test_include_loops_end_with_a_problem(site: Path, body: str) -> None:
    write(site / "_includes/loop.html", body)
    start = time.perf_counter()
    out, problems = render(site, "a\n{% include loop.html %}")
    assert time.perf_counter() - start < 10
    assert out.startswith("a\n")
    assert [p.line for p in problems] == [2]
    assert "left out" in problems[0].message


# -- a whole build ------------------------------------------------------------------------------

BUILD_POST = """---
title: Liquid everywhere
---
Intro {{ site.data.team.lead }}.

{% include note.html kind="Tip" text=page.title %}

{% for p in site.posts %}- [{{ p.title }}]({{ p.url }})
{% endfor %}
{{ page.nothing }}
{% include ../conf.py %}
{% seo %}
"""


def test_a_build_renders_includes_data_and_posts_and_warns_at_the_lines(make_app, tmp_path):
    src = write_site(tmp_path / "src", {
        "_posts/2020-01-01-liquid.md": BUILD_POST,
        "_posts/2020-01-02-other.md": "---\ntitle: Other\n---\nText\n",
        "_includes/note.html": "**{{ include.kind }}**: {{ include.text }}",
        "_data/team.yml": "lead: Ada\n",
    })
    app = make_app("html", srcdir=src, builddir=tmp_path / "build", freshenv=True)
    app.build()
    soup = page(app, "_posts/2020-01-01-liquid.html")
    body = " ".join(soup.get_text(" ").split())
    assert "Intro Ada." in body
    assert "Tip" in [strong.get_text() for strong in soup.select("strong")]
    assert ": Liquid everywhere" in body
    assert [(a.get_text(), a["href"]) for a in soup.select(".e-content li a")] == [
        ("Other", "2020-01-02-other.html"), ("Liquid everywhere", "#")]
    found = [w for w in warnings(app) if "2020-01-01-liquid" in w]
    assert any(":11: WARNING:" in w and "[postblog.security]" in w for w in found)
    assert any(":12: WARNING: unsupported Liquid tag {% seo %}" in w and "[postblog.jekyll]" in w
               for w in found)
    assert not any("page.nothing" in w for w in found)  # undefined: empty, as in Jekyll
    assert len(found) == 2

    edit(src / "_includes/note.html", "**{{ include.kind }}** said: {{ include.text }}")
    again = make_app("html", srcdir=src, builddir=tmp_path / "build")
    again.build()
    assert "said" in page(again, "_posts/2020-01-01-liquid.html").get_text(" ")
