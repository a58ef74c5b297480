"""kramdown-only syntax rewritten as MyST: read back by markdown-it and MyST, never as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from myst_parser.parsers.docutils_ import Parser

from sphinx_postblog.jekyll import kramdown as k
from sphinx_postblog.jekyll.kramdown import kramdown_to_myst
from sphinx_postblog.jekyll.liquid import LiquidContext, render_liquid

CORPUS_POSTS = Path(__file__).resolve().parents[1].parent / "shared/corpus/jekyll-blog/_posts"


def convert(text: str) -> str:
    out, problems = kramdown_to_myst(text)
    assert problems == []
    return out


def tokens(text: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(text)


def doctree(text: str) -> nodes.document:
    """What MyST (with ``attrs_inline``, as the extension configures it) makes of ``text``."""
    return publish_doctree(text, parser=Parser(), settings_overrides={
        "myst_enable_extensions": ["attrs_inline"], "report_level": 5})


def images(text: str) -> list[dict[str, object]]:
    keys = ("uri", "alt", "align", "width", "classes", "ids")
    return [{k: img[k] for k in keys if img.get(k)} for img in doctree(text).findall(nodes.image)]


def texts(text: str) -> str:
    """All text that would be shown outside code, joined."""
    tree = doctree(text)
    return " ".join(n.astext() for n in tree.findall(nodes.Text)
                    if not isinstance(n.parent, nodes.literal_block | nodes.literal))


def nesting(text: str) -> list[tuple[str, int]]:
    """List items with their nesting level, as CommonMark sees them."""
    found, level = [], 0
    for tok in tokens(text):
        level += tok.nesting if tok.type.endswith("_list_open") or tok.type.endswith(
            "_list_close") else 0
        if tok.type == "inline" and level:
            found.append((tok.content.split("\n")[0], level))
    return found


# -- images -------------------------------------------------------------------------------

def test_span_ial_on_an_image_becomes_myst_attributes() -> None:
    out = convert('See ![Tower](/img/tower.jpg){:style="margin:auto; width:70%"} here\n')
    assert out == 'See ![Tower](/img/tower.jpg){align="center" width="70%"} here\n'
    assert images(out) == [{"uri": "/img/tower.jpg", "alt": "Tower", "align": "center",
                            "width": "70%"}]


@pytest.mark.parametrize(
    ("ial", "expected"),
    [
        ("{:.center}", {"align": "center"}),
        ("{: .shadow #hero}", {"classes": ["shadow"], "ids": ["hero"]}),
        ('{:width="50%"}', {"width": "50%"}),
        ("{:width='320'}", {"width": "320px"}),
        ('{: style="float: right; border: 1px solid"}', {"align": "right"}),
        ('{:style="display:block; margin-left:auto; margin-right:auto; max-width:9em"}',
         {"align": "center"}),
        ('{: height="50%" width="auto"}', {}),
    ],
)
def test_image_ial_forms(ial: str, expected: dict[str, object]) -> None:
    out = convert(f"![x](a.png){ial}\n")
    assert "{:" not in out
    assert images(out) == [{"uri": "a.png", "alt": "x", **expected}]


def test_block_ial_before_an_image_with_a_caption_centres_the_image() -> None:
    text = ("Text.\n\n{:.center}\n![Diagram](/images/d.png){:style=\"margin:auto\"}\n"
            "<small>(Image by someone)</small>\n\nMore.\n")
    out = convert(text)
    assert out.count("\n") == text.count("\n")
    assert images(out) == [{"uri": "/images/d.png", "alt": "Diagram", "align": "center"}]
    assert "(Image by someone)" in out


def test_block_ial_after_an_image_alone_gives_it_everything() -> None:
    out = convert('![Logo](logo.png)\n{: .framed width="40%"}\n\nText\n')
    assert images(out) == [{"uri": "logo.png", "alt": "Logo", "width": "40%",
                            "classes": ["framed"]}]
    assert out.count("\n") == 4


def test_block_ial_on_a_paragraph_that_is_not_an_image_is_dropped() -> None:
    out = convert("Some words.\n{:.lead}\n\n{: .note}\nMore words.\n")
    assert out == "Some words.\n\n\n\nMore words.\n"


def test_image_attributes_are_dropped_without_attrs_inline() -> None:
    out, problems = kramdown_to_myst("![x](a.png){:.center width='30%'}\n", attrs_inline=False)
    assert (out, problems) == ("![x](a.png)\n", [])


def test_reference_images_and_titles_keep_their_syntax() -> None:
    out = convert('![x][logo]{:.center} ![y](b.png "A title"){: .small}\n\n[logo]: a.png\n')
    assert images(out) == [{"uri": "a.png", "alt": "x", "align": "center"},
                           {"uri": "b.png", "alt": "y", "classes": ["small"]}]


# -- code blocks --------------------------------------------------------------------------

def test_ial_after_a_tilde_fence_sets_its_language() -> None:
    text = "Log:\n\n~~~\nat Foo.bar(Foo.java:12)\n~~~\n{: .language-java}\nThe result.\n"
    out = convert(text)
    fence = next(t for t in tokens(out) if t.type == "fence")
    assert (fence.info, fence.content) == ("java", "at Foo.bar(Foo.java:12)\n")
    assert out.count("\n") == text.count("\n")
    assert "The result." in texts(out)


def test_ial_before_a_fence_sets_its_language() -> None:
    out = convert("\n{:.language-xml}\n```\n<a/>\n```\n")
    assert [(t.info, t.content) for t in tokens(out) if t.type == "fence"] == [("xml", "<a/>\n")]


def test_ial_does_not_override_a_fence_language() -> None:
    out = convert("```json\n{}\n```\n{: .language-java}\n")
    assert [t.info for t in tokens(out) if t.type == "fence"] == ["json"]


def test_ial_after_an_indented_code_block_makes_it_a_fence() -> None:
    text = "Config:\n\n    <filter>\n    \ttype x\n\n    </filter>\n{: .language-xml}\nNext.\n"
    out = convert(text)
    fence = next(t for t in tokens(out) if t.type == "fence")
    assert (fence.info, fence.content) == ("xml", "<filter>\n\ttype x\n\n</filter>\n")
    assert out.count("\n") == text.count("\n")


def test_fenced_code_is_never_touched() -> None:
    code = "{:toc}\n{: .language-x}\n%not a comment\n\t- tab\n* a\n- b\n![i](j){:.center}\n"
    for fence in ("```", "~~~~"):
        text = f"* x\n\n{fence}\n{code}{fence}\n"
        assert f"{fence}\n{code}{fence}" in convert(text)


# -- table of contents, extensions, headings ----------------------------------------------

@pytest.mark.parametrize(("item", "kind"), [("* TOC", "ul"), ("1. Table of Contents", "ol"),
                                            ("- x\n- y", "ul")])
def test_toc_list_becomes_a_toc_marker(item: str, kind: str) -> None:
    text = f"\n\n{item}\n{{:toc}}\n\n## First\n\n## Second\n"
    out = convert(text)
    [comment] = list(doctree(out).findall(nodes.comment))
    assert comment.astext() == f"{k.MARKER} toc {kind}"
    assert not [t for t in tokens(out) if t.type.endswith("list_open")]
    assert out.count("\n") == text.count("\n")


def test_only_the_first_toc_list_becomes_a_table() -> None:
    out = convert("* TOC\n{:toc}\n\n## A\n\n* kept\n{:toc}\n")
    assert [c.astext() for c in doctree(out).findall(nodes.comment)] == [f"{k.MARKER} toc ul"]
    assert "kept" in texts(out)


@pytest.mark.parametrize("text", ["{:toc}\n", "## Title\n{:.no_toc}\n", "{: toc}\n\npara\n",
                                  "{:ref: .class #id}\n", "para\n{:.x}{: .y}\n"])
def test_leftover_ials_are_dropped(text: str) -> None:
    out = convert(text)
    assert "{:" not in out
    assert out.count("\n") == text.count("\n")


def test_extensions_are_dropped_and_comments_keep_their_lines() -> None:
    text = ("{::options parse_block_html=\"true\" /}\na {::comment}hidden{:/comment} b\n"
            "{::comment}\nmore\nhidden\n{:/comment}\n{::nomarkdown}<b>kept</b>{:/nomarkdown}\n")
    out = convert(text)
    assert "hidden" not in out
    assert "{:" not in out
    assert "<b>kept</b>" in out
    assert out.count("\n") == text.count("\n")


def test_unknown_and_unclosed_extensions_are_reported() -> None:
    out, problems = kramdown_to_myst("a\n{::math}x{:/math}\n{::comment}\nrest\n")
    assert [p.line for p in problems] == [2, 3]
    assert "{:" not in out
    assert "rest" in out


@pytest.mark.parametrize(("text", "marker"), [
    ("Intro\n\n## Install {#setup}\n\ntext\n", "next #setup"),
    ("Intro\n## Install {#setup}\n\ntext\n", "prev #setup"),
    ("Intro\n\n## Install\n{: #setup .no_toc}\ntext\n", "prev #setup .no_toc"),
    ("Intro\n\n{:.no_toc}\n## Install\n\ntext\n", "next .no_toc"),
    ("Intro\n\nInstall\n-------\n{:.no_toc}\n\ntext\n", "prev .no_toc"),
])
def test_heading_attribute_lists_become_markers_beside_the_heading(text: str, marker: str) -> None:
    """Ids stay ids of the page (not global Sphinx labels); :mod:`.anchors` applies them."""
    out = convert(text)
    tree = doctree(out)
    [section] = list(tree.findall(nodes.section))
    assert section[0].astext() == "Install"
    assert [c.astext() for c in tree.findall(nodes.comment)] == [f"{k.MARKER} {marker}"]
    assert "{" not in texts(out)
    assert out.count("\n") == text.count("\n")


@pytest.mark.parametrize("text", ["> ## Quoted {#q}\n> body\n", "para\n\n- ## Listed {#q}\n  text\n"])
def test_heading_ids_in_quotes_and_lists_are_markers_too(text: str) -> None:
    out = convert(text)
    assert "{#" not in texts(out)
    assert [c.astext() for c in doctree(out).findall(nodes.comment)] == [f"{k.MARKER} next #q"]


def test_a_heading_id_without_a_spare_line_adds_one() -> None:
    out = convert("Intro\n## Install {#setup}\ntext\n")
    assert out.split("\n")[1:3] == [f"%{k.MARKER} next #setup", "## Install"]


# -- lists ----------------------------------------------------------------------------------

def test_tab_indented_lists_nest_as_in_kramdown() -> None:
    text = ("* Motivation\n\t* speed\n\t\t* ship fast\n\t\t\t* iterate\n\t* challenges\n"
            "* Next\n\t- dash item\n")
    out = convert(text)
    assert "\t" not in out
    assert nesting(out) == [("Motivation", 1), ("speed", 2), ("ship fast", 3), ("iterate", 4),
                            ("challenges", 2), ("Next", 1), ("dash item", 2)]
    assert out.count("\n") == text.count("\n")


def test_a_changed_bullet_continues_the_list_as_in_kramdown() -> None:
    out = convert("- one\n* two\n+ three\n\t* nested\n\t- nested too\n")
    assert sum(t.type == "bullet_list_open" for t in tokens(out)) == 2
    assert nesting(out)[-1] == ("nested too", 2)


def test_wide_gap_after_a_list_marker_is_text_not_code() -> None:
    out = convert("The problems:\n-          Central view\n-          Normalised schema\n")
    assert not [t for t in tokens(out) if t.type == "code_block"]
    assert nesting(out) == [("Central view", 1), ("Normalised schema", 1)]


def test_a_setext_underline_is_not_taken_for_a_bullet() -> None:
    out = convert("* a\n\nTitle\n-\n")
    assert [t.type for t in tokens(out)].count("heading_open") == 1


# -- MyST's own syntax in kramdown text ------------------------------------------------------

def test_lines_myst_would_read_as_its_syntax_stay_text() -> None:
    text = "Growth was\n% 40 percent\n+++ not a break\n(label)=\n"
    out = convert(text)
    assert "40 percent" in texts(out)
    assert "not a break" in texts(out)
    assert "(label)=" in texts(out)


def test_span_ials_elsewhere_go_but_code_spans_keep_theirs() -> None:
    out = convert('Use `{:toc}` or [this](https://x.org){:target="_blank"} **now**{:.red}.\n')
    assert out == "Use `{:toc}` or [this](https://x.org) **now**.\n"


# -- properties -----------------------------------------------------------------------------

KRAMDOWNISH = st.sampled_from([
    "{:", "}", "{:.center}", "{: .language-java}", "{:toc}", "{::comment}", "{:/comment}",
    "{:/}", "{::options x=\"y\" /}", "![a](b.png)", "![", "](", "\n", "\n\n", "\t", "    ",
    "* ", "- ", "1. ", "#", "## h {#i}", "%", "+++", "(x)=", "`", "```", "~~~", ">", "<div>",
    "text", " ", '"', "'", "{", "{:style=\"margin:auto\"}",
])
ANY_TEXT = st.lists(st.one_of(KRAMDOWNISH, st.text(max_size=4)), max_size=30).map("".join)
CODE_LINE = st.lists(st.one_of(KRAMDOWNISH, st.text(alphabet="ab\t %{}:*-", max_size=4)),
                     max_size=8).map("".join).filter(
    lambda s: "\n" not in s and "\r" not in s and not re.match(r"\s*(```|~~~)", s))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_never_raises(text: str) -> None:
    out, problems = kramdown_to_myst(text)
    assert isinstance(out, str)
    # Lines as markdown-it counts them: a lone CR ends a line too.
    assert all(1 <= p.line <= len(re.split(r"\r\n?|\n", text)) for p in problems)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT.filter(lambda s: not re.search("```|~~~|\r|{::", s)),
       st.lists(CODE_LINE, max_size=5), ANY_TEXT)
def test_fence_content_is_kept(before: str, code: list[str], after: str) -> None:
    content = "".join(line + "\n" for line in code)
    out = kramdown_to_myst(before + "\n\n```\n" + content + "```\n" + after)[0]
    # Only the info string may change (a language from an IAL after the block).
    assert re.search("^```[^\n`]*\n" + re.escape(content) + "```\n", out, re.MULTILINE)


# -- the real blog --------------------------------------------------------------------------

def _outside_code_text(text: str) -> str:
    """The text MyST would show as prose: inline text tokens, no code, no HTML."""
    return "\n".join(child.content for tok in tokens(text) if tok.type == "inline"
                     for child in tok.children or [] if child.type == "text")


@pytest.mark.skipif(not CORPUS_POSTS.is_dir(),
                    reason=f"the Jekyll corpus is not there: {CORPUS_POSTS}")
def test_real_jekyll_posts_convert_cleanly() -> None:
    ctx = LiquidContext(site={"baseurl": "", "url": "", "title": "Blog"},
                        post_url=lambda name: f"/{name}/", link=lambda path: f"/{path}")
    report: list[str] = []
    paths = sorted(CORPUS_POSTS.glob("*.md"))
    assert paths
    for path in paths:
        source = path.read_text(encoding="utf-8")
        body = re.sub(r"\A---\r?\n.*?\r?\n---[ \t]*\r?\n", "", source, count=1, flags=re.DOTALL)
        html, liquid_problems = render_liquid(body, ctx)
        myst, kramdown_problems = kramdown_to_myst(html)
        report += [f"{path.name}:{p.line}: {p.message}"
                   for p in liquid_problems + kramdown_problems]

        prose = _outside_code_text(myst)
        assert not re.search(r"\{:", prose), f"{path.name}: kramdown IAL left as text"
        # Liquid is gone everywhere, except what {% raw %} kept on purpose.
        rest = html
        raw = r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}"
        for kept in re.findall(raw, body, re.DOTALL):
            rest = rest.replace(kept, "", 1)
        assert "{{" not in rest, f"{path.name}: Liquid output left"
        assert "{%" not in rest, f"{path.name}: Liquid tag left"
        assert body.count("\n") == html.count("\n") == myst.count("\n") or "{:toc}" in body
    print(f"\n{len(paths)} posts, {len(report)} problems:", *report, sep="\n  ")


# Mostly text without the trigger characters, so that most examples reach the assertion.
_MARKDOWNISH = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab #*-+1.)>`~()=[]!\n  ")), max_size=200),
    st.text(alphabet=st.sampled_from(list("ab #*-+1.)>`~{}:%()=[]!\t\n ")), max_size=200),
)


@settings(max_examples=500, deadline=None)
@given(_MARKDOWNISH)
def test_the_shortcut_skips_only_text_no_pass_would_change(text):
    """Posts without kramdown syntax skip the passes: they must have been no-ops."""
    if k._needs_lists(text) or k._REWRITE_TRIGGER.search(text):
        return
    layout = k._layout(text)
    after = k._extensions(text, layout, [])
    after = k._lists(after, k._layout(after))
    after = k._Rewriter(after, k._layout(after), True).run()
    assert after == text


@settings(max_examples=500, deadline=None)
@given(_MARKDOWNISH)
def test_each_pass_is_skipped_only_where_it_would_change_nothing(text):
    """The pass-by-pass shortcuts: the list pass, the extension pass and the rewriter."""
    layout = k._layout(text)
    if "{:" not in text:
        assert k._extensions(text, layout, []) == text
    if not k._needs_lists(text):
        assert k._lists(text, layout) == text
    if not k._REWRITE_TRIGGER.search(text):
        assert k._Rewriter(text, layout, True).run() == text


@pytest.mark.parametrize("text", ["-\t\t1", "1.\t\tcode", "*  \t x"])
def test_tabs_after_a_list_marker_reach_the_list_pass(text):
    """Found by the property above: a tab after the marker can make the item's text code."""
    assert k._needs_lists(text)
