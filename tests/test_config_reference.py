"""docs/configuration.md documents every setting of ``PostblogConfig``, and only those."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sphinx.testing.util import SphinxTestApp

from postblog_testing import main, page, text, warnings, write_site
from sphinx_postblog.config import FIELDS, PostblogConfig

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bs4 import Tag

DOCS = Path(__file__).parent.parent / "docs"

CONF = f"""
import sys
sys.path.insert(0, {str(DOCS / "_ext")!r})
extensions = ["myst_parser", "sphinx_postblog", "postblog_reference"]
myst_enable_extensions = ["deflist"]
myst_heading_anchors = 3
"""

REBUILDS = {
    "env": "re-reads every document",
    "html": "rewrites the pages only",
    "": "changes nothing that is written",
}


def plain_quotes(value: str) -> str:
    """Undo Sphinx's smart quotes."""
    return value.translate(str.maketrans("‘’“”", "''\"\""))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Iterator[dict[str, tuple[Tag, Tag]]]:
    """The entries of the built configuration page, in a project holding only that page:
    term text → (``dt``, ``dd``)."""
    src = write_site(tmp_path_factory.mktemp("reference") / "src", {
        "index.md": "# Home\n\n```{toctree}\nconfiguration\n```\n",
        "configuration.md": (DOCS / "configuration.md").read_text(encoding="utf-8"),
    }, conf=CONF)
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
        # The page refers to other pages of the docs with {doc}; those are not copied.
        assert [w for w in warnings(app) if "unknown document" not in w] == []
        entries = {}
        for term in main(page(app, "configuration.html")).find_all("dt"):
            definition = term.find_next_sibling("dd")
            assert definition is not None
            entries[text(term)] = (term, definition)
        yield entries
    finally:
        app.cleanup()


@pytest.mark.parametrize("f", FIELDS, ids=[f.name for f in FIELDS])
def test_every_field_has_its_documentation(f):
    assert f.metadata["doc"].strip(), f"{f.name} has no doc text"
    assert f.metadata["group"].strip(), f"{f.name} has no group"
    assert f.metadata["types"], f"{f.name} has no types"
    assert f.metadata["rebuild"] in REBUILDS, f"{f.name}: rebuild {f.metadata['rebuild']!r}"


def test_the_page_documents_exactly_the_fields(reference):
    assert set(reference) == {f"postblog_{f.name}" for f in FIELDS}


def test_the_entries_follow_the_field_order(reference):
    assert list(reference) == [f"postblog_{f.name}" for f in FIELDS]


@pytest.mark.parametrize("f", FIELDS, ids=[f.name for f in FIELDS])
def test_each_entry_gives_type_default_text_and_rebuild(reference, f):
    name = f"postblog_{f.name}"
    assert name in reference, f"{name} is not documented"
    term, definition = reference[name]
    assert term.code is not None and text(term.code) == name
    assert term.get("id") == name.replace("_", "-")

    types = " or ".join(t.__name__ for t in f.metadata["types"])
    assert text(definition.strong) == types
    default = repr(getattr(PostblogConfig(), f.name))
    assert definition.code is not None
    assert definition.code.get_text() == default
    assert text(definition).startswith(f"{types} , default {text(definition.code)} .")
    assert REBUILDS[f.metadata["rebuild"]] in text(definition)
    # The first words of the field's own text, whatever roles follow them.
    opening = " ".join(f.metadata["doc"].replace("`", "").split()[:3])
    assert opening in plain_quotes(text(definition))

    # Under the heading of its group.
    section = term.find_parent("section")
    assert section is not None
    assert text(section.find("h2")) == f.metadata["group"]
