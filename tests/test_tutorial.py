"""The tutorial, ``docs/getting-started.md``, works as written.

Its marked code blocks are its steps, and they run here in order on a fresh project:

- ``tutorial-run``: commands (``$ …`` lines), each with the output the page shows under it:
  all of it, or, where a ``...`` line stands for lines left out, some of it;
- ``tutorial-conf``: settings for the ``conf.py`` of the caption, each replacing the line
  that sets the same name (as the page asks) or added at the end;
- ``tutorial-file``: a file to create, at the caption's path;
- ``tutorial-created``: a file a command wrote, as the page shows it.

So the page cannot drift away from the product (a changed option, message, file name or
front matter) without a failure here. The site built is then read as a reader finds it.
"""

from __future__ import annotations

import ast
import itertools
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from postblog_testing import listed_titles, resolve, text

PAGE = Path(__file__).parents[1] / "docs" / "getting-started.md"
KINDS = ("tutorial-run", "tutorial-conf", "tutorial-file", "tutorial-created")
#: The page's programs, run with this interpreter: the checkout under test, not whatever
#: an environment's PATH finds first.
PROGRAMS = {
    "sphinx-quickstart": [sys.executable, "-m", "sphinx.cmd.quickstart"],
    "sphinx-postblog": [sys.executable, "-m", "sphinx_postblog.cli"],
    # -W: the tutorial's site builds without a single warning.
    "sphinx-build": [sys.executable, "-m", "sphinx", "-W", "--keep-going"],
}
#: Dates in file names and front matter are the day the test runs, not the page's.
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Terminal colour codes, printed when the caller forces colour (FORCE_COLOR, as CI does).
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
SETTING = re.compile(r"^(\w+) = ")


@dataclass
class Step:
    """A marked code block of the page."""

    kind: str
    body: str
    caption: str = ""


@dataclass
class Tutorial:
    """What following the page made."""

    #: Where the next command runs.
    cwd: Path
    commands: list[list[str]] = field(default_factory=list)
    #: The files ``sphinx-postblog new`` wrote.
    created: list[Path] = field(default_factory=list)
    #: The files the page has the reader write, by the page's path, and their text.
    files: dict[str, str] = field(default_factory=dict)
    #: The settings the page has the reader set in ``conf.py``.
    settings: dict[str, object] = field(default_factory=dict)

    def command(self, *words: str) -> list[str]:
        """The arguments of the page's (last) command starting with ``words``."""
        found = [c for c in self.commands if c[:len(words)] == list(words)]
        assert found, f"the tutorial runs no {' '.join(words)}"
        return found[-1]

    def option(self, *words: str, name: str) -> list[str]:
        """The values of option ``name`` in that command."""
        args = self.command(*words)
        return [value for option, value in itertools.pairwise(args) if option == name]


def steps() -> list[Step]:
    """The page's marked code blocks, in order, with their ``:class:`` and ``:caption:``."""
    found = []
    for token in MarkdownIt("commonmark").parse(PAGE.read_text(encoding="utf-8")):
        if token.type != "fence" or not token.info.startswith("{code-block}"):
            continue
        lines = token.content.splitlines()
        options = {}
        while lines and lines[0].startswith(":"):
            name, _, value = lines.pop(0)[1:].partition(":")
            options[name.strip()] = value.strip()
        kind = options.get("class", "")
        if kind in KINDS:
            found.append(Step(kind, "\n".join(lines).strip("\n") + "\n",
                              options.get("caption", "")))
    return found


def normalised(value: str) -> str:
    return DATE.sub("YYYY-MM-DD", COLOUR.sub("", value))


@dataclass
class Command:
    """A ``$`` line of the page and the output shown under it."""

    line: str
    shown: list[str] = field(default_factory=list)
    #: False when a ``...`` line says that some of the output is left out.
    complete: bool = True


def run(tutorial: Tutorial, command: Command) -> None:
    """Run one command of the page where the tutorial is, and check its output."""
    args = shlex.split(command.line)
    if args[0] == "cd":
        tutorial.cwd = tutorial.cwd / args[1]
        assert tutorial.cwd.is_dir(), f"{command.line}: no such folder"
        return
    assert args[0] in PROGRAMS, f"the test does not know how to run {command.line!r}"
    tutorial.commands.append(args)
    # Sphinx's messages in English and without colour, whatever the machine's settings.
    env = {key: value for key, value in os.environ.items() if key != "FORCE_COLOR"}
    env.update(LANGUAGE="en", NO_COLOR="1")
    result = subprocess.run([*PROGRAMS[args[0]], *args[1:]], cwd=tutorial.cwd, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    printed = result.stdout + result.stderr
    assert result.returncode == 0, f"{command.line}\n{printed}"
    lines = [normalised(line.strip()) for line in printed.splitlines() if line.strip()]
    expected = [normalised(line) for line in command.shown]
    if command.complete:
        assert lines == expected, f"{command.line} printed:\n{printed}"
    else:
        missing = [line for line in expected if line not in lines]
        assert not missing, f"{command.line} did not print {missing}; it printed:\n{printed}"
    if args[:2] == ["sphinx-postblog", "new"]:
        tutorial.created.append(tutorial.cwd / result.stdout.strip())


def run_block(tutorial: Tutorial, body: str) -> None:
    """Each command of a console block, with the output lines shown under it."""
    commands: list[Command] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append(Command(line[2:]))
        elif line.strip():
            assert commands, f"output before any command: {line!r}"
            if line.strip() in {"...", "…"}:
                commands[-1].complete = False
            else:
                commands[-1].shown.append(line.strip())
    assert commands
    for command in commands:
        run(tutorial, command)


def set_values(tutorial: Tutorial, step: Step) -> None:
    """Change each setting of the block in the file, or add it, as the page asks."""
    file = tutorial.cwd / step.caption
    conf = file.read_text(encoding="utf-8")
    for line in step.body.splitlines():
        match = SETTING.match(line)
        assert match, f"a setting per line, NAME = value: {line!r}"
        tutorial.settings[match[1]] = ast.literal_eval(line[match.end():])
        pattern = re.compile(rf"^{match[1]}\s*=.*$", re.MULTILINE)
        conf, replaced = pattern.subn(lambda _, line=line: line, conf)
        if not replaced:
            conf += f"\n{line}\n"
    file.write_text(conf, encoding="utf-8")


def compare_created(tutorial: Tutorial, step: Step) -> None:
    """The file the last ``new`` wrote is the one the page shows, but for the dates."""
    assert tutorial.created, "the page shows a created file before any command made one"
    file = tutorial.created[-1]
    assert normalised(file.relative_to(tutorial.cwd).as_posix()) == normalised(step.caption)
    assert normalised(file.read_text(encoding="utf-8")) == normalised(step.body)


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory) -> Tutorial:
    """A fresh project, taken through every step of the page."""
    done = Tutorial(tmp_path_factory.mktemp("tutorial"))
    for step in steps():
        if step.kind == "tutorial-run":
            run_block(done, step.body)
        elif step.kind == "tutorial-conf":
            set_values(done, step)
        elif step.kind == "tutorial-file":
            file = done.cwd / step.caption
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(step.body, encoding="utf-8")
            done.files[step.caption] = step.body
        else:
            compare_created(done, step)
    return done


def output(tutorial: Tutorial) -> Path:
    """The folder the page's ``sphinx-build`` wrote."""
    return tutorial.cwd / tutorial.command("sphinx-build")[-1]


def page(tutorial: Tutorial, path: str) -> BeautifulSoup:
    file = output(tutorial) / path
    assert file.is_file(), f"{path} was not written"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def post_page(tutorial: Tutorial) -> str:
    """The output path of the post the tutorial wrote (``_posts/<date>-hello-blog.html``)."""
    build = tutorial.command("sphinx-build")
    source = tutorial.cwd / build[-2]
    return tutorial.created[0].relative_to(source).with_suffix(".html").as_posix()


def post_title(tutorial: Tutorial) -> str:
    return tutorial.command("sphinx-postblog", "new")[2]


def test_the_page_marks_every_kind_of_step():
    assert {step.kind for step in steps()} == set(KINDS)


def test_the_post_page_has_the_title_and_the_byline(tutorial):
    post = page(tutorial, post_page(tutorial))
    assert text(post.select_one("h1")) == post_title(tutorial)
    authors = next(yaml.safe_load(body) for name, body in tutorial.files.items()
                   if name.endswith("_data/authors.yml"))
    [key] = tutorial.option("sphinx-postblog", "new", name="--author")
    byline = post.select_one("header.postblog-header .postblog-byline")
    assert text(byline.select_one(".p-author")) == authors[key]["name"]
    terms = [*tutorial.option("sphinx-postblog", "new", name="--category"),
             *tutorial.option("sphinx-postblog", "new", name="--tag")]
    assert [text(a) for a in post.select("header.postblog-header a.p-category")] == terms


def test_the_blog_index_lists_the_post(tutorial):
    index = page(tutorial, "blog/index.html")
    assert listed_titles(index) == [post_title(tutorial)]
    link = index.select_one(".postblog-entry-title a")["href"]
    assert resolve("blog/index.html", link) == post_page(tutorial)


def test_the_header_links_the_blog(tutorial):
    root = page(tutorial, "index.html")
    links = [(text(a), a["href"]) for a in root.select(".postblog-nav a")]
    options = tutorial.settings["html_theme_options"]
    assert isinstance(options, dict)
    assert links == [(title, f"{target}.html") for title, target in options["nav_links"]]


def test_every_file_the_page_names_was_written(tutorial):
    named = set(re.findall(r"`(build/html/[^`]+)`", PAGE.read_text(encoding="utf-8")))
    assert len(named) > 5
    project = tutorial.cwd
    missing = [name for name in sorted(named)
               if not list(project.glob(DATE.sub("*", name)))]
    assert not missing

