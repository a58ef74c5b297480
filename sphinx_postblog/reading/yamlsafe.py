"""YAML as blogs write it: PyYAML's safe loader (libyaml's when PyYAML has it), without a crash.

PyYAML reads ``2015-13-45`` or ``0000-01-01`` as a date and fails with a ``ValueError``
that is not a ``YAMLError``. Here such a value stays text, so that the key it belongs to
gets the usual warning ("not a date") at its own line.

PyYAML also takes a key written twice in one mapping silently, the last value winning;
the loader notes each such key with its line (:attr:`Loader.duplicates`), for a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_MERGE = "tag:yaml.org,2002:merge"


class Loader(_Base):  # type: ignore[misc]
    """The safe loader, keeping timestamps that no ``datetime`` can hold as text."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.text = stream if isinstance(stream, str) else ""
        #: ``(key, line)`` of each key written a second time in one mapping (0-based line).
        self.duplicates: list[tuple[str, int]] = []

    def line_of(self, mark: Any) -> int:
        """The 0-based line of a mark, counting only newlines, as editors and Sphinx do.

        PyYAML's own ``mark.line`` also counts U+2028, U+2029 and U+0085 as line breaks.
        """
        index = getattr(mark, "index", None)
        if self.text and isinstance(index, int):
            return self.text.count("\n", 0, index)
        return int(mark.line)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        """A mapping, noting its keys written twice (``<<`` merges are meant to override)."""
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                if key in seen:
                    self.duplicates.append((str(key), self.line_of(key_node.start_mark)))
                seen.add(key)
            except TypeError:  # not hashable: PyYAML says so itself
                continue
        return super().construct_mapping(node, deep=deep)


def _timestamp(loader: Loader, node: yaml.ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

#: What reading YAML may raise for bad input.
ERRORS = (yaml.YAMLError, ValueError, OverflowError, RecursionError)


def load(text: str, duplicates: list[tuple[str, int]] | None = None) -> Any:
    """The data of a YAML document; keys written twice are added to ``duplicates``."""
    loader = Loader(text)
    try:
        return loader.get_single_data()
    finally:
        if duplicates is not None:
            duplicates.extend(loader.duplicates)
        loader.dispose()


def key_line(path: Path, key: str) -> int:
    """The line of the first top-level ``key:`` in a YAML or front matter file (else 1)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    starts = (f"{key}:", f"'{key}':", f'"{key}":')
    return next((number for number, line in enumerate(lines, 1) if line.startswith(starts)), 1)
