"""``sphinx-postblog check PATH``: what will not carry over, before migrating or building.

A Jekyll site (or its ``_posts`` folder) is checked post by post
(:mod:`.jekyll_checks`); a Sphinx source folder, one with ``conf.py`` such as an ablog
site, also has its ``conf.py`` settings and sidebars checked (:mod:`.ablog_checks`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_postblog.cli.ablog_checks import check_source
from sphinx_postblog.cli.jekyll_checks import check, post_files
from sphinx_postblog.cli.sources import UsageError

if TYPE_CHECKING:
    import argparse

NAME = "check"
HELP = "report what will not carry over from Jekyll or ablog sources"
DESCRIPTION = """\
Read every post without building and report, per post and line, what will not carry over
as it was: front matter problems, Liquid that is not supported, kramdown syntax that is
dropped, missing images, authors missing from authors.yml.

PATH is a Jekyll site folder or its _posts folder, or a Sphinx source folder (one with
conf.py, such as an ablog site): then documents with ablog's post directive, with
`blogpost: true` or at postblog_posts are checked, and conf.py's blog_* settings and
html_sidebars get notes saying what they map to.

A problem is something the build will warn about; a note is something that behaves as
in Jekyll or ablog, or a setting to move."""


def arguments(parser: argparse.ArgumentParser) -> None:
    """The ``check`` command's arguments."""
    parser.add_argument("path", type=Path, metavar="PATH",
                        help="a Jekyll site or _posts folder, or a Sphinx source folder")
    parser.add_argument("--data-dir", default=None, metavar="DIR",
                        help="the data folder (authors.yml), relative to the site; default: "
                             "_data, or postblog_data_dir of conf.py")
    parser.add_argument("--strict", action="store_true", help="fail on notes too")


def run(args: argparse.Namespace) -> int:
    """Print the findings and a summary; 1 when there is a problem (or a note, strictly)."""
    path: Path = args.path
    if path.name == "conf.py" and path.is_file():
        path = path.parent
    if not path.exists():
        raise UsageError(f"{path} does not exist")
    if (path / "conf.py").is_file():
        report = check_source(path, args.data_dir)
        findings = report.findings
        kinds = ", ".join(f"{n} by {kind}" for kind, n in sorted(report.posts.items()))
        checked = (f"{report.documents} documents read, {sum(report.posts.values())} posts "
                   f"checked{f' ({kinds})' if kinds else ''}")
    else:
        findings = check(path, args.data_dir or "_data")
        checked = f"{len(post_files(path))} posts checked"
    for finding in findings:
        print(finding)
    notes = [f for f in findings if f.note]
    problems = [f for f in findings if args.strict or not f.note]
    print(f"{checked}: {len(findings) - len(notes)} problems, {len(notes)} notes")
    return 1 if problems else 0
