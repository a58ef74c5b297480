"""Jekyll's Liquid filters on arrays: where, where_exp, group_by, sort, push and the others.

Owns :data:`ARRAY_FILTERS`. Like Jekyll's, they never change their input: ``push``,
``pop``, ``shift`` and ``unshift`` return a new array. ``sample`` picks the same items for
the same input in every build, so that output stays reproducible.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from liquid import Token, TokenStream
from liquid.builtin.expressions import BooleanExpression, FilteredExpression, tokenize
from liquid.exceptions import FilterArgumentError
from liquid.filter import with_context

from sphinx_postblog.jekyll.liquid_dates import plain, to_datetime

if TYPE_CHECKING:
    from liquid import Environment, RenderContext

__all__ = ["ARRAY_FILTERS", "array", "ruby_value", "text"]


def text(value: object) -> str:
    """A value as Liquid prints it (nil and undefined as empty text)."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def ruby_value(value: object) -> object:
    """A value as Ruby's JSON sees it: times as their text, undefined as nil."""
    value = plain(value)
    if isinstance(value, Mapping):
        return {str(k): ruby_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [ruby_value(v) for v in value]
    if isinstance(value, dt.date):
        return str(to_datetime(value))
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def array(value: object) -> list[Any]:
    """A value as an array: a mapping's values, a sequence's items, else the value alone."""
    value = plain(value)
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return [] if value is None else [value]


def _property(item: object, path: object) -> object:
    """``item[path]``, following dots (``post.author.name``), or None."""
    for key in text(path).split("."):
        if isinstance(item, Mapping):
            item = item.get(key)
        elif isinstance(item, Sequence) and not isinstance(item, str) and key.isdigit():
            item = item[int(key)] if int(key) < len(item) else None
        else:
            return None
    return plain(item)


def _matches(found: object, target: object) -> bool:
    if target is None:
        return found is None
    wanted = text(target)
    if isinstance(found, str):
        return found == wanted
    return any(text(each) == wanted for each in array(found))


def where(value: object, prop: object = None, target: object = None) -> object:
    """Items whose property equals the value (or, for a list property, contains it)."""
    if not plain(prop) or isinstance(target, list | dict):
        return value
    return [item for item in array(value) if _matches(_property(item, prop), plain(target))]


def find(value: object, prop: object = None, target: object = None) -> object:
    """The first item ``where`` would give, or nil."""
    return next(iter(where(value, prop, target) or []), None)  # type: ignore[call-overload]


def _compare(left: object, right: object) -> int:
    try:
        return (left > right) - (left < right)  # type: ignore[operator]
    except TypeError:
        return (str(left) > str(right)) - (str(left) < str(right))


def sort(value: object, prop: object = None, nils: object = "first") -> object:
    """Sorted, by a property if given; items without it ``first`` (default) or ``last``."""
    if plain(value) is None:
        raise FilterArgumentError("sort: cannot sort a null object", token=None)
    if nils not in ("first", "last"):
        raise FilterArgumentError(f"sort: invalid nils order '{nils}'", token=None)
    order = -1 if nils == "first" else 1
    items = array(value)
    if plain(prop) is None:
        return sorted(items, key=functools.cmp_to_key(_compare))

    def by_property(a: tuple[object, object], b: tuple[object, object]) -> int:
        if a[0] is None or b[0] is None:
            return 0 if a[0] is b[0] else order if a[0] is None else -order
        return _compare(a[0], b[0])

    keyed = sorted(((_property(i, prop), i) for i in items), key=functools.cmp_to_key(by_property))
    return [item for _, item in keyed]


def group_by(value: object, prop: object) -> list[dict[str, object]]:
    """``[{name, items, size}]``, by the property's text, in order of first appearance."""
    return _groups((text(_property(item, prop)), item) for item in array(value))


def _groups(pairs: Any) -> list[dict[str, object]]:
    groups: dict[str, list[object]] = {}
    for name, item in pairs:
        groups.setdefault(name, []).append(item)
    return [{"name": n, "items": items, "size": len(items)} for n, items in groups.items()]


@functools.lru_cache(maxsize=256)
def _expression(env: Environment, source: str, condition: bool) -> Any:
    tokens = TokenStream(tokenize(source, Token("expression", source, 0, source)))
    return (BooleanExpression if condition else FilteredExpression).parse(env, tokens)


def _each(value: object, name: object, source: object, context: RenderContext,
          condition: bool) -> list[tuple[object, object]]:
    """Each item with the expression's value for it, the item bound to ``name``."""
    expression = _expression(context.env, text(source), condition)
    pairs = []
    for item in array(value):
        with context.extend({text(name): item}):
            pairs.append((expression.evaluate(context), item))
    return pairs


@with_context
def where_exp(value: object, name: object, source: object, *,
              context: RenderContext) -> list[object]:
    """Items for which the condition holds: ``where_exp: "post", "post.year > 2014"``."""
    return [item for ok, item in _each(value, name, source, context, condition=True) if ok]


@with_context
def find_exp(value: object, name: object, source: object, *, context: RenderContext) -> object:
    """The first item for which the condition holds, or nil."""
    return next(iter(where_exp(value, name, source, context=context)), None)


@with_context
def group_by_exp(value: object, name: object, source: object, *,
                 context: RenderContext) -> list[dict[str, object]]:
    """``group_by`` on an expression's value: ``group_by_exp: "post", "post.date | date: '%Y'"``."""
    pairs = _each(value, name, source, context, condition=False)
    return _groups((text(key), item) for key, item in pairs)


def sample(value: object, count: object = 1) -> object:
    """Random items, the same for the same input in every build (reproducible output)."""
    items = array(value)
    chooser = random.Random(json.dumps(ruby_value(items), default=str))
    if plain(count) in (None, 1):
        return chooser.choice(items) if items else None
    return chooser.sample(items, min(max(to_integer(count), 0), len(items)))


def to_integer(value: object) -> int:
    """Ruby's ``to_i``: leading digits, ``true`` 1, anything else 0."""
    value = plain(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value)
    found = re.match(r"\s*[-+]?\d+", text(value))
    return int(found.group()) if found else 0


def _array_op(change: Callable[[list[Any], object], None]) -> Callable[..., object]:
    def apply(value: object, arg: object = 1) -> object:
        if not isinstance(plain(value), list | tuple):
            return value
        items = list(value)  # type: ignore[call-overload]
        change(items, arg)
        return items

    return apply


def _drop(items: list[Any], count: object, *, end: bool) -> None:
    number = min(max(to_integer(count), 0), len(items))
    del items[len(items) - number if end else 0 : len(items) if end else number]


ARRAY_FILTERS: dict[str, Callable[..., object]] = {
    "where": where, "where_exp": where_exp, "find": find, "find_exp": find_exp,
    "group_by": group_by, "group_by_exp": group_by_exp, "sort": sort, "sample": sample,
    "to_integer": to_integer,
    "push": _array_op(lambda items, arg: items.append(arg)),
    "unshift": _array_op(lambda items, arg: items.insert(0, arg)),
    "pop": _array_op(lambda items, arg: _drop(items, arg, end=True)),
    "shift": _array_op(lambda items, arg: _drop(items, arg, end=False)),
}
