"""YAML as blogs write it: PyYAML's safe loader (libyaml's when PyYAML has it), without a crash.

PyYAML reads ``2015-13-45`` or ``0000-01-01`` as a date and fails with a ``ValueError``
that is not a ``YAMLError``. Here such a value stays text, so that the key it belongs to
gets the usual warning ("not a date") at its own line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[misc]
    """The safe loader, keeping timestamps that no ``datetime`` can hold as text."""


def _timestamp(loader: Loader, node: yaml.ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

#: What reading YAML may raise for bad input.
ERRORS = (yaml.YAMLError, ValueError, OverflowError, RecursionError)


def load(text: str) -> Any:
    """The data of a YAML document."""
    return yaml.load(text, Loader=Loader)


def key_line(path: Path, key: str) -> int:
    """The line of the first top-level ``key:`` in a YAML or front matter file (else 1)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    starts = (f"{key}:", f"'{key}':", f'"{key}":')
    return next((number for number, line in enumerate(lines, 1) if line.startswith(starts)), 1)
