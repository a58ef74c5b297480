"""The ``sphinx-postblog`` command: write, check, list and import posts without a build.

Commands, one module each:

- ``new "Title" [SOURCEDIR]`` (:mod:`.new`): a post file with its front matter;
- ``check PATH`` (:mod:`.checks`): what will not carry over from Jekyll or ablog sources;
- ``list [SOURCEDIR] [--json]`` (:mod:`.listing`): every post, its date, status, authors;
- ``import-jekyll SRC DEST`` (:mod:`.importer`): a Jekyll site's posts, data and images;
- ``preview SOURCEDIR [OUTDIR]`` (:mod:`.preview`): the site served on 127.0.0.1, rebuilt
  in memory on every save (:mod:`sphinx_postblog.preview`).

They read sources with the build's own code (``reading/``, ``jekyll/``, ``ablog/``);
:mod:`.sources` is what they share (``conf.py``, documents, posts, authors).

Exit status: 0 when all went well; 1 when problems were found (``check``) or something was
refused (``new`` would overwrite a file; ``import-jekyll`` left files out); 2 for a usage
error (a wrong argument, a path that does not exist).
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap

from sphinx_postblog import __version__
from sphinx_postblog.cli import checks, importer, listing, new, preview
from sphinx_postblog.cli.jekyll_checks import Finding, check, check_post
from sphinx_postblog.cli.sources import UsageError

__all__ = ["Finding", "check", "check_post", "main"]

EXIT_CODES = """\
exit status:
  0  all went well
  1  problems found (check), or something refused (new: the file exists;
     import-jekyll: files left out)
  2  usage error"""

#: The commands in the order ``--help`` lists them.
COMMANDS = (new, checks, listing, importer, preview)


def _paragraphs(text: str) -> str:
    """Text wrapped for a terminal, paragraph by paragraph."""
    return "\n\n".join(textwrap.fill(" ".join(p.split()), 79) for p in text.split("\n\n"))


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``sphinx-postblog`` and each of its commands."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="sphinx-postblog", epilog=EXIT_CODES, formatter_class=formatter,
        description="Write, check, list and import the blog posts of a Sphinx project "
                    "without building it, and preview the site as you write.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.NAME, help=command.HELP,
                                  description=_paragraphs(command.DESCRIPTION),
                                  epilog=EXIT_CODES, formatter_class=formatter)
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``sphinx-postblog``: the command's exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # Output piped into `head`: stop quietly, as other command line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
