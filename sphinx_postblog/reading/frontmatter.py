"""Front matter as written: the YAML block of a Markdown post, the field list of a reST one.

Owns :class:`RawFrontMatter` (values as YAML gave them, with the line of each key) and
:class:`Problem`; what the values mean is :mod:`~sphinx_postblog.reading.fields`' concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from sphinx_postblog.reading import yamlsafe

_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
#: A line that reads as the first key of a YAML mapping: ``key:``.
_YAML_KEY = re.compile(r"^[\w-]+:(\s|$)")


@dataclass
class Problem:
    """One front matter problem, at a line of the source file (1-based)."""

    line: int
    message: str


@dataclass
class RawFrontMatter:
    """Front matter as YAML gave it, with the source line of each key."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    #: Number of source lines the front matter block spans, fences included.
    length: int = 0
    problems: list[Problem] = field(default_factory=list)


def split_front_matter(source: str) -> tuple[str, int] | None:
    """Return the YAML text and the number of lines of the front matter block, if any."""
    lines = source.lstrip("\ufeff").split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _FENCE_END.match(lines[index]):
            return "\n".join(lines[1:index]), index + 1
    return None


def read_front_matter(source: str) -> RawFrontMatter | None:
    """Parse the front matter block of ``source`` with PyYAML, keeping key lines."""
    split = split_front_matter(source)
    if split is None:
        opening = source.lstrip("\ufeff").split("\n", 2)
        if len(opening) > 1 and _FENCE.match(opening[0]) and _YAML_KEY.match(opening[1]):
            unclosed = RawFrontMatter()
            unclosed.problems.append(Problem(1, "front matter opened with '---' is never closed "
                                                "(by '---' or '...'); read as text"))
            return unclosed
        return None
    text, length = split
    raw = RawFrontMatter(length=length)
    loader = yamlsafe.Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yamlsafe.ERRORS as exc:
        mark = getattr(exc, "problem_mark", None)
        line = loader.line_of(mark) + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raw.problems.append(Problem(line, f"front matter is not valid YAML: {problem}"))
        return raw
    finally:
        loader.dispose()
    if data is None:
        return raw
    if not isinstance(data, dict) or node is None or not isinstance(node, yaml.MappingNode):
        raw.problems.append(Problem(1, "front matter is not a mapping of keys to values"))
        return raw
    for key_node, _value_node in node.value:
        raw.lines[str(key_node.value)] = loader.line_of(key_node.start_mark) + 2
    for key, line in loader.duplicates:
        raw.problems.append(Problem(line + 2, f"front matter key '{key}' is written twice in "
                                              "one mapping; the last value is used"))
    raw.data = {str(key): value for key, value in data.items()}
    return raw


_RST_FIELD = re.compile(r"^:([^:\s][^:]*):(?:\s+(.*))?$")


def read_rst_fields(source: str) -> RawFrontMatter | None:
    """The field list that opens a reST document (its docinfo), as raw front matter."""
    raw = RawFrontMatter()
    key = None
    for number, line in enumerate(source.lstrip("\ufeff").split("\n"), start=1):
        match = _RST_FIELD.match(line)
        if match:
            key = match.group(1).strip()
            raw.data[key] = (match.group(2) or "").strip()
            raw.lines[key] = number
        elif key is not None and line[:1] in {" ", "\t"} and line.strip():
            raw.data[key] = f"{raw.data[key]} {line.strip()}".strip()
        elif line.strip() or key is not None:
            break
        raw.length = number
    return raw if raw.data else None
