"""``sphinx-postblog preview``: serve the site, rebuilt in memory on every save (:mod:`..preview`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.cli.sources import UsageError

if TYPE_CHECKING:
    import argparse

NAME = "preview"
HELP = "serve the site on 127.0.0.1 and rebuild it in memory on every save"
DESCRIPTION = """\
Build SOURCEDIR into OUTDIR (default: SOURCEDIR/_build/preview) with the html builder and
serve it on 127.0.0.1 with live reload: one Sphinx application stays in memory and builds
again in place on every save, so a save costs what the edit costs, not what the blog
weighs. Drafts and future posts are listed (--no-drafts lists only what the published site
lists). A change to conf.py, a template, or the project's own theme or extensions (or
those in a --watch folder) starts the preview again; a build error shows in the browser
and here, until the file is fixed.

sphinx-autobuild keeps working for projects that use it (a new sphinx-build per save).
Ctrl+C stops the preview."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``preview``, named as sphinx-autobuild names them."""
    parser.add_argument("srcdir", type=Path, metavar="SOURCEDIR",
                        help="the Sphinx source folder (with conf.py)")
    parser.add_argument("outdir", type=Path, nargs="?", metavar="OUTDIR",
                        help="where the site is built (default: SOURCEDIR/_build/preview)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="host name to serve on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000,
                        help="port to serve on; 0 takes a free one (default: %(default)s)")
    parser.add_argument("--no-drafts", dest="drafts", action="store_false",
                        help="list no drafts or future posts, as the published site does")
    parser.add_argument("--watch", action="append", type=Path, default=[], metavar="DIR",
                        help="another folder to watch (repeatable); an extension or theme "
                             "there restarts the preview when it changes")
    parser.add_argument("-D", dest="define", action="append", default=[],
                        metavar="setting=value",
                        help="override a setting in conf.py, as sphinx-build -D does")


def _overrides(defines: list[str]) -> dict[str, str]:
    found = {}
    for define in defines:
        name, sep, value = define.partition("=")
        if not sep or not name:
            msg = f"-D takes setting=value, not {define!r}"
            raise UsageError(msg)
        found[name.strip()] = value
    return found


def run(args: argparse.Namespace) -> int:
    """Serve and rebuild until stopped."""
    try:
        from sphinx_postblog.preview import Options, Session  # noqa: PLC0415 (only here)
    except ImportError as exc:  # watchfiles is in the "live" extra
        msg = f"preview needs {exc.name or 'watchfiles'}: pip install 'sphinx-postblog[live]'"
        raise UsageError(msg) from exc

    srcdir = args.srcdir.resolve()
    if not (srcdir / "conf.py").is_file():
        msg = f"{args.srcdir} has no conf.py: not a Sphinx source folder"
        raise UsageError(msg)
    outdir = (args.outdir or srcdir / "_build" / "preview").resolve()
    if outdir == srcdir:
        msg = "OUTDIR must not be the source folder"
        raise UsageError(msg)
    options = Options(srcdir, outdir, host=args.host, port=args.port, drafts=args.drafts,
                      watch=tuple(path.resolve() for path in args.watch),
                      overrides=_overrides(args.define))
    return Session(options).run()
