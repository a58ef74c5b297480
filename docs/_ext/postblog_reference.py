"""The ``postblog-config`` directive: the settings reference, made from the settings dataclass.

Every field of :class:`sphinx_postblog.config.PostblogConfig` becomes one entry, under a
``##`` heading per group (in field order): the setting's name, its types, its default (the
Python ``repr``), the field's ``doc`` text and what changing it rebuilds. The entries are
written as MyST Markdown and parsed in place, so the directive belongs in a MyST document
with the ``deflist`` extension enabled. Each setting is also noted as a ``confval`` of the
standard domain, with an anchor ``postblog-<name>``.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from sphinx_postblog.config import FIELDS, PostblogConfig

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What changing a setting rebuilds, by its ``rebuild`` value.
REBUILDS = {
    "env": "Changing it re-reads every document.",
    "html": "Changing it rewrites the pages only.",
    "": "Changing it changes nothing that is written.",
}


def setting_name(name: str) -> str:
    """The ``conf.py`` name of a field."""
    return f"postblog_{name}"


def type_text(types: tuple[type, ...]) -> str:
    """``list or tuple``."""
    return " or ".join(t.__name__ for t in types)


def code(value: str) -> str:
    """A Markdown code span holding ``value`` exactly, whatever backticks it contains."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def reference_markdown() -> list[str]:
    """The reference as MyST Markdown lines: a heading per group, a definition per field."""
    defaults = PostblogConfig()
    lines: list[str] = []
    group = None
    for f in FIELDS:
        meta = f.metadata
        if meta["group"] != group:
            group = meta["group"]
            lines += [f"## {group}", ""]
        default = code(repr(getattr(defaults, f.name)))
        doc = " ".join(meta["doc"].split())
        rebuild = REBUILDS[meta["rebuild"]]
        lines += [
            code(setting_name(f.name)),
            f": **{type_text(meta['types'])}**, default {default}. {doc} {rebuild}",
            "",
        ]
    return lines


class PostblogConfigDirective(SphinxDirective):
    """``postblog-config``: every ``postblog_*`` setting, grouped, with its documentation."""

    has_content = False
    required_arguments = 0
    optional_arguments = 0
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Parse the generated Markdown in place and give each setting its anchor."""
        if "deflist" not in getattr(self.config, "myst_enable_extensions", ()):
            raise self.error("postblog-config needs MyST's deflist extension "
                             '(myst_enable_extensions = ["deflist"])')
        # Re-read the page when the settings change, on incremental builds too.
        self.env.note_dependency(sys.modules[PostblogConfig.__module__].__file__)
        source, _line = self.get_source_info()
        container = nodes.container()
        self.state.nested_parse(StringList(reference_markdown(), source), 0, container,
                                match_titles=True)
        # MyST puts the group sections into the enclosing section itself; the setting
        # terms are found in the document.
        names = {setting_name(f.name) for f in FIELDS}
        std = self.env.domains.standard_domain
        for term in self.state.document.findall(nodes.term):
            name = term.astext()
            if name in names and not term["ids"]:
                node_id = nodes.make_id(name)
                term["ids"].append(node_id)
                self.state.document.set_id(term)
                std.note_object("confval", name, node_id, location=term)
        return container.children


def command_help() -> list[tuple[str, str]]:
    """``sphinx-postblog --help`` and each command's, as argparse prints them (80 columns)."""
    import argparse  # noqa: PLC0415
    import os  # noqa: PLC0415

    from sphinx_postblog.cli import build_parser  # noqa: PLC0415

    columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal's width
    try:
        parser = build_parser()
        found = [("sphinx-postblog", parser.format_help())]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found += [(f"sphinx-postblog {name}", sub.format_help())
                          for name, sub in action.choices.items()]
        return found
    finally:
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns


class PostblogCliDirective(SphinxDirective):
    """``postblog-cli``: a section per command with its ``--help``, made by the parser itself."""

    def run(self) -> list[nodes.Node]:
        """One section per command, its help as a literal block."""
        sections: list[nodes.Node] = []
        for title, text in command_help():
            ident = nodes.make_id(f"cli-{title}")
            section = nodes.section(ids=[ident])
            section += nodes.title(title, "", nodes.literal(title, title))
            block = nodes.literal_block(text, text, language="text")
            section += block
            self.state.document.note_implicit_target(section, section)
            sections.append(section)
        return sections


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("postblog-config", PostblogConfigDirective)
    app.add_directive("postblog-cli", PostblogCliDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
