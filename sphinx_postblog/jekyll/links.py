"""Links in posts the way a Jekyll site had them: site-absolute paths, bare host names.

A migrated post links to ``/some-old-post/`` or ``www.example.com``; MyST would look for a
document or label of that name and warn. This post-transform runs just before MyST's
resolver, for posts only: a path that is another post's old permalink links to that post,
any other site-absolute path links to the site root (or ``postblog_url``), and a bare host
name stays the plain link Jekyll printed.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from sphinx_postblog.config import settings
from sphinx_postblog.jekyll.permalinks import old_paths, output_file
from sphinx_postblog.state import env_app
from sphinx_postblog.view import get_blog

_BARE_HOST = re.compile(r"^(\[?https?://|www\.|[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/|$))", re.IGNORECASE)


class SiteLinks(SphinxPostTransform):
    """Resolve Jekyll-style links in posts before MyST warns about them."""

    default_priority = 8  # MyST's resolver runs at 9

    def run(self, **kwargs: Any) -> None:
        """Rewrite the unresolvable links of a post."""
        blog = get_blog(env_app(self.env))
        if self.env.docname not in blog.state.posts or not settings(self.config).jekyll:
            return
        permalinks = None
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") != "myst" or node.get("refdomain") == "doc":
                continue
            target = str(node["reftarget"])
            if target.startswith("/") and not self._is_document(target):
                if permalinks is None:
                    permalinks = self._permalinks()
                docname = permalinks.get(output_file(target.split("#", maxsplit=1)[0]))
                if docname is not None:
                    uri = env_app(self.env).builder.get_relative_uri(self.env.docname, docname)
                else:
                    uri = self._site_uri(target)
            elif _BARE_HOST.match(target):
                uri = target.lstrip("[")
            else:
                continue
            reference = nodes.reference("", "", *node.children, refuri=uri, internal=False)
            node.replace_self(reference)

    def _is_document(self, target: str) -> bool:
        docname = target.strip("/").split("#")[0]
        docname = re.sub(r"\.(html|md|rst)$", "", docname)
        return docname in self.env.all_docs or f"{docname}/index" in self.env.all_docs

    def _permalinks(self) -> dict[str, str]:
        blog = get_blog(env_app(self.env))
        links = blog.derived.get("permalinks")
        if links is None:
            # The newest post first, as the blog lists them: it wins a shared old path.
            order = {post.key: number for number, post in enumerate(blog.posts)}
            newest = sorted(old_paths(env_app(self.env)), key=lambda found: order[found[0].key])
            links = blog.derived["permalinks"] = {}
            for post, path in newest:
                links.setdefault(output_file(path), post.docname)
        return links

    def _site_uri(self, target: str) -> str:
        base = settings(self.config).url
        if base:
            return base.rstrip("/") + target
        return relative_uri(env_app(self.env).builder.get_target_uri(self.env.docname), target.lstrip("/"))
