"""``check`` on a Sphinx source folder (an ablog site, or a project already using us).

Reports, without building: every post's front matter and body problems through the
build's own reading (``post`` directives, ``blogpost: true``, documents at
``postblog_posts``), and notes on ``conf.py``: which ablog settings map to which
``postblog_*`` value, which are not supported, and what ablog's sidebar templates in
``html_sidebars`` become (the tables are in :mod:`.ablog_tables`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinx.util.matching import Matcher

from sphinx_postblog.cli.ablog_tables import (
    ABLOG_CONF_TEXT,
    ABLOG_PREFIXES,
    ABLOG_SETTINGS,
    ABLOG_SIDEBARS,
    AblogSetting,
)
from sphinx_postblog.cli.jekyll_checks import Finding, check_post
from sphinx_postblog.cli.sources import (
    Conf,
    documents,
    post_kind,
    post_patterns,
    read_authors,
    read_conf,
    read_source,
)
from sphinx_postblog.config import FIELDS
from sphinx_postblog.reading.frontmatter import RawFrontMatter

#: Where the package's templates are, to tell which of ablog's it provides.
PACKAGE = Path(__file__).resolve().parents[1]


def check_conf(conf: Conf, path: Path) -> list[Finding]:
    """Notes on ``conf.py`` (at ``path``): extensions, ablog's settings, sidebars."""
    if conf.error:
        return [Finding(path, 1, f"conf.py cannot be evaluated ({conf.error}); the posts are "
                        "read with the default settings")]
    found = _extensions(conf, path)
    for name in sorted(conf.values):
        setting = ABLOG_SETTINGS.get(name)
        if setting is None:
            if name.startswith(ABLOG_PREFIXES):
                found.append(Finding(path, conf.line(name), f"{name} is not a setting "
                                     "sphinx_postblog knows; ignored", note=True))
            continue
        found.append(Finding(path, conf.line(name), _setting_note(conf, name, setting),
                             note=True))
    sidebars = conf.values.get("html_sidebars")
    if isinstance(sidebars, dict):
        for pattern, templates in sidebars.items():
            for template in [templates] if isinstance(templates, str) else list(templates):
                if not str(template).startswith("ablog/"):
                    continue
                found.append(_sidebar(path, conf.line("html_sidebars"), str(pattern),
                                      str(template)))
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for pattern, note in ABLOG_CONF_TEXT.items():
        line = next((n for n, t in enumerate(text, 1) if re.match(pattern, t)), None)
        if line is not None:
            found.append(Finding(path, line, note, note=True))
    return sorted(found, key=lambda f: f.line)


def _extensions(conf: Conf, path: Path) -> list[Finding]:
    extensions = conf.values.get("extensions") or []
    line = conf.line("extensions")
    ablog, ours = "ablog" in extensions, "sphinx_postblog" in extensions
    if ablog and ours:
        return [Finding(path, line, "extensions has both ablog and sphinx_postblog: they "
                        "register the same post, update and postlist directives; remove ablog")]
    if ablog:
        return [Finding(path, line, "extensions: replace 'ablog' by 'sphinx_postblog' "
                        "(it reads ablog's post and update directives and postlist)", note=True)]
    if not ours:
        return [Finding(path, line, "extensions: add 'sphinx_postblog'", note=True)]
    return []


def _setting_note(conf: Conf, name: str, setting: AblogSetting) -> str:
    value = conf.values[name]
    if not setting.target:
        return f"{name} changes nothing: {setting.why}"
    if setting.target.removeprefix("postblog_") not in {f.name for f in FIELDS}:
        return f"{name} is not supported: sphinx_postblog has no {setting.target}"
    if setting.target in conf.values:
        return f"{name}: {setting.target} is set too, and is the one used"
    wanted = setting.convert(value) if setting.convert else value
    return f"{name} = {value!r} corresponds to {setting.target} = {wanted!r}"


def _sidebar(path: Path, line: int, pattern: str, template: str) -> Finding:
    """A note on one of ablog's templates in ``html_sidebars``."""
    same = ABLOG_SIDEBARS.get(template, "")
    if any(PACKAGE.rglob(template)):
        note = "sphinx_postblog provides it" + (f"; also, {same}" if same else "")
    else:
        note = ("sphinx_postblog does not provide it: remove it, or the build stops on a "
                "missing template" + (f"; {same}" if same else ""))
    return Finding(path, line, f"html_sidebars[{pattern!r}] names {template}: {note}",
                   note=True)


def _given(raw: RawFrontMatter | None) -> Callable[[str], RawFrontMatter | None]:
    """A front matter reader that gives what was read already."""
    return lambda _text: raw


@dataclass
class SourceReport:
    """What ``check`` found in a Sphinx source folder."""

    findings: list[Finding]
    documents: int
    posts: Counter[str]


def check_source(srcdir: Path, data_dir: str | None = None) -> SourceReport:
    """Check ``conf.py`` and every post of a Sphinx source folder."""
    conf = read_conf(srcdir)
    findings = check_conf(conf, srcdir / "conf.py")
    if data_dir is not None:
        conf.values["postblog_data_dir"] = data_dir
    matcher = Matcher(post_patterns(conf))
    sources = [read_source(d) for d in documents(srcdir, conf)]
    kinds = {s.document.docname: post_kind(s, matcher) for s in sources}
    posts = [s for s in sources if kinds[s.document.docname]]
    authors = {name.casefold() for entry in read_authors(srcdir, conf) or []
               for name in (entry.key, entry.name) if name}
    ablog_authors = conf.values.get("blog_authors")
    if isinstance(ablog_authors, dict):
        authors |= {str(key).casefold() for key in ablog_authors}
    docnames = {s.document.docname for s in posts}
    for source in posts:
        findings += check_post(source.document.path, srcdir, authors or None, docnames,
                               read=_given(source.raw),
                               docname=source.document.docname,
                               markdown=source.document.markdown,
                               jekyll=bool(conf.setting("jekyll")))
    return SourceReport(findings, len(sources), Counter(kinds[s.document.docname] for s in posts))
