"""Jekyll's Liquid in a post body, rendered by python-liquid before MyST parses the body.

Owns :func:`render_liquid`, the one entry point (the build's conversion and ``sphinx-postblog
check`` both use it), and what it is given and gives back: :class:`LiquidContext`,
:class:`SourceFolder`, :class:`LiquidProblem`. All of Liquid comes from the engine; Jekyll's
tags (:mod:`.liquid_tags`) and filters (:mod:`.liquid_filters`) are registered on it
(:mod:`.liquid_engine`); ``page`` and ``site`` are :mod:`.liquid_site`'s. Undefined names
render empty, as in Jekyll. Rendering never raises: what cannot be rendered is left out,
or kept as text when it is not Liquid at all (a lone ``{{``), and reported with its line.
Like Jekyll, Liquid is processed everywhere outside ``raw``, code blocks included.
The engine is imported on the first post that has Liquid, so builds without any pay
nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.config import settings
from sphinx_postblog.state import env_app

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

__all__ = ["LiquidContext", "LiquidProblem", "SourceFolder", "render_liquid"]


@dataclass(frozen=True)
class LiquidProblem:
    """Something in a post that was not rendered as Jekyll would have rendered it."""

    line: int  #: 1-based line within the text given
    message: str
    #: The warning's subtype: ``jekyll``, or ``security`` for a path outside the source folder.
    subtype: str = "jekyll"

    @property
    def as_jekyll(self) -> bool:
        """Whether Jekyll renders this the same way, silently.

        An undefined variable is empty text there too: worth a note from
        ``sphinx-postblog check``, not a build warning.
        """
        head = self.message.split(" in ", 1)[0]
        return head.startswith("unknown Liquid variable") and ";" not in head


def _unknown(_: str) -> str | None:
    return None


def _no_posts() -> Iterable[tuple[str, Path]]:
    return ()


def _ignore(_: str) -> None:
    return None


@dataclass(frozen=True)
class SourceFolder:
    """The site around a post: where includes, data files and the other posts are."""

    srcdir: Path
    #: The post's own file (``include_relative`` starts from its folder).
    path: Path | None = None
    #: The post's document name (``page.url`` is ``/`` + it, as ``post_url`` links a post).
    docname: str = ""
    #: Every post document of the site and its file, for ``site.posts``.
    posts: Callable[[], Iterable[tuple[str, Path]]] = _no_posts
    data_dir: str = "_data"
    #: Called with each file the post's Liquid read, so the build reads the post again
    #: when that file changes.
    note_dependency: Callable[[str], None] = field(default=_ignore, compare=False)

    @classmethod
    def for_document(cls, env: BuildEnvironment, docname: str) -> SourceFolder:
        """The source folder of a build, seen from the document being read."""
        from sphinx_postblog.reading.posts import post_matcher  # noqa: PLC0415 - no cycle

        app = env_app(env)
        matcher = post_matcher(app)

        def posts() -> Iterable[tuple[str, Path]]:
            return [(d, Path(env.doc2path(d))) for d in sorted(env.found_docs) if matcher(d)]

        return cls(srcdir=Path(app.srcdir), path=Path(env.doc2path(docname)), docname=docname,
                   posts=posts, data_dir=settings(app).data_dir,
                   note_dependency=env.note_dependency)


@dataclass
class LiquidContext:
    """What Liquid in a post can see: ``site``, ``page``, and how to resolve post links."""

    site: dict[str, object] = field(default_factory=dict)
    #: The post's front matter; ``page`` adds what Jekyll adds (url, date, slug…).
    page: dict[str, object] = field(default_factory=dict)
    #: ``'2015-12-08-name'`` → URL or path to link to, or None if there is no such post.
    post_url: Callable[[str], str | None] = _unknown
    #: ``'_posts/2015-12-08-name.md'`` → URL or path, or None if there is no such file.
    link: Callable[[str], str | None] = _unknown
    #: The source folder (includes, ``site.data``, ``site.posts``); without it, none of these.
    folder: SourceFolder | None = None


def render_liquid(text: str, context: LiquidContext) -> tuple[str, list[LiquidProblem]]:
    """Render the Liquid of a post body; return the text and what was not rendered as written.

    Never raises: whatever cannot be rendered is left out (or kept as text when it is not
    Liquid at all, like a lone ``{{``) and reported once, with its 1-based line.
    """
    if context.page.get("render_with_liquid") is False or ("{{" not in text
                                                            and "{%" not in text):
        return text, []
    from sphinx_postblog.jekyll import liquid_engine, liquid_site  # noqa: PLC0415 - see above

    try:
        compiled = liquid_engine.compile_text(text)
        run = liquid_engine.Run(compiled, context.folder, context.post_url, context.link)
        output = text
        if compiled.template is not None:
            variables: dict[str, object] = {
                "site": liquid_site.site_variables(context.site, context.folder),
                "page": liquid_site.page_variables(context.page, context.folder, text),
            }
            rendered = run.render_post(compiled.template, variables)
            output = text if rendered is None else rendered
    except Exception as err:  # noqa: BLE001 - a post never stops the build
        return text, [LiquidProblem(1, f"cannot render the Liquid of this post "
                                       f"({type(err).__name__}); left as written")]
    return output, [LiquidProblem(line, message, subtype)
                    for line, message, subtype in liquid_engine.sorted_problems(run)]
