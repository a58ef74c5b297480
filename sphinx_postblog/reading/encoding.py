"""Source files that are not valid in the source encoding: warn, then read them anyway.

Sphinx decodes each source strictly and aborts the whole build with a traceback on the
first invalid byte, before ``source-read`` runs. Old blog posts often carry a stray Latin-1
byte. ``env-before-read-docs`` sees which documents will be read: when one of them does
not decode, we warn at its file and line and let this read decode with replacement
characters (U+FFFD) instead of failing.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

LENIENT = "postblog-utf-8-replace"


def _decode(data: bytes, final: bool, first: bool) -> tuple[str, int]:
    if first and data.startswith(codecs.BOM_UTF8):
        text, used = codecs.utf_8_decode(data[3:], "replace", final)
        return text, used + 3
    return codecs.utf_8_decode(data, "replace", final)


class _LenientDecoder(codecs.BufferedIncrementalDecoder):
    """UTF-8 (with or without a byte order mark) that replaces what it cannot decode."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.first = True

    def _buffer_decode(self, data: Any, errors: str, final: bool) -> tuple[str, int]:
        text, used = _decode(bytes(data), final, self.first)
        if used:
            self.first = False
        return text, used

    def reset(self) -> None:
        super().reset()
        self.first = True


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != LENIENT.replace("-", "_"):
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(
        name=LENIENT, encode=utf8.encode,
        decode=lambda data, errors="strict": _decode(data, True, True),
        incrementalencoder=utf8.incrementalencoder, incrementaldecoder=_LenientDecoder,
        streamreader=utf8.streamreader, streamwriter=utf8.streamwriter,
    )


def register_codec() -> None:
    """Make the lenient codec known to Python (once per process)."""
    try:
        codecs.lookup(LENIENT)
    except LookupError:
        codecs.register(_search)


def check_encodings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Warn about undecodable documents and read this time with replacement characters."""
    encoding = app.config.source_encoding
    env.settings["input_encoding"] = encoding
    bad = False
    for docname in docnames:
        path = Path(env.doc2path(docname))
        try:
            path.read_bytes().decode(encoding)
        except UnicodeDecodeError as exc:
            bad = True
            line = exc.object[: exc.start].count(b"\n") + 1
            logger.warning("bytes that are not valid %s (%r); they are shown as \ufffd",
                           encoding, exc.object[exc.start : exc.end],
                           location=(docname, line), type="postblog", subtype="encoding")
        except (OSError, LookupError):
            continue
    if bad and codecs.lookup(encoding).name in {"utf-8", "utf-8-sig"}:
        env.settings["input_encoding"] = LENIENT
