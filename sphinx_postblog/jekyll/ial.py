"""kramdown's attribute lists (``{: .class #id key="value"}``) and what they mean in MyST.

Owns :class:`Ial`, parsed from one or more IALs, and the mapping of its classes, styles
and attributes onto the image attributes MyST's ``attrs_inline`` syntax accepts
(``id``, ``class``, ``align``, ``width``, ``height``, ``title``). Styles with no MyST
counterpart are dropped: they only ever changed how a post looked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A quoted attribute value, as kramdown writes it.
QUOTED = r"""(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')"""
#: One IAL; ``{::ext}`` extension tags and ``{:/}`` closing tags are not IALs.
IAL_PATTERN = rf"""\{{:(?![:/])(?:[^}}"']|{QUOTED})*\}}"""
IAL = re.compile(IAL_PATTERN)

_ITEM = re.compile(
    rf"""\s*(?:\.(?P<cls>[^\s.#}}"'=]+)|\#(?P<id>[^\s.#}}"'=]+)"""
    rf"""|(?P<key>[\w:-]+)=(?P<val>{QUOTED}|[^\s}}]*)|(?P<ref>[\w-]+))""")
_LENGTH = re.compile(r"\d+(?:\.\d+)?(?:%|px|em|ex|rem|pt|pc|cm|mm|in|vw|vh)?\Z")
# Classes that themes use to place an image, as MyST's ``align`` values.
_ALIGN_CLASSES = {f"{pre}{side}{post}": side for side in ("center", "left", "right")
                  for pre, post in (("", ""), ("align-", ""), ("float-", ""), ("pull-", ""),
                                    ("text-", ""), ("image-", ""), ("", "-image"))}
_ALIGN_CLASSES.update(centered="center", centre="center", **{"mx-auto": "center"})


@dataclass
class Ial:
    """The classes, id, attributes and references (like ``toc``) of IALs."""

    classes: list[str] = field(default_factory=list)
    ident: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> Ial:
        """Parse every IAL in ``text``; later values win, as in kramdown."""
        ial = cls()
        for body in IAL.findall(text):
            for m in _ITEM.finditer(body[2:-1]):
                if m.group("cls"):
                    ial.classes.append(m.group("cls"))
                elif m.group("id"):
                    ial.ident = m.group("id")
                elif m.group("key"):
                    value = m.group("val")
                    if value[:1] in "'\"" and len(value) > 1:
                        value = value[1:-1]
                    ial.attrs[m.group("key").lower()] = value
                elif m.group("ref"):
                    ial.refs.append(m.group("ref"))
        ial.classes += ial.attrs.pop("class", "").split()
        ial.ident = ial.attrs.pop("id", ial.ident)
        return ial

    def language(self) -> str:
        """The code language a ``.language-xxx`` class names, or ``''``."""
        return next((c[9:] for c in self.classes if c.startswith("language-")), "")

    def image_attrs(self, *, align_only: bool = False) -> dict[str, str]:
        """The MyST image attributes this IAL means; only ``align`` if ``align_only``."""
        found: dict[str, str] = {}
        declarations = (d.partition(":") for d in self.attrs.get("style", "").split(";"))
        styles = {k.strip().lower(): v.strip().lower() for k, _, v in declarations}
        margin = styles.get("margin", "").split()
        # margin: auto / 0 auto / 0 auto 1em all centre a block-level image.
        if (margin[1:2] == ["auto"] or margin == ["auto"]
                or styles.get("margin-left") == styles.get("margin-right") == "auto"):
            found["align"] = "center"
        if styles.get("float") in ("left", "right"):
            found["align"] = styles["float"]
        if styles.get("text-align") == "center":
            found["align"] = "center"
        for cls in self.classes:
            if cls in _ALIGN_CLASSES:
                found["align"] = _ALIGN_CLASSES[cls]
            elif not align_only:
                found["class"] = (found.get("class", "") + " " + cls).strip()
        if self.attrs.get("align") in ("left", "center", "right"):
            found["align"] = self.attrs["align"]
        if align_only:
            return found
        if self.ident:
            found["id"] = self.ident
        for key in ("width", "height"):
            value = self.attrs.get(key) or styles.get(key, "")
            if value.isdigit():
                value += "px"
            # docutils takes a height in units only, a width in units or percent.
            if _LENGTH.match(value) and not (key == "height" and value.endswith("%")):
                found[key] = value
        if self.attrs.get("title"):
            found["title"] = self.attrs["title"]
        return found


def myst_attrs(attrs: dict[str, str]) -> str:
    """Write attributes in MyST's ``{#id .class key="value"}`` syntax (``''`` if none)."""
    parts = [f"#{attrs['id']}"] if "id" in attrs else []
    parts += [f".{c}" for c in attrs.get("class", "").split()]
    # Values are always quoted: MyST rejects a bare 70%.
    parts += [f'{k}="{v}"' for k, v in attrs.items() if k not in ("id", "class") and '"' not in v]
    return "{" + " ".join(parts) + "}" if parts else ""
