"""``sphinx-postblog``: new, check (Jekyll and ablog), list, import-jekyll, --help."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from postblog_testing import page, write, write_site
from sphinx_postblog.cli import check, main
from sphinx_postblog.reading.fields import PostBuilder
from sphinx_postblog.reading.frontmatter import read_front_matter
from sphinx_postblog.state import blog_state


def make_site(root: Path) -> Path:
    write(root / "_data/authors.yml", "ada:\n  name: Ada Lovelace\n")
    write(root / "images/present.png", "png")
    write(root / "_posts/2020-01-01-clean.md",
          "---\ntitle: Clean\nauthor: ada\nheader-img: images/present.png\n---\n"
          "![here]({{ site.baseurl }}/images/present.png)\n")
    write(root / "_posts/2020-01-02-troubled.md",
          "---\ntitle: Troubled\nsubtite: typo\nauthor: Someone Else\n"
          "header-img: images/gone.jpg\n---\n"
          "Intro.\n\n{% include footer.html %}\n\n![x](/images/missing.png)\n\n"
          "Value: {{ page.nothing }}\n")
    return root / "_posts"


def test_findings_are_located_and_classified(tmp_path):
    posts = make_site(tmp_path)
    findings = check(posts)
    troubled = posts / "2020-01-02-troubled.md"
    assert {f.path for f in findings} == {troubled}
    by_message = {f.message: f for f in findings}
    subtite = next(f for m, f in by_message.items() if "subtite" in m)
    assert (subtite.line, subtite.note) == (3, False)
    include = next(f for m, f in by_message.items() if "include" in m)
    assert (include.line, include.note) == (9, False)
    image = next(f for m, f in by_message.items() if "missing.png" in m)
    assert (image.line, image.note) == (11, False)
    assert any("gone.jpg" in m and f.line == 5 for m, f in by_message.items())
    unknown = next(f for m, f in by_message.items() if "nothing" in m)
    assert unknown.note and unknown.line == 13
    author = next(f for m, f in by_message.items() if "Someone Else" in m)
    assert author.note


def test_check_sees_includes_and_data_as_the_build_does(tmp_path):
    write(tmp_path / "_includes/note.html", "Note: {{ include.text }}\n")
    write(tmp_path / "_data/team.yml", "lead: Ines\n")
    post = ("---\ntitle: Includes\n---\n{% include note.html text='hi' %}\n"
            "{{ site.data.team.lead }}\n{% include missing.html %}\n")
    write(tmp_path / "_posts/2020-01-01-includes.md", post)
    findings = check(tmp_path)
    # Only the include that really is missing is reported, at its line.
    assert [(f.line, "missing.html" in f.message) for f in findings] == [(6, True)]


def test_exit_status_for_ci(tmp_path, capsys):
    posts = make_site(tmp_path)
    assert main(["check", str(posts)]) == 1
    out = capsys.readouterr().out
    assert "2 posts checked" in out
    (posts / "2020-01-02-troubled.md").unlink()
    assert main(["check", str(tmp_path)]) == 0
    assert main(["check", str(tmp_path), "--strict"]) == 0


def test_invalid_utf8_is_a_problem_not_a_crash(tmp_path):
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2020-01-01-latin.md").write_bytes(b"---\ntitle: x\n---\nCaf\xe9\n")
    [finding] = check(posts)
    assert finding.line == 4 and "UTF-8" in finding.message


def test_console_script_runs(tmp_path):
    posts = make_site(tmp_path)
    result = subprocess.run([sys.executable, "-m", "sphinx_postblog.cli", "check", str(posts)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "troubled.md:3: problem: unknown front matter key 'subtite'" in result.stdout


# -- every command: --help, usage errors -------------------------------------------------

@pytest.mark.parametrize("command", [[], ["new"], ["check"], ["list"], ["import-jekyll"]])
def test_every_command_has_help_with_its_exit_codes(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: sphinx-postblog {' '.join(command)}".rstrip())
    assert "exit status:" in out and "2  usage error" in out


def test_usage_errors_exit_with_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        main(["new", "Title", str(tmp_path), "--date", "2024-13-01"])
    assert exit_.value.code == 2
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    assert main(["list", str(tmp_path / "nowhere")]) == 2
    assert main(["import-jekyll", str(tmp_path), str(tmp_path / "dest")]) == 2  # no _posts
    assert "no _posts folder" in capsys.readouterr().err


# -- new ---------------------------------------------------------------------------------

def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture
def git_user(tmp_path, monkeypatch):
    """``git config user.name`` answers from a global config file of the test's own."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def set_name(name: str) -> None:
        config = tmp_path / "gitconfig"
        config.write_text(f"[user]\n\tname = {name}\n", encoding="utf-8")
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
        monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return set_name


def test_new_writes_a_post_with_front_matter_and_never_overwrites(tmp_path, capsys, git_user):
    src = tmp_path / "site"
    write(src / "_data/authors.yml", "ada:\n  name: Ada Lovelace\n")
    git_user("ada LOVELACE")  # the authors file's name, in other letter case
    title = 'Release: "Ferry" #2 — yes'
    args = ["new", title, str(src), "--date", "2024-03-05", "--category", "Release Notes",
            "--tag", "ferry", "--tag", "no", "--event", "Docs Harbour 2025", "--draft"]
    assert main(args) == 0
    out = capsys.readouterr().out.strip()
    path = src / "_posts" / "2024-03-05-release-ferry-2-yes.md"
    assert out == str(path)
    meta = front_matter(path)
    assert meta == {"title": title, "date": dt.date(2024, 3, 5), "author": "ada",
                    "category": "Release Notes", "tags": ["ferry", "no"],
                    "event": "Docs Harbour 2025", "published": False}
    # The build's reader takes it as written, without a problem.
    builder = PostBuilder("_posts/2024-03-05-release-ferry-2-yes",
                          read_front_matter(path.read_text(encoding="utf-8")), mtime=None)
    post = builder.build()
    assert builder.problems == []
    assert (post.title, post.published, post.tags) == (title, False, ("ferry", "no"))
    before = path.read_text(encoding="utf-8")
    assert main(args) == 1
    assert "exists; not overwritten" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before


def test_new_takes_no_author_it_cannot_find(tmp_path, capsys, git_user):
    src = tmp_path / "site"
    write(src / "_data/authors.yml", "ada:\n  name: Ada Lovelace\n")
    git_user("Somebody Else")
    assert main(["new", "Plain", str(src), "--date", "2024-01-02"]) == 0
    assert "author" not in front_matter(src / "_posts/2024-01-02-plain.md")
    assert "Somebody Else" in capsys.readouterr().err
    assert main(["new", "Chosen", str(src), "--date", "2024-01-02", "--author", "ADA"]) == 0
    assert front_matter(src / "_posts/2024-01-02-chosen.md")["author"] == "ada"


def test_new_finds_the_posts_folder(tmp_path, git_user):
    git_user("Nobody")
    existing = tmp_path / "a"
    (existing / "blog/posts").mkdir(parents=True)
    assert main(["new", "One", str(existing), "--date", "2024-01-02"]) == 0
    assert (existing / "blog/posts/2024-01-02-one.md").is_file()
    configured = write_site(tmp_path / "b", {}, 'postblog_posts = ["news/*"]\n')
    assert main(["new", "Two", str(configured), "--date", "2024-01-02"]) == 0
    meta = front_matter(configured / "news/2024-01-02-two.md")
    assert "layout" not in meta  # news/* makes it a post
    elsewhere = write_site(tmp_path / "c", {}, 'postblog_posts = ["*/featured-*"]\n')
    assert main(["new", "Three", str(elsewhere), "--date", "2024-01-02"]) == 0
    assert front_matter(elsewhere / "_posts/2024-01-02-three.md")["layout"] == "post"


def test_new_and_list_read_the_conf_py_of_a_relative_source_folder(tmp_path, capsys, git_user,
                                                                    monkeypatch):
    # The tutorial's form, run next to the source folder: `sphinx-postblog new "…" source`.
    git_user("Nobody")
    write_site(tmp_path / "source", {}, 'postblog_posts = ["news/*"]\n')
    monkeypatch.chdir(tmp_path)
    assert main(["new", "Four", "source", "--date", "2024-01-02"]) == 0
    assert "cannot be evaluated" not in capsys.readouterr().err
    assert (tmp_path / "source/news/2024-01-02-four.md").is_file()
    assert main(["list", "source"]) == 0
    assert "news/2024-01-02-four.md" in capsys.readouterr().out


# -- check on an ablog site --------------------------------------------------------------

ABLOG_CONF = """\
project = "ab"
extensions = ["ablog", "myst_parser"]
blog_title = "Ab Blog"
blog_authors = {"Ada": ("Ada Lovelace", "https://ada.example")}
blog_post_pattern = "posts/*.rst"
disqus_shortname = "ab"
blog_frobnicate = 1
html_sidebars = {"**": ["ablog/recentposts.html", "ablog/no-such.html", "searchbox.html"]}
"""
ABLOG_RST = """First ablog post
================

.. post:: Apr 15, 2014
   :tags: earth, love
   :author: Ada
   :subtite: typo

Text.
"""
ABLOG_MYST = """# Second, in MyST

```{post} 2015-06-01
:author: Bob
```

Text ![gone](missing.png)
"""


def make_ablog_site(root: Path) -> Path:
    write(root / "conf.py", ABLOG_CONF)
    write(root / "index.rst", "Home\n====\n")
    write(root / "posts/first.rst", ABLOG_RST)
    write(root / "second.md", ABLOG_MYST)
    write(root / "notes.md", "# Not a post\n")
    return root


def test_check_reads_an_ablog_site_through_the_build_s_reading(tmp_path, capsys):
    site = make_ablog_site(tmp_path / "ablog")
    assert main(["check", str(site)]) == 1
    lines = capsys.readouterr().out.splitlines()
    conf, first, second = site / "conf.py", site / "posts/first.rst", site / "second.md"
    assert f"{first}:7: problem: unknown front matter key 'subtite' (did you mean " \
        "'subtitle'?)" in lines
    assert f"{second}:7: problem: image not found: missing.png" in lines
    assert f"{second}:4: note: author 'Bob' is not in authors.yml: shown as written, " \
        "without a profile" in lines
    notes = [line.split(": note: ", 1)[1] for line in lines if line.startswith(f"{conf}:")]
    assert "extensions: replace 'ablog' by 'sphinx_postblog' (it reads ablog's post and " \
        "update directives and postlist)" in notes
    assert "blog_title = 'Ab Blog' corresponds to postblog_title = 'Ab Blog'" in notes
    assert "blog_post_pattern = 'posts/*.rst' corresponds to postblog_posts = ['posts/*']" \
        in notes
    assert any(n.startswith("disqus_shortname changes nothing") for n in notes)
    assert "blog_frobnicate is not a setting sphinx_postblog knows; ignored" in notes
    [missing] = [n for n in notes if "ablog/no-such.html" in n]
    assert "does not provide it" in missing
    assert not any("searchbox" in n for n in notes)
    assert lines[-1] == ("4 documents read, 2 posts checked (2 by ablog directive): "
                         "2 problems, 9 notes")


def test_check_a_sphinx_folder_with_nothing_to_report(tmp_path, capsys):
    site = write_site(tmp_path / "s", {"_posts/2020-01-01-a.md": "---\ntitle: A\n---\nText.\n"})
    assert main(["check", str(site / "conf.py")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2 documents read, 1 posts checked (1 by location): 0 problems, 0 notes"]


# -- list --------------------------------------------------------------------------------

def make_listed_site(root: Path) -> Path:
    return write_site(root, {
        "_data/authors.yml": "ada:\n  name: Ada Lovelace\n",
        "_posts/2020-01-01-old.md": "---\ntitle: Old\nauthor: ada\ntags: [a, b]\n---\nText.\n",
        "_posts/2021-05-06-hidden.md": "---\ntitle: Hidden\npublished: false\n---\nText.\n",
        "_posts/2999-01-01-later.md": "---\ntitle: Later\ncategory: News\n---\nText.\n",
        "notes/page.md": "---\nlayout: post\ntitle: Page post\ndate: 2022-02-02 10:30\n"
                         "author: [ada, Bob]\n---\nText.\n",
        "ablog.rst": ".. post:: Mar 3, 2019\n   :author: Bob\n\nAn ablog post\n"
                     "=============\n\nText.\n",
        "about.md": "# About\n",
    })


def test_list_prints_posts_newest_first_with_their_status(tmp_path, capsys):
    site = make_listed_site(tmp_path / "site")
    assert main(["list", str(site)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [(row[0], row[1], row[-1]) for row in rows[:-1]] == [
        ("2999-01-01", "future", "_posts/2999-01-01-later.md"),
        ("2022-02-02", "published", "notes/page.md"),
        ("2021-05-06", "draft", "_posts/2021-05-06-hidden.md"),
        ("2020-01-01", "published", "_posts/2020-01-01-old.md"),
        ("2019-03-03", "published", "ablog.rst"),
    ]
    assert " ".join(rows[1]).startswith("2022-02-02 published Ada Lovelace, Bob Page post")
    assert rows[-1] == ["5", "posts:", "3", "published,", "1", "draft,", "1", "future"]


def test_list_json_is_for_scripts(tmp_path, capsys):
    site = make_listed_site(tmp_path / "site")
    assert main(["list", str(site), "--json"]) == 0
    posts = json.loads(capsys.readouterr().out)
    assert [p["status"] for p in posts] == ["future", "published", "draft", "published",
                                            "published"]
    page = posts[1]
    assert page == {"path": "notes/page.md", "docname": "notes/page", "title": "Page post",
                    "date": "2022-02-02T10:30:00+00:00", "status": "published",
                    "authors": ["Ada Lovelace", "Bob"], "categories": [], "tags": []}
    assert posts[3]["tags"] == ["a", "b"] and posts[0]["categories"] == ["News"]
    assert posts[4]["title"] == "An ablog post" and posts[4]["date"] == "2019-03-03"


@pytest.mark.parametrize(("zone", "status"), [("UTC", "future"), ("Pacific/Kiritimati", "published")])
def test_list_decides_future_posts_in_the_blogs_time_zone(tmp_path, capsys, monkeypatch, zone,
                                                          status):
    # Noon UTC on 31 May 2020 is already 1 June (02:00) at UTC+14.
    noon = dt.datetime(2020, 5, 31, 12, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))
    site = write_site(tmp_path / "site", {"_posts/2020-06-01-june.md": "---\ntitle: June\n---\nText.\n"},
                      f"postblog_timezone = {zone!r}\n")
    assert main(["list", str(site), "--json"]) == 0
    [post] = json.loads(capsys.readouterr().out)
    assert post["status"] == status


# -- import-jekyll -----------------------------------------------------------------------

JEKYLL_CONFIG = """\
title: Harbour Notes
url: https://blog.example.org
baseurl: /notes
permalink: /:year/:title/
"""


def make_jekyll_site(root: Path, outside: Path) -> Path:
    write(root / "_config.yml", JEKYLL_CONFIG)
    write(root / "_data/authors.yml", "ada:\n  name: Ada Lovelace\n")
    write(root / "assets/img/hero.png", "hero")
    write(root / "images/inline.png", "inline")
    write(root / "images/raw.png", "raw")
    write(root / "images/unused.png", "unused")
    write(root / "_posts/2020-01-01-first.md",
          "---\ntitle: First\nauthor: ada\nheader-img: /assets/img/hero.png\n---\n"
          "![inline]({{ site.baseurl }}/images/inline.png)\n\n"
          '<img src="/images/raw.png" alt="raw">\n')
    write(root / "_posts/2020-02-02-second.md",
          "---\ntitle: Second\n---\nSee ![secret](/images/secret.png) and "
          "![gone](/images/gone.png).\n")
    write(root / "_drafts/someday.md", "---\ntitle: Someday\n---\nDraft.\n")
    write(outside / "secret.png", "secret")
    write(outside / "2020-03-03-stolen.md", "---\ntitle: Stolen\n---\nText.\n")
    (root / "images/secret.png").symlink_to(outside / "secret.png")
    (root / "_posts/2020-03-03-stolen.md").symlink_to(outside / "2020-03-03-stolen.md")
    return root


def test_import_jekyll_copies_what_the_posts_need_and_nothing_outside(
        tmp_path, capsys, make_app):
    src = make_jekyll_site(tmp_path / "jekyll", tmp_path / "outside")
    dest = tmp_path / "docs"
    assert main(["import-jekyll", str(src), str(dest)]) == 1  # something was left out
    out = capsys.readouterr().out
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert copied == ["_data/authors.yml", "_posts/2020-01-01-first.md",
                      "_posts/2020-02-02-second.md", "assets/img/hero.png",
                      "images/inline.png", "images/raw.png"]
    assert not any(p.is_symlink() for p in dest.rglob("*"))
    assert "outside SRC, skipped: images/secret.png (resolves outside SRC)" in out
    assert "outside SRC, skipped: _posts/2020-03-03-stolen.md (resolves outside SRC)" in out
    assert "missing image: _posts/2020-02-02-second.md:4: /images/gone.png" in out
    lines = out.split("Add to ", 1)[1].split("\n\n", 2)[1].splitlines()
    assert lines == [
        'extensions = ["myst_parser", "sphinx_postblog"]',
        'postblog_url = "https://blog.example.org/notes/"',
        'postblog_permalink = "/:year/:title/"',
        'postblog_title = "Harbour Notes"',
        'html_theme = "postblog"  # optional: the theme made for reading posts',
    ]
    assert out.rstrip().endswith(
        "Imported into " + str(dest) + ": 2 posts, 1 data file, 3 images, 1 missing image, "
        "2 outside SRC skipped, 1 draft in _drafts/ not imported")

    # Again: nothing is overwritten without --force.
    (dest / "images/raw.png").write_text("edited", encoding="utf-8")
    assert main(["import-jekyll", str(src), str(dest)]) == 1
    assert "exists in DEST, kept (--force overwrites): images/raw.png" in capsys.readouterr().out
    assert (dest / "images/raw.png").read_text(encoding="utf-8") == "edited"
    main(["import-jekyll", str(src), str(dest), "--force"])
    assert (dest / "images/raw.png").read_text(encoding="utf-8") == "raw"

    # The printed lines make a project that builds the posts.
    write(dest / "conf.py", 'project = "Harbour"\n' + "\n".join(lines) + "\n")
    write(dest / "index.md", "# Home\n")
    app = make_app("html", srcdir=dest, builddir=tmp_path / "build", freshenv=True)
    app.build()
    assert set(blog_state(app.env).posts) == {"_posts/2020-01-01-first",
                                               "_posts/2020-02-02-second"}
    outdir = Path(app.outdir)
    assert (outdir / "_posts/2020-01-01-first.html").is_file()
    assert (outdir / "blog/index.html").is_file()
    assert (outdir / "2020/first/index.html").is_file()  # the old address redirects
    first = page(app, "_posts/2020-01-01-first.html")
    assert {Path(img["src"]).name for img in first.select(".e-content img")} >= {
        "inline.png", "raw.png"}
