"""The reference pages of docs/ name everything the code has: a new warning type, front
matter key, directive option, template, block, page kind or command fails here until it
is documented (and a documented one the code no longer has fails too)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import sphinx_postblog
from sphinx_postblog.cli import build_parser
from sphinx_postblog.output.postlist import PostList
from sphinx_postblog.reading.fields import KNOWN_KEYS
from sphinx_postblog.reports.directive import TalkDirective
from sphinx_postblog.view import KINDS

DOCS = Path(__file__).parents[1] / "docs"
PACKAGE = Path(sphinx_postblog.__file__).parent
THEME = PACKAGE / "theme" / "postblog"


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_warning_type_is_documented_and_no_other():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    used = set(re.findall(r'subtype(?:\s*:\s*str)?\s*=\s*"([a-z_-]+)"', source))
    documented = set(re.findall(r"^`postblog\.([a-z_-]+)`$", doc("warnings.md"), re.MULTILINE))
    assert used, "the pattern finds the warning types"
    assert used == documented


def test_every_front_matter_key_is_documented():
    page = doc("front-matter.md")
    assert sorted(k for k in KNOWN_KEYS if f"`{k}`" not in page) == []


@pytest.mark.parametrize(("directive", "page"), [
    (PostList, "directives.md"), (TalkDirective, "reports.md")])
def test_every_directive_option_is_documented(directive, page):
    text = doc(page)
    assert [o for o in directive.option_spec if f":{o}:" not in text] == []


def test_every_theme_template_and_block_is_documented():
    page = doc("themes.md")
    templates = sorted(p.relative_to(THEME).as_posix() for p in THEME.rglob("*.html"))
    assert [t for t in templates if f"`{t}`" not in page] == []
    blocks = set()
    for template in THEME.rglob("*.html"):
        blocks |= set(re.findall(r"{%-?\s*block\s+(\w+)", template.read_text(encoding="utf-8")))
    assert sorted(b for b in blocks if f"`{b}`" not in page) == []


def test_every_ablog_sidebar_template_is_documented():
    page = doc("ablog.md")
    folder = PACKAGE / "ablog" / "templates"
    templates = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html")
                       if not p.name.startswith("_"))  # the macros they share
    assert templates and [t for t in templates if t not in page] == []


def test_every_kind_of_generated_page_is_documented():
    page = doc("pages.md")
    assert [k for k in KINDS if f"`blog/{k}/" not in page and k != "year"] == []
    assert "`blog/<year>.html`" in page


def test_the_command_line_reference_is_the_parser_s_own_help():
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        from postblog_reference import command_help  # noqa: PLC0415
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    helps = dict(command_help())
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(helps) == {"sphinx-postblog", *(f"sphinx-postblog {c}" for c in commands)}
    for name, text in helps.items():
        assert text.startswith(f"usage: {name}")
    assert "```{postblog-cli}" in doc("cli.md")
