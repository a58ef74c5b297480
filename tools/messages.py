"""Extract the interface words into sphinx_postblog.pot and merge them into every .po.

``make messages`` runs it. The messages are the string literals of the package's Python
calls of ``_()``, ``N_()`` and ``ngettext()`` (``sphinx_postblog/i18n.py``) and of the
templates' ``postblog_()``, with the ``TRANSLATORS:`` comments above them. Each catalog
keeps its translations; a new message comes in untranslated, a changed one fuzzy, for a
translator to look at (tests/test_translations.py fails until they have).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sphinx_postblog"
DOMAIN = "sphinx_postblog"
LOCALE = PACKAGE / "locale"
POT = LOCALE / f"{DOMAIN}.pot"
#: Function names whose literal arguments are messages; ngettext's first two are.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "postblog_": None}
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"),
           ("theme/postblog/**.html", "jinja2.ext:babel_extract"),
           ("**.py", "python")]
COMMENT_TAGS = ["TRANSLATORS:"]
#: A fixed date in the template's header: extracting again changes nothing when no
#: message changed.
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def extract(package: Path = PACKAGE) -> Catalog:
    """Every message of the package, with where it is used and its translator comments."""
    catalog = Catalog(domain=DOMAIN, project="sphinx-postblog", version="",
                      header_comment="# The interface words of sphinx-postblog, made by "
                                     "`make messages` (tools/messages.py).\n"
                                     "# This file is distributed under the same license as "
                                     "sphinx-postblog (MIT).",
                      copyright_holder="sphinx-postblog developers",
                      msgid_bugs_address="", creation_date=CREATED, revision_date=CREATED,
                      charset="utf-8")
    found = extract_from_dir(str(package), METHODS, keywords=KEYWORDS,
                             comment_tags=COMMENT_TAGS, strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(f"sphinx_postblog/{filename}", lineno)],
                    auto_comments=comments, context=context)
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as target:
        write_po(target, catalog, width=96, include_lineno=False, ignore_obsolete=True,
                 sort_output=True)


def main() -> int:
    """Write the template and bring every language's catalog up to it."""
    template = extract()
    LOCALE.mkdir(parents=True, exist_ok=True)
    _write(POT, template)
    print(f"{POT.relative_to(ROOT)}: {len(template)} messages")
    for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po.parent.parent.name
        with po.open("rb") as source:
            catalog = read_po(source, locale=language)
        catalog.update(template, update_header_comment=False)
        _write(po, catalog)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{po.relative_to(ROOT)}: {len(missing)} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
