"""Jekyll's Liquid on post bodies (python-liquid): what renders, what is reported, what never
breaks. Site and page variables, includes and whole builds: ``test_jekyll_liquid_site.py``."""

from __future__ import annotations

import re
import time

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
              "author": {"name": "Ada"}, "unset": None},
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
    out, problems = render("[{{ site.unset }}][{{ site.unset.name }}]", draft=False)
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
    out, problems = render('x\n{{ page.title | shout: "!" | upcase | whisper }}\n')
    assert out == "x\nON LEAP DAYS\n"
    assert [p.line for p in problems] == [2, 2]
    assert "'shout'" in problems[0].message
    assert "'whisper'" in problems[1].message
    assert not any(p.as_jekyll for p in problems)  # a build warning, unlike Jekyll's silence


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

def test_unknown_tags_and_a_missing_include_are_left_out_with_one_problem_each() -> None:
    out, problems = render("a {% include footer.html %}\n{% seo %}\n{% gist 123 %} b")
    assert out == "a \n\n b"
    assert [p.line for p in problems] == [1, 2, 3]
    assert problems[0].message == ("{% include footer.html %}: no file '_includes/footer.html' "
                                   "in the source folder; left out")
    assert problems[1].message == "unsupported Liquid tag {% seo %}; left out"


def test_a_block_never_closed_keeps_its_content_and_loses_its_tags() -> None:
    text = "{% if page.draft %}draft{% else %}final\n{% for t in page.tags %}<{{ t }}>\nend"
    out, problems = render(text)
    assert out == "draftfinal\n<>\nend"
    assert [(p.line, p.message) for p in problems][:2] == [
        (1, "{% if page.draft %} is never closed; its tags are left out"),
        (2, "{% for t in page.tags %} is never closed; its tags are left out")]


def test_branch_tags_outside_their_block_are_reported() -> None:
    out, problems = render("a{% else %}b{% when 1 %}c")
    assert out == "abc"
    assert [p.message for p in problems] == [
        "{% else %} is outside the block it belongs to; left out",
        "{% when 1 %} is outside the block it belongs to; left out"]


def test_a_tag_that_cannot_be_read_is_left_out_with_its_line() -> None:
    out, problems = render("a\n{% if %}x{% endif %}\n{% assign = 3 %}b")
    assert out == "a\n\nb"
    assert [p.line for p in problems] == [2, 3]
    assert problems[0].message.startswith("cannot read {% if %}")


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


# -- all of Liquid, from the engine -----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% if page.tags.size > 1 %}many{% elsif page.tags %}one{% else %}none{% endif %}",
         "many"),
        ("{% unless page.draft %}published{% endunless %}", "published"),
        ("{% case page.tags.first %}{% when 'x', 'time' %}T{% else %}E{% endcase %}", "T"),
        ("{% if page.title contains 'Leap' and site.title != '' %}yes{% endif %}", "yes"),
        (("{% for t in page.tags %}{{ forloop.index }}/{{ forloop.length }}:{{ t }}"
          "{% unless forloop.last %}, {% endunless %}{% endfor %}"), "1/2:time, 2/2:calendars"),
        ("{% for i in (1..9) limit: 3 offset: 2 %}{{ i }}{% endfor %}", "345"),
        ("{% for i in (1..3) reversed %}{{ i }}{% endfor %}", "321"),
        (("{% for i in (1..5) %}{% if i == 4 %}{% break %}{% endif %}{% if i == 2 %}"
          "{% continue %}{% endif %}{{ i }}{% endfor %}"), "13"),
        ("{% for x in page.nothing %}x{% else %}empty{% endfor %}", "empty"),
        ("{% assign n = page.tags | size | plus: 40 %}{{ n }}", "42"),
        ("{% capture c %}{{ page.title | downcase }}!{% endcapture %}[{{ c }}]",
         "[on leap days!]"),
        ("{% increment k %}{% increment k %}{% decrement d %}", "01-1"),
        ("{% for i in (1..3) %}{% cycle 'a', 'b' %}{% endfor %}", "aba"),
        ("a{% comment %}{{ hidden }}{% endcomment %}b{% # inline %}c", "abc"),
        ("{% raw %}{{ kept }}{% endraw %}", "{{ kept }}"),
        ("{{ 'a,b,c' | split: ',' | reverse | join: '-' }}", "c-b-a"),
        ("{{ 7 | divided_by: 2 }} {{ 3.14159 | round: 2 }} {{ -3 | abs }}", "3 3.14 3"),
        ("{{ '<p>Hi</p>' | strip_html }} {{ 'abcdef' | truncate: 5 }}", "Hi ab..."),
        ("{{ 'x' | default: 'y' }}{{ nil | default: 'z' }}", "xz"),
    ],
)
def test_liquid_from_the_engine(text: str, expected: str) -> None:
    assert render(text) == (expected, [])


# -- Jekyll's filters -------------------------------------------------------------------------

DATE = "2016-02-29 09:05:03 +0100"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("page.d | date: '%Y-%m-%d %H:%M'", "2016-02-29 09:05"),
        ("page.d | date: '%-d %B %Y, %-I:%M %p'", "29 February 2016, 9:05 AM"),
        ("page.d | date: '%e|%^b|%a %A|%j|%y|%:z|%z|%L|%P|%%'",
         "29|FEB|Mon Monday|060|16|+01:00|+0100|000|am|%"),
        ("page.d | date: '%F %T %s'", "2016-02-29 09:05:03 1456733103"),
        ("'2015-12-08' | date: '%b %-d, %Y'", "Dec 8, 2015"),
        ("'not a date' | date: '%Y'", "not a date"),
        ("page.d | date_to_string", "29 Feb 2016"),
        ("page.d | date_to_string: 'ordinal'", "29th Feb 2016"),
        ("page.d | date_to_string: 'ordinal', 'US'", "Feb 29th, 2016"),
        ("page.d | date_to_long_string", "29 February 2016"),
        ("'2016-03-01' | date_to_long_string: 'ordinal'", "1st March 2016"),
        ("page.d | date_to_xmlschema", "2016-02-29T09:05:03+01:00"),
        ("page.d | date_to_rfc822", "Mon, 29 Feb 2016 09:05:03 +0100"),
        ("page.d", DATE),  # a date prints as Ruby prints a Time
    ],
)
def test_date_filters_format_as_ruby(markup: str, expected: str) -> None:
    assert render("{{ " + markup + " }}", d=DATE) == (expected, [])


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("'The _config.yml file' | slugify", "the-config-yml-file"),
        ("'The _config.yml file' | slugify: 'pretty'", "the-_config.yml-file"),
        ("'The _config.yml file' | slugify: 'raw'", "the-_config.yml-file"),
        ("'Ünïcödé Heißt' | slugify: 'latin'", "unicode-hei-t"),
        ("'Ünïcödé' | slugify: 'ascii'", "n-c-d"),
        ("'Keep This' | slugify: 'none'", "keep this"),
        ("'<a href=\"x\">T&C</a>' | xml_escape", "&lt;a href=&quot;x&quot;&gt;T&amp;C&lt;/a&gt;"),
        ("'foo, bar; baz?' | cgi_escape", "foo%2C+bar%3B+baz%3F"),
        ("'foo, bar \\baz?' | uri_escape", "foo,%20bar%20%5Cbaz?"),
        ("'  a \n\t b  ' | normalize_whitespace", "a b"),
        ("'one two  three' | number_of_words", "3"),
        ("'日本語 ok' | number_of_words: 'cjk'", "4"),
        ("page.tags | array_to_sentence_string", "time and calendars"),
        ("page.tags | push: 'x' | array_to_sentence_string: 'or'", "time, calendars, or x"),
        ("page.tags | jsonify", '["time","calendars"]'),
        ("page.tags | inspect", "[&quot;time&quot;, &quot;calendars&quot;]"),
        ("page.tags | sort | first", "calendars"),
        ("page.tags | pop | jsonify", '["time"]'),
        ("page.tags | shift | jsonify", '["calendars"]'),
        ("page.tags | unshift: 'a' | jsonify", '["a","time","calendars"]'),
        ("page.tags | sample: 2 | size", "2"),
        ("'**bold**' | markdownify", "**bold**"),
        ("'\"quoted\"' | smartify", '"quoted"'),
        ("'<em>x</em>' | strip_html", "x"),
        ("'12abc' | to_integer | plus: 1", "13"),
    ],
)
def test_jekyll_string_and_array_filters(markup: str, expected: str) -> None:
    assert render("{{ " + markup + " }}") == (expected, [])


PEOPLE = [{"name": "Ada", "team": "core", "tags": ["x", "y"], "year": 2015},
          {"name": "Bob", "team": "docs", "tags": ["y"], "year": 2016},
          {"name": "Cy", "team": "core", "tags": [], "year": None}]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("page.people | where: 'team', 'core' | map: 'name' | join", "Ada Cy"),
        ("page.people | where: 'tags', 'y' | map: 'name' | join", "Ada Bob"),
        ("page.people | where_exp: 'p', 'p.year > 2015' | map: 'name' | join", "Bob"),
        ("page.people | where_exp: 'p', \"p.tags contains 'x' or p.team == 'docs'\" | size", "2"),
        ("page.people | find: 'team', 'docs' | map: 'name' | join", "Bob"),
        ("page.people | find_exp: 'p', 'p.year == 2015' | map: 'name' | join", "Ada"),
        ("page.people | sort: 'year' | map: 'name' | join", "Cy Ada Bob"),
        ("page.people | sort: 'year', 'last' | map: 'name' | join", "Ada Bob Cy"),
        ("page.people | group_by: 'team' | map: 'name' | join: ','", "core,docs"),
        ("page.people | group_by: 'team' | first | map: 'size' | join", "2"),
        ("page.people | group_by_exp: 'p', 'p.name | size' | map: 'name' | join: ','", "3,2"),
    ],
)
def test_jekyll_collection_filters(markup: str, expected: str) -> None:
    assert render("{{ " + markup + " }}", people=PEOPLE) == (expected, [])


def test_a_filter_that_fails_is_left_out_with_a_problem() -> None:
    out, problems = render("a\n{{ 'x' | date_to_string }}{{ nil | sort }}b")
    assert out == "a\nb"
    assert [p.line for p in problems] == [2, 2]
    assert "not a valid date" in problems[0].message


# -- undefined names ------------------------------------------------------------------------

def test_undefined_names_render_empty_and_are_notes_not_warnings() -> None:
    out, problems = render("[{{ page.nope }}][{{ nope.deeper | upcase }}]"
                           "{% if page.draft %}draft{% endif %}{% for x in nope %}x{% endfor %}")
    assert out == "[][]"
    assert [p.message.split(" (", 1)[0] for p in problems] == [
        "unknown Liquid variable 'page.nope'"]
    assert all(p.as_jekyll for p in problems)


def test_keys_that_are_liquid_keywords_are_read_with_brackets() -> None:
    assert render("{{ page['empty'] }}{{ page['for'] }}", empty="e", **{"for": "f"}) == ("ef", [])


# -- hostile templates ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "{% for i in (1..10000000) %}x{% endfor %}",  # one huge loop
        "{% for i in (1..1000) %}{% for j in (1..1000) %}x{% endfor %}{% endfor %}",  # nested
        "{% for i in (1..90000) %}{% endfor %}" * 5,  # many loops: the post's own budget
        "{% for i in (1..1000000000) reversed %}x{% endfor %}",  # no reversed copy of it
        "{% for i in (1..99999999999999999999999999999) %}x{% endfor %}",
        "{% tablerow i in (1..10000000) %}x{% endtablerow %}",
        "{{ (1..1000000000) | join: ',' }}",  # a range too long for a filter
        ("{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}"
         "{% endfor %}"),  # local variables' size
        ("{% capture s %}x{% endcapture %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}"
         "{% endcapture %}{% endfor %}{{ s }}"),  # output size
        "{% if true %}" * 200 + "x" + "{% endif %}" * 200,  # block nesting
        "{{ a" + "[a" * 5000 + "]" * 5000 + " }}",  # recursion in the expression parser
    ],
)
def test_hostile_templates_end_quickly_with_a_problem(text: str) -> None:
    start = time.perf_counter()
    out, problems = render(text)
    assert time.perf_counter() - start < 10
    assert problems
    assert len(out) <= max(len(text), 1000)


def test_break_outside_a_loop_and_failing_filters_do_not_stop_the_rest() -> None:
    out, problems = render("a{% break %}b{{ 1 | divided_by: 0 }}c{{ page.title | size }}")
    assert out == "abc12"
    assert len(problems) == 2


# -- properties -----------------------------------------------------------------------------

LIQUIDISH = st.sampled_from([
    "{{", "}}", "{%", "%}", "{{-", "-}}", "{%-", "-%}", "{{ site.title }}", "{{ page.x | y }}",
    "{% include a %}", "{% if a %}", "{% endif %}", "{% else %}", "{% for a in b %}", "|", "-",
    "{% highlight %}", "{% endhighlight %}", "{% post_url x %}", "{% link y %}", "{", "}", "%",
    "\n", " ", "\t", "text", "`", "```", "{% assign a = 'b' %}", "{{ a }}", "{% endcapture %}",
    "{% for i in (1..3) %}", "{% endfor %}", "{% case a %}", "{% when 'b' %}", "{% break %}",
    "{{ page.tags | where: 'x' | date: '%Y' }}", "{% include_relative x.md %}", "{% unless",
])
ANY_TEXT = st.lists(st.one_of(LIQUIDISH, st.text(max_size=5)), max_size=30).map("".join)
# Nothing before a raw tag that would swallow it (another block, a '{' making '{{%') or
# hide it (a condition or loop that does not render its body).
RAW_SAFE = ANY_TEXT.filter(
    lambda s: not re.search(r"raw|comment|capture|highlight|\b(if|for|unless|case)\b|\{\Z", s))
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
