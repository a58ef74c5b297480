"""The ``postblog`` HTML theme: templates and stylesheet made for reading posts and reports.

Registered through the ``sphinx.html_themes`` entry point, so ``html_theme = "postblog"``
alone is enough: loading the theme also loads the ``sphinx_postblog`` extension, whose
doctree nodes the theme styles. The values its templates print are computed in
:mod:`.context`, at ``html-page-context``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.theme.context import setup_context

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: The theme folder: ``theme.toml``, templates and ``static/``.
THEME_PATH = Path(__file__).resolve().parent / "postblog"


def setup_theme(app: Sphinx) -> None:
    """Register the theme and connect the handler that computes what its templates print.

    The extension offers the theme wherever it is loaded; :mod:`.context` makes its values.
    """
    app.add_html_theme("postblog", str(THEME_PATH))
    setup_context(app)


def setup(app: Sphinx) -> ExtensionMetadata:
    """The theme's entry point: load the extension it styles, which registers the theme.

    The extension's ``setup`` calls :func:`setup_theme`, once per application, whether
    it was loaded by ``extensions`` or from here.
    """
    app.setup_extension("sphinx_postblog")
    # The extension's version, read from what it registered: no import back up to it.
    version = app.extensions["sphinx_postblog"].version
    return {"version": version, "parallel_read_safe": True, "parallel_write_safe": True}
