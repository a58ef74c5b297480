"""Jekyll's Liquid subset on post bodies: what renders, what is reported, what never breaks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sphinx_postblog.jekyll.liquid import LiquidContext, LiquidProblem, render_liquid

POSTS = {"2016-02-29-leap-day": "/blog/leap-day/"}
FILES = {"_posts/2016-02-29-leap-day.md": "/blog/leap-day/", "about.md": "/about/"}


def context(**page: object) -> LiquidContext:
    return LiquidContext(
        site={"baseurl": "/docs", "url": "https://blog.example.org", "title": "Example Blog",
              "author": {"name": "Ada"}, "empty": None},
        page={"title": "On Leap Days", "tags": ["time", "calendars"], **page},
        post_url=POSTS.get,
        link=FILES.get,
    )


def render(text: str, **page: object) -> tuple[str, list[LiquidProblem]]:
    return render_liquid(text, context(**page))


def fences(text: str) -> list[tuple[str, str]]:
    """(info, content) of every fence CommonMark finds in ``text``."""
    return [(t.info, t.content) for t in MarkdownIt("commonmark").parse(text) if t.type == "fence"]


# -- variables and filters ----------------------------------------------------------------

def test_site_and_page_variables() -> None:
    text = "![logo]({{ site.baseurl }}/img/a.png) at {{site.url}} by {{ site.author.name }}\n"
    text += "# {{ page.title }} ({{ page.tags.size }} tags, first: {{ page.tags.first }})\n"
    out, problems = render(text)
    assert out == ("![logo](/docs/img/a.png) at https://blog.example.org by Ada\n"
                   "# On Leap Days (2 tags, first: time)\n")
    assert problems == []


def test_unknown_variable_is_empty_and_reported_once_with_its_line() -> None:
    out, problems = render("one\ntwo {{ site.nothing }} and {{ page.missing.deeper }}\n")
    assert out == "one\ntwo  and \n"
    assert [p.line for p in problems] == [2, 2]
    assert "site.nothing" in problems[0].message
    assert "page.missing.deeper" in problems[1].message


def test_defined_but_empty_values_are_not_problems() -> None:
    out, problems = render("[{{ site.empty }}][{{ site.empty.name }}]", draft=False)
    assert (out, problems) == ("[][]", [])


def test_baseurl_and_url_are_always_defined() -> None:
    out, problems = render_liquid("{{ site.baseurl }}/a {{ site.url }}", LiquidContext())
    assert (out, problems) == ("/a ", [])


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("'/img/a b.png' | relative_url", "/docs/img/a%20b.png"),
        ("'img/x.png' | absolute_url", "https://blog.example.org/docs/img/x.png"),
        ("'https://other.org/x' | relative_url", "https://other.org/x"),
        ("page.title | downcase", "on leap days"),
        ("page.title | upcase", "ON LEAP DAYS"),
        ("'  padded  ' | strip", "padded"),
        ("'<b>\"Tom\" & Jerry</b>' | escape", "&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;"),
        ("page.nope | default: 'fallback'", "fallback"),
        ("page.title | append: '!' | prepend: site.title", "Example BlogOn Leap Days!"),
    ],
)
def test_filters(markup: str, expected: str) -> None:
    out, problems = render("{{ " + markup + " }}")
    assert out == expected
    assert all("filter" not in p.message for p in problems)


def test_unsupported_filter_leaves_the_value_unfiltered_with_one_problem() -> None:
    out, problems = render('x\n{{ page.title | date: "%Y, %b" | upcase | slugify }}\n')
    assert out == "x\nON LEAP DAYS\n"
    assert len(problems) == 1
    assert problems[0].line == 2
    assert "'date" in problems[0].message
    assert "slugify" in problems[0].message


def test_assign_and_capture() -> None:
    text = ('{% assign who = page.title | upcase %}{% capture greeting %}Hi {{ who }}'
            '{% endcapture %}{{ greeting }}!')
    assert render(text) == ("Hi ON LEAP DAYS!", [])


# -- whitespace control -------------------------------------------------------------------

def test_whitespace_control_trims_like_liquid() -> None:
    out, problems = render("a  \n  {{- page.title -}}  \n  b {%- assign x = 1 -%}\n c")
    assert out == "aOn Leap Daysbc"
    assert problems == []


# -- raw, comment ---------------------------------------------------------------------------

def test_raw_keeps_liquid_literally_over_several_lines() -> None:
    text = ("```html\n{% raw %}<p>{{ user.name | upcase }}</p>\n{% if x %}\n"
            "<p>{{ more }}</p>{% endraw %}\n```\nafter {{ page.title }}\n")
    out, problems = render(text)
    kept = "<p>{{ user.name | upcase }}</p>\n{% if x %}\n<p>{{ more }}</p>\n"
    assert fences(out) == [("html", kept)]
    assert out.count("\n") == text.count("\n")
    assert out.endswith("after On Leap Days\n")
    assert problems == []


def test_comment_is_dropped_and_keeps_the_line_count() -> None:
    text = "a\n{% comment %}\nhidden {{ nope }}\n{% include x.html %}\n{% endcomment %}\nb\n"
    out, problems = render(text)
    assert out.count("\n") == text.count("\n")
    assert out.split("\n")[-2] == "b"
    assert "hidden" not in out
    assert problems == []


def test_unclosed_raw_is_reported_and_its_tag_left_out() -> None:
    out, problems = render("a\n{% raw %}{{ page.title }}")
    assert out == "a\nOn Leap Days"
    assert [p.line for p in problems] == [2]


# -- highlight ----------------------------------------------------------------------------

def test_highlight_becomes_a_fence_with_its_language_and_keeps_lines() -> None:
    text = "Intro\n{% highlight ruby %}\ndef greet\n  puts 'hi'\nend\n{% endhighlight %}\nOutro\n"
    out, problems = render(text)
    assert fences(out) == [("ruby", "def greet\n  puts 'hi'\nend\n")]
    assert out.split("\n")[0] == "Intro"
    assert out.split("\n")[6] == "Outro"
    assert out.count("\n") == text.count("\n")
    assert problems == []


def test_highlight_fence_is_longer_than_backtick_runs_inside() -> None:
    out, _ = render("{% highlight markdown %}\n````\n```js\nx\n```\n````\n{% endhighlight %}\n")
    assert fences(out) == [("markdown", "````\n```js\nx\n```\n````\n")]


def test_highlight_processes_liquid_inside_and_keeps_stripped_blank_lines_outside() -> None:
    text = "{% highlight yaml %}\n\n\nurl: {{ site.url }}\n\n{% endhighlight %}\nnext\n"
    out, _ = render(text)
    assert fences(out) == [("yaml", "url: https://blog.example.org\n")]
    assert out.count("\n") == text.count("\n")


def test_highlight_with_linenos_and_mark_lines_becomes_a_code_block_directive() -> None:
    text = '\n{% highlight python linenos mark_lines="1 3" %}\na = 1\nb = 2\nc = 3\n'
    text += "{% endhighlight %}\n"
    out, problems = render(text)
    [(info, content)] = fences(out)
    assert info == "{code-block} python"
    assert content.splitlines() == [":linenos:", ":emphasize-lines: 1,3", "a = 1", "b = 2",
                                    "c = 3"]
    assert problems == []


def test_highlight_inside_a_list_item_keeps_its_indentation() -> None:
    text = "- step:\n\n  {% highlight sh %}\n  make test\n  {% endhighlight %}\n- next\n"
    out, _ = render(text)
    tokens = MarkdownIt("commonmark").parse(out)
    fence = next(t for t in tokens if t.type == "fence")
    assert (fence.info, fence.content, fence.level) == ("sh", "make test\n", 2)
    assert sum(t.type == "list_item_open" for t in tokens) == 2


def test_highlight_on_one_line_with_text_around() -> None:
    out, _ = render("Run {% highlight sh %}ls -l{% endhighlight %} now")
    assert fences(out) == [("sh", "ls -l\n")]
    assert out.startswith("Run \n") and out.endswith("```\n now")


def test_highlight_without_a_language_is_a_plain_fence_and_a_problem() -> None:
    out, problems = render("a\n{% highlight %}\nx\n{% endhighlight %}\n")
    assert fences(out) == [("", "x\n")]
    assert [p.line for p in problems] == [2]


# -- links ----------------------------------------------------------------------------------

def test_post_url_and_link() -> None:
    text = "[a]({% post_url 2016-02-29-leap-day %}) [b]({% link about.md %})\n"
    text += "[c]({% link {{ page.ref }} %})"
    assert render(text, ref="about.md") == ("[a](/blog/leap-day/) [b](/about/)\n[c](/about/)", [])


def test_unknown_post_url_and_link_point_to_hash_with_a_problem_each() -> None:
    out, problems = render("x\n[a]({% post_url 2099-01-01-nope %}) [b]({% link nope.md %})")
    assert out == "x\n[a](#) [b](#)"
    assert [p.line for p in problems] == [2, 2]
    assert "2099-01-01-nope" in problems[0].message
    assert "nope.md" in problems[1].message


# -- everything else ------------------------------------------------------------------------

def test_include_and_unknown_tags_are_left_out_with_one_problem_each() -> None:
    out, problems = render("a {% include footer.html %}\n{% seo %}\n{% gist 123 %} b")
    assert out == "a \n\n b"
    assert [p.line for p in problems] == [1, 2, 3]
    assert problems[0].message == "unsupported Liquid tag {% include footer.html %}; left out"


def test_unsupported_blocks_keep_their_content_with_one_problem_per_block() -> None:
    text = "{% if page.draft %}draft{% elsif x %}maybe{% else %}final{% endif %}\n"
    text += "{% for t in page.tags %}<{{ t }}>{% endfor %}"
    out, problems = render(text)
    assert out.split("\n")[0] == "draftmaybefinal"
    assert out.split("\n")[1] == "<>"
    # if, for, and the loop variable nobody defined
    assert [p.line for p in problems] == [1, 2, 2]


def test_stray_end_tag_is_reported() -> None:
    out, problems = render("a{% endif %}b")
    assert out == "ab"
    assert len(problems) == 1


def test_liquid_is_processed_inside_code_blocks_like_jekyll() -> None:
    out, problems = render("```\n{{ site.title }}\n    {{ page.title }}\n```\n")
    assert fences(out) == [("", "Example Blog\n    On Leap Days\n")]
    assert problems == []


@pytest.mark.parametrize("text", ["{{ unclosed", "a {% nope", "{{ a {{ site.title }}",
                                  "{% a {% include x %}", "{{ a }"])
def test_unterminated_markup_is_kept_as_text_and_reported(text: str) -> None:
    out, problems = render(text)
    assert text.split(" ", maxsplit=1)[0] in out
    assert problems
    assert all(p.line == 1 for p in problems)


def test_render_with_liquid_false_leaves_the_text_alone() -> None:
    text = "{{ site.title }} {% include x %}"
    assert render(text, render_with_liquid=False) == (text, [])


# -- properties -----------------------------------------------------------------------------

LIQUIDISH = st.sampled_from([
    "{{", "}}", "{%", "%}", "{{-", "-}}", "{%-", "-%}", "{{ site.title }}", "{{ page.x | y }}",
    "{% include a %}", "{% if a %}", "{% endif %}", "{% else %}", "{% for a in b %}", "|", "-",
    "{% highlight %}", "{% endhighlight %}", "{% post_url x %}", "{% link y %}", "{", "}", "%",
    "\n", " ", "\t", "text", "`", "```", "{% assign a = 'b' %}", "{{ a }}", "{% endcapture %}",
])
ANY_TEXT = st.lists(st.one_of(LIQUIDISH, st.text(max_size=5)), max_size=30).map("".join)
# Nothing before a raw tag that would swallow it: another block, or a '{' making '{{%'.
RAW_SAFE = ANY_TEXT.filter(lambda s: not re.search(r"raw|comment|capture|highlight|\{\Z", s))
RAW_BODY = ANY_TEXT.filter(lambda s: not re.search(r"\{%-?\s*endraw", s))


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_never_raises_and_reports_valid_lines(text: str) -> None:
    out, problems = render(text)
    assert isinstance(out, str)
    assert all(1 <= p.line <= text.count("\n") + 1 for p in problems)


@settings(max_examples=300, deadline=None)
@given(RAW_SAFE, RAW_BODY, RAW_SAFE)
def test_raw_content_is_always_kept(before: str, body: str, after: str) -> None:
    out, _ = render(before + "{% raw %}" + body + "{% endraw %}" + after)
    assert body in out
