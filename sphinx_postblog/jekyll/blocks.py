"""Code and rules in Jekyll posts, shown as Jekyll showed them and without warnings.

Code fences name Rouge's lexers (Jekyll's highlighter): most names are Pygments' too, the
others (:data:`ROUGE_NAMES`) become their Pygments equivalent, and a name neither knows
becomes ``text``, shown as it is, as Rouge showed it, where Sphinx would warn that the
lexer is not known. Rouge's generic ``conf`` lexer (``#`` comments, strings and numbers
in any configuration file) has no Pygments counterpart and is ported
(:class:`RougeConfLexer`).

Markdown lets a horizontal rule open a section (``## Setup`` then ``---``) or follow
another; docutils reports both ("Document or section may not begin with a transition").
An empty comment before such a rule, which no writer shows, keeps docutils content.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from docutils import nodes
from pygments.lexer import RegexLexer
from pygments.lexers import find_lexer_class_by_name
from pygments.token import Comment, Name, Number, String, Text
from pygments.util import ClassNotFound
from sphinx import highlighting
from sphinx.transforms import SphinxTransform

from sphinx_postblog.jekyll.convert import is_jekyll_post

__all__ = ["CONF_LEXER", "ROUGE_NAMES", "JekyllBlocks", "RougeConfLexer", "pygments_name"]

#: The name Sphinx knows :class:`RougeConfLexer` by.
CONF_LEXER = "postblog-rouge-conf"

#: Rouge lexer tags and aliases that Pygments lacks or reads otherwise (Rouge 4),
#: with the Pygments lexer that highlights the same language.
ROUGE_NAMES = {
    "apex": "java",
    "apiblueprint": "markdown", "apib": "markdown",
    "apple_script": "applescript", "osa": "applescript",
    "batchfile": "batch",
    "cfscript": "cfs",
    "common_lisp": "common-lisp",
    "conf": CONF_LEXER, "config": CONF_LEXER, "configuration": CONF_LEXER,
    "digdag": "yaml",
    "erl": "erlang",  # Pygments' erl is an Erlang shell session
    "gradle": "groovy",
    "hql": "sql", "plsql": "sql",
    "idlang": "idl",
    "json-doc": "json", "jsonc": "json",
    "literate_haskell": "literate-haskell", "lithaskell": "literate-haskell",
    "objective_c": "objective-c", "obj_c": "objective-c",
    "objective_cpp": "objective-c++", "objcpp": "objective-c++", "obj-cpp": "objective-c++",
    "obj_cpp": "objective-c++", "objectivecpp": "objective-c++",
    "plaintext": "text",
    "prometheus": "promql",
    "robot_framework": "robotframework", "robot": "robotframework",
    "robot-framework": "robotframework",
    "svelte": "html",
    "vb": "vb.net",
    "viml": "vim", "vimscript": "vim",
    "xpath": "xquery",
}


class RougeConfLexer(RegexLexer):
    """Rouge's ``conf``: comments, quoted strings, names and numbers of any config file."""

    name = "Config File (Rouge)"
    aliases: ClassVar[list[str]] = [CONF_LEXER]
    tokens: ClassVar[dict[str, Any]] = {
        "root": [
            (r"#.*?\n", Comment),
            (r'".*?"', String.Double),
            (r"'.*?'", String.Single),
            (r"(?i)[a-z]\w*", Name),
            (r"\d+", Number),
            (r"[^\w#\"']+", Text),
            (r".", Text),  # a lone # at the very end, without its newline
        ],
    }


@functools.cache
def _pygments_knows(name: str) -> bool:
    try:
        find_lexer_class_by_name(name)
    except ClassNotFound:
        return False
    return True


def pygments_name(language: str) -> str:
    """The lexer Sphinx should use for a Jekyll post's code in Rouge's ``language``."""
    name = language.split("?", 1)[0].strip()  # Rouge's "ruby?start_inline=1" options
    if not name:
        return language
    mapped = ROUGE_NAMES.get(name.lower())
    if mapped:
        return mapped
    if name in highlighting.lexer_classes or name in highlighting.lexers or name in (
            "default", "guess", "py3", "python3", "pycon3"):
        return name
    return name if _pygments_knows(name) else "text"


class JekyllBlocks(SphinxTransform):
    """Rouge's lexer names as Pygments', and rules where Markdown allows them (posts only).

    Runs after the post's structure is in place and right before docutils checks the
    transitions (830).
    """

    default_priority = 829

    def apply(self, **kwargs: Any) -> None:
        """Rename code languages and keep docutils from reporting Markdown's rules."""
        if not is_jekyll_post(self.env):
            return
        for node in self.document.findall(nodes.literal_block):
            language = node.get("language")
            if language:
                node["language"] = pygments_name(str(language))
        for rule in list(self.document.findall(nodes.transition)):
            parent = rule.parent
            index = parent.index(rule)
            heading = [n for n in parent.children[:index]
                       if isinstance(n, nodes.title | nodes.subtitle)]
            if index == len(heading) or isinstance(parent[index - 1], nodes.transition):
                parent.insert(index, nodes.comment())
