"""sphinx-postblog: a blog and conference reports inside any Sphinx documentation site.

``setup`` only calls each concept's own ``setup_*``, in the order their build events come:
configuration, the interface words' catalog, the build's run, tuning, reading (with the Jekyll and ablog dialects and
conference reports), output and the theme. ``docs/architecture.md`` shows the layout and the data flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from sphinx_postblog.ablog import setup_ablog
from sphinx_postblog.config import setup_config
from sphinx_postblog.i18n import setup_i18n
from sphinx_postblog.jekyll import setup_jekyll
from sphinx_postblog.output import setup_output
from sphinx_postblog.reading import setup_reading
from sphinx_postblog.reports import setup_reports
from sphinx_postblog.state import setup_state
from sphinx_postblog.theme import setup_theme
from sphinx_postblog.tuning import setup_tuning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Bump when the model or the state kept in the environment changes shape.
ENV_VERSION = 6


def setup(app: Sphinx) -> ExtensionMetadata:
    """Wire the extension's concepts into Sphinx."""
    app.setup_extension("myst_parser")
    setup_config(app)
    setup_i18n(app)
    setup_state(app)
    setup_tuning(app)
    setup_reading(app)
    setup_jekyll(app)
    setup_ablog(app)
    setup_reports(app)
    setup_output(app)
    setup_theme(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
