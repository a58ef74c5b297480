"""Labels of the generated pages, so ``{ref}`postblog-tag-docker``` links to a tag's page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.config import settings
from sphinx_postblog.i18n import _
from sphinx_postblog.output.freshness import resolved_inputs
from sphinx_postblog.output.pages import KIND_LABELS, KIND_TITLES, terms_pagename
from sphinx_postblog.state import blog_state
from sphinx_postblog.view import PAGE_BUILDERS, get_blog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def register_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Give every generated page a label for ``{ref}`` (``env-updated``).

    The labels are kept in the environment: when nothing they come from changed since
    the last build (:func:`~sphinx_postblog.output.freshness.resolved_inputs`), they stand.
    """
    if blog_state(env).resolved_inputs == resolved_inputs(app):
        return
    std = env.domains.standard_domain
    labels, anonlabels = std.data["labels"], std.data["anonlabels"]
    for name in [n for n in labels if n.startswith("postblog-")]:
        labels.pop(name, None)
        anonlabels.pop(name, None)
    if app.builder.name not in PAGE_BUILDERS:
        return
    blog = get_blog(app)
    entries = {"postblog-index": (blog.pagename("index"), settings(app).title)}
    for kind, collections in blog.collections.items():
        entries[f"postblog-{KIND_LABELS[kind]}"] = (terms_pagename(blog, kind),
                                                   _(KIND_TITLES[kind]))
        for coll in collections.values():
            entries[f"postblog-{kind}-{coll.slug}"] = (blog.pagename(kind, coll.slug), coll.name)
    for label, (pagename, title) in entries.items():
        labels[label] = (pagename, "", title)
        anonlabels[label] = (pagename, "")
