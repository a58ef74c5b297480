"""What keeps a draft from being found: no search entry, no source copy, ``noindex``.

A draft (``published: false``, or dated after today while ``postblog_future`` is off; see
:meth:`~sphinx_postblog.view.Blog.is_draft`) is still built as a page, so that links to it
work and its author can read it, with a visible notice (:mod:`.header`). It is kept out of
lists and feeds unless ``postblog_drafts`` shows it, and, whether shown or not, a preview
is never to be found:

- Sphinx's search index has nothing of it. Its metadata gets ``nosearch`` when its page is
  resolved (``doctree-resolved`` runs in the main process before Sphinx indexes the page,
  with ``-j N`` too), which is taken back once it is no longer a draft; and its empty
  entry (its file name), with the words a published version of it left, is pruned
  before the index is written (``html-collect-pages`` runs before ``searchindex.js`` is
  dumped).
- Its source is not copied to ``_sources/`` and it has no "show source" link
  (``sourcename`` is empty); a copy left by an earlier build is removed.
- Its head carries ``<meta name="robots" content="noindex">``, in every theme
  (``metatags``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx_postblog.view import PAGE_BUILDERS, Blog, get_blog

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

NOINDEX = '<meta name="robots" content="noindex" />\n'
#: Marks a ``nosearch`` this module set (not the author's own ``nosearch: true``).
_OURS = "postblog-draft-nosearch"


def is_draft_page(blog: Blog, docname: str) -> bool:
    """Whether a document is a draft: its post is one, or every post of its sections is."""
    post = blog.state.posts.get(docname)
    if post is not None:
        return blog.is_draft(post)
    parts = [blog.state.posts[key] for key in blog.state.sections.get(docname, ())
             if key in blog.state.posts]
    return bool(parts) and all(blog.is_draft(part) for part in parts)


def hide_from_search(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Set (or take back) ``nosearch`` of a draft before Sphinx indexes it (``doctree-resolved``)."""
    metadata = app.env.metadata.get(docname)
    if metadata is None:
        return
    if is_draft_page(get_blog(app), docname):
        if "nosearch" not in metadata:
            metadata["nosearch"] = True
            metadata[_OURS] = True
    elif metadata.pop(_OURS, None):
        metadata.pop("nosearch", None)


def prune_search_index(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Take every draft's entry out of the search index before it is written.

    ``nosearch`` leaves an empty entry that still names the file. A post that was
    published in an earlier build leaves its words behind, each listing no page any more
    (Sphinx's pruning keeps them): those words go too.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or app.builder.name not in PAGE_BUILDERS:
        return []
    blog = get_blog(app)
    drafts = {docname for docname in app.env.all_docs if is_draft_page(blog, docname)}
    if drafts:
        indexer.prune(set(app.env.all_docs) - drafts)
        # The word tables are the indexer's own; read defensively, left alone if renamed.
        for name in ("_mapping", "_title_mapping"):
            words = getattr(indexer, name, None)
            if isinstance(words, dict):
                for word in [w for w, docnames in words.items() if not docnames]:
                    del words[word]
    return []  # no page of its own


def draft_page_context(app: Sphinx, pagename: str, templatename: str,
                       context: dict[str, Any], doctree: nodes.document | None) -> None:
    """No source link or copy, and ``noindex``, on a draft's page (``html-page-context``)."""
    if doctree is None or not is_draft_page(get_blog(app), pagename):
        return
    sourcename = context.get("sourcename")
    if sourcename:
        # Sphinx copies the source after this event, for a non-empty sourcename only.
        Path(app.outdir, "_sources", sourcename).unlink(missing_ok=True)
        context["sourcename"] = ""
    metatags = context.get("metatags", "")
    if 'name="robots"' not in metatags:
        context["metatags"] = metatags + NOINDEX


def setup_drafts(app: Sphinx) -> None:
    """Connect the draft keeping to the build."""
    app.connect("doctree-resolved", hide_from_search)
    app.connect("html-collect-pages", prune_search_index)
    app.connect("html-page-context", draft_page_context)
