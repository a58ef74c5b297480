"""The ``postblog`` theme's page context: what its templates print, computed in Python.

This module owns the values the theme's templates show but do not compute: the header
links (``postblog_nav_links``, from the ``nav_links`` theme option), the logo's URL
(``postblog_logo_url``, from the ``logo`` option or ``html_logo``) and the stylesheets the
page links (``css_files``, without the extension's fallback stylesheet, which the theme
replaces). It runs only for pages rendered with the postblog theme or a theme inheriting
from it; every other theme's context is left as Sphinx and other extensions made it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_postblog.config import conf_location
from sphinx_postblog.state import build_run

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The theme's name, as registered and as set in ``html_theme``.
THEME_NAME = "postblog"
#: The extension's stylesheet for blog elements in other themes; this theme styles them.
FALLBACK_STYLESHEET = "postblog-elements.css"
#: After Sphinx resolved ``logo_url`` (priority 500) and after the handlers that add a
#: stylesheet to one page only (``app.add_css_file`` at ``html-page-context``, mostly at
#: the default priority), so the copied ``css_files`` has them.
PRIORITY = 900


def uses_postblog(app: Sphinx) -> bool:
    """Whether the builder renders pages with the postblog theme or a theme inheriting it."""
    theme = getattr(getattr(app, "builder", None), "theme", None)
    if theme is None:
        return False
    if getattr(theme, "name", None) == THEME_NAME:
        return True
    # A theme with ``inherit = "postblog"`` uses these templates too: the postblog folder
    # is then one of its folders.
    registered = getattr(getattr(app, "registry", None), "html_themes", {}).get(THEME_NAME)
    get_dirs = getattr(theme, "get_theme_dirs", None)
    if registered is None or not callable(get_dirs):
        return False
    return str(registered) in {str(folder) for folder in get_dirs()}


def _warn_once(app: Sphinx, key: str, message: str, *args: object) -> None:
    """A ``postblog.theme`` warning at ``html_theme_options`` in conf.py, once per build."""
    if build_run(app.env).first_time(key):
        logger.warning(message, *args, type="postblog", subtype="theme",
                       location=conf_location(app, "html_theme_options"))


def _nav_entry(entry: object) -> tuple[str, str] | None:
    """The title and target of a ``nav_links`` entry, or ``None`` if it is malformed."""
    if isinstance(entry, Mapping):
        title, target = entry.get("title"), entry.get("url")
    elif (isinstance(entry, Sequence) and not isinstance(entry, (str, bytes))
          and len(entry) == 2):
        title, target = entry
    else:
        return None
    if not isinstance(title, str) or not isinstance(target, str):
        return None
    return title, target


def nav_href(target: str, pathto: Callable[..., str]) -> str:
    """Where a ``nav_links`` target points from the page ``pathto`` belongs to.

    A URL with a scheme, or a target starting with ``/`` or ``#``, is used as it is; a
    path ending in ``.html`` or ``/`` is a file under the site root; anything else is a
    page name.
    """
    if ":" in target or target.startswith(("/", "#")):
        return target
    if target.endswith((".html", "/")):
        return pathto(target, True)
    return pathto(target)


def nav_links(app: Sphinx, pagename: str, context: dict[str, Any]) -> list[dict[str, Any]]:
    """The header links of a page: ``title``, ``href`` and whether it is the ``current`` one.

    Malformed entries of the ``nav_links`` option are skipped, with a warning once a build.
    """
    option = context.get("theme_nav_links")
    if not option:
        return []
    if isinstance(option, (str, bytes, Mapping)) or not isinstance(option, Sequence):
        _warn_once(app, "theme.nav_links", "html_theme_options['nav_links'] = %r is not a "
                   "list of (title, target) pairs; no header links are shown", option)
        return []
    pathto = context["pathto"]
    here = pathto(pagename)
    links = []
    for index, entry in enumerate(option):
        parsed = _nav_entry(entry)
        if parsed is None:
            _warn_once(app, f"theme.nav_links[{index}]={entry!r}",
                       "html_theme_options['nav_links'][%d] = %r is not a (title, target) "
                       "pair of strings or a mapping with \"title\" and \"url\" strings; "
                       "skipped", index, entry)
            continue
        title, target = parsed
        href = nav_href(target, pathto)
        links.append({"title": title, "href": href,
                      "current": target == pagename or href == here})
    return links


def logo_url(app: Sphinx, context: dict[str, Any]) -> str:
    """The URL of the site's logo on this page: the ``logo`` option, else ``html_logo``.

    A URL with a scheme is used as it is; anything else is a path under ``_static/``.
    """
    logo = context.get("theme_logo")
    if logo and not isinstance(logo, str):
        _warn_once(app, "theme.logo",
                   "html_theme_options['logo'] = %r is not a string; using html_logo", logo)
        logo = ""
    if logo:
        return logo if "://" in logo else context["pathto"]("_static/" + logo, True)
    return context.get("logo_url") or ""


def css_files(context: dict[str, Any]) -> list[Any]:
    """A copy of the page's stylesheets without the extension's fallback stylesheet."""
    return [css for css in context.get("css_files", ())
            if not str(getattr(css, "filename", None) or css).endswith(FALLBACK_STYLESHEET)]


def theme_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """Set the values the postblog templates print (``html-page-context``)."""
    if not uses_postblog(app):
        return
    context["postblog_nav_links"] = nav_links(app, pagename, context)
    context["postblog_logo_url"] = logo_url(app, context)
    context["css_files"] = css_files(context)


def setup_context(app: Sphinx) -> None:
    """Connect the handler."""
    app.connect("html-page-context", theme_context, priority=PRIORITY)
