"""The words readers see, in the project's ``language``: the ``sphinx_postblog`` catalog.

Python marks its interface words with :func:`_` (and :func:`ngettext` where a number
varies, :func:`N_` where a word is kept now and translated where it is shown); the theme's
and the ablog sidebars' templates call ``postblog_()``, added to every page's context,
since their ``_()`` is Sphinx's own catalog. Messages name their placeholders
(``"Part {number} of {total} of the series “{name}”"``) so that translators can reorder
them; :func:`pieces` splits a translated message at its placeholders where they are
elements, not text.

The catalogs are ``locale/<language>/LC_MESSAGES/sphinx_postblog.po``. A wheel carries them
compiled (``hatch_build.py``); a checkout or an editable install compiles a ``.mo`` that is
missing or older than its ``.po`` when the extension is set up, in the package when it is
writable, else in a folder of the temporary directory.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from string import Formatter
from typing import TYPE_CHECKING, Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx import locale
from sphinx.util.i18n import CatalogInfo

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: The catalog's name: ``sphinx_postblog.pot``, ``.po`` and ``.mo``.
DOMAIN = "sphinx_postblog"
#: The package's catalogs: ``<language>/LC_MESSAGES/sphinx_postblog.po`` (and ``.mo``).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

def _(message: str) -> str:
    """A message in the project's language; English where no catalog is registered.

    Always a ``str``, unlike ``sphinx.locale.get_translation``'s lazy proxy before setup:
    reading code also runs without a build (the command line), and a proxy in the model
    would be pickled and compared as an object. Messages kept at import time are marked
    with :func:`N_` and translated where they are shown.
    """
    return locale.get_translator(DOMAIN).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark a message for the catalog; it is translated where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or (one of the language's) plural forms of a message for ``count``."""
    return locale.get_translator(DOMAIN).ngettext(singular, plural, count)


def pieces(message: str) -> list[tuple[str, str | None]]:
    """A message as (literal text, placeholder name or None) pairs, in its own order."""
    return [(literal, name) for literal, name, _spec, _conv in Formatter().parse(message)]


def template_gettext(message: str, /, **values: Any) -> str:
    """``postblog_()`` of the templates: a message, its placeholders filled.

    A word the catalog of the project's language does not have is looked up in Sphinx's
    own catalog ("Search", "Next"…), which has more languages than ours.
    """
    text = _(message)
    if text == message:
        text = locale.get_translator("sphinx").gettext(message)
    return text.format(**values) if values else text


def _add_template_function(app: Sphinx, pagename: str, templatename: str,
                           context: dict[str, Any], doctree: nodes.document | None) -> None:
    context["postblog_"] = template_gettext


# -- compiled catalogs ------------------------------------------------------------------


def _compile(po_dir: Path, language: str) -> None:
    """Write the ``.mo`` beside a ``.po`` when it is missing or older; atomically."""
    catalog = CatalogInfo(po_dir, DOMAIN, "utf-8")
    if not catalog.is_outdated():
        return
    with Path(catalog.po_path).open(encoding="utf-8") as source:
        messages = read_po(source, language)
    # Written aside and renamed: another build reading the catalog never sees half of it.
    handle, temporary = tempfile.mkstemp(dir=po_dir, suffix=".mo.tmp")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, messages)
        Path(temporary).replace(catalog.mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sources(base: Path) -> list[tuple[str, Path]]:
    return sorted((po.parent.parent.name, po.parent)
                  for po in base.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compiled_catalogs() -> Path:
    """The folder whose catalogs are compiled and current, to register with Sphinx.

    A wheel's catalogs are compiled already (it has no ``.po``). Elsewhere the package's
    folder, when it can be written to; else a copy of the ``.po`` tree in the temporary
    directory, one per installed copy of the package. Where neither can be written, the
    package's folder as it is (words a missing ``.mo`` would give stay English).
    """
    sources = _sources(LOCALE_DIR)
    try:
        for language, po_dir in sources:
            _compile(po_dir, language)
    except OSError:
        pass
    else:
        return LOCALE_DIR
    # One folder per installed copy of the package: two checkouts never share catalogs.
    where = hashlib.sha256(str(LOCALE_DIR).encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"sphinx-postblog-locale-{where}"
    try:
        for language, po_dir in sources:
            copy = cache / po_dir.relative_to(LOCALE_DIR)
            copy.mkdir(parents=True, exist_ok=True)
            po, copied = po_dir / f"{DOMAIN}.po", copy / f"{DOMAIN}.po"
            if not copied.is_file() or copied.read_bytes() != po.read_bytes():
                shutil.copy2(po, copied)  # its time too: the .mo is compared with it
            _compile(copy, language)
    except OSError:
        return LOCALE_DIR
    return cache


def catalog_signature(language: str | None) -> str:
    """What the words of pages in ``language`` come from; pages are written again when it changes.

    The language, and the digest of its catalog.
    """
    # gettext's own fallbacks: de_DE finds de.
    short = (language or "-").replace("-", "_").split("_")[0]
    for folder in dict.fromkeys([language or "-", short]):
        for name in (f"{DOMAIN}.po", f"{DOMAIN}.mo"):
            path = LOCALE_DIR / folder / "LC_MESSAGES" / name
            if path.is_file():
                stat = path.stat()
                return _file_digest(language or "", path, stat.st_mtime_ns, stat.st_size)
    return language or ""


@functools.lru_cache(maxsize=8)
def _file_digest(language: str, path: Path, mtime: int, size: int) -> str:
    """A catalog file's digest; one read per version of the file (every page asks)."""
    return f"{language}:{hashlib.sha256(path.read_bytes()).hexdigest()}"


def setup_i18n(app: Sphinx) -> None:
    """Register the catalog for the project's language, and ``postblog_()`` for templates."""
    # Sphinx merges a catalog registered again into the one it has: a second project
    # built in this process (tests, a preview server) would keep the first one's language.
    for namespace in ("general", "console"):
        locale.translators.pop((namespace, DOMAIN), None)
    app.add_message_catalog(DOMAIN, str(compiled_catalogs()))
    app.connect("html-page-context", _add_template_function)
