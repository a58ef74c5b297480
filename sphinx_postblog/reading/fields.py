"""Raw front matter and file name → :class:`~sphinx_postblog.model.Post` fields.

Jekyll's and ablog's keys and conventions are accepted as they are written. Every problem
is one located warning of type ``postblog.frontmatter``; the post is always built.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
import unicodedata
from typing import Any

from sphinx_postblog.dates import UNZONED
from sphinx_postblog.model import Author, Event, Post, unsafe_fields, unsafe_scheme
from sphinx_postblog.reading.frontmatter import Problem, RawFrontMatter

#: Keys we read, or accept as harmless: Jekyll's, its popular themes', ablog's, MyST's, Sphinx's.
KNOWN_KEYS = frozenset({
    "title", "subtitle", "description", "summary", "date", "updated", "last_modified_at",
    "modified", "category", "categories", "tags", "tag", "keywords", "author", "authors",
    "author_email", "editor_email", "header-img", "header_img", "image", "permalink",
    "published", "draft", "excerpt", "excerpt_separator", "layout", "blogpost", "location",
    "language", "lang", "event", "series", "part", "redirect_from", "redirect_to", "redirect",
    "comments", "share", "sitemap", "toc", "hidden", "pin", "math", "mathjax", "header",
    "external_link", "slug", "myst", "mystnb", "html_meta", "substitutions", "orphan",
    "nosearch", "nocomments", "tocdepth", "jupytext", "kernelspec", "file_format",
    "exclude", "canonical_link",
})

_FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.*)$")
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y",
    "%b %d %Y", "%B %d %Y", "%d.%m.%Y",
)


def jekyll_slug(text: str) -> str:
    """Slugify like Jekyll's "pretty" mode: case kept, URL-unsafe runs become ``-``."""
    return re.sub(r"[^\w.~!$&'()+,;=@]+", "-", text).strip("-")


def titleize(slug: str) -> str:
    """Jekyll's title for a post without one: the slug's words, capitalised."""
    return " ".join(word[:1].upper() + word[1:] for word in re.split(r"[-_\s]+", slug) if word)


def _before(first: tuple[dt.datetime, bool], second: tuple[dt.datetime, bool]) -> bool:
    """Whether a parsed date is before another, by day when either has no time."""
    if first[1] and second[1]:
        return first[0] < second[0]
    return first[0].date() < second[0].date()


def parse_date(value: Any) -> tuple[dt.datetime, bool] | None:
    """Turn a YAML date, datetime or string into an aware datetime and whether it has a time."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UNZONED)
        return aware, True
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UNZONED), False
    if not isinstance(value, str):
        return None
    text = value.strip()
    parsed: dt.datetime | None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    has_time = bool(re.search(r"\d:\d", text))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UNZONED)), has_time


def _text(value: Any) -> str | None:
    """A scalar as display text (HTML entities decoded, as Jekyll's HTML output showed them)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | dt.date):
        return str(value)
    if isinstance(value, str):
        return html.unescape(value.strip())
    return None


def _names(value: Any, *, split_spaces: bool) -> list[str] | None:
    """A list of names from a YAML list, a comma-separated or a space-separated string."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [_text(item) for item in value]
        if any(item is None for item in items):
            return None
        return [item for item in items if item]  # type: ignore[misc]
    text = _text(value)
    if text is None:
        return None
    if "," in text:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text.split() if split_spaces else ([text] if text else [])


def _count(value: Any) -> int | None:
    """Ablog's counts (``excerpt: 2``, ``image: 1``): a whole number, or its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    return None


def _author(value: Any) -> Author | None:
    """One author from a key or name, or from an inline mapping."""
    if isinstance(value, dict):
        fields = {str(k): _text(v) or "" for k, v in value.items() if _text(v) is not None}
        name = fields.get("name", "")
        key = fields.get("key", "") or name
        if not key:
            return None
        links = tuple(
            (k, v) for k, v in fields.items() if k in {"twitter", "github", "linkedin", "mastodon"}
        )
        return Author(key=key, name=name, email=fields.get("email", ""),
                      url=fields.get("url", ""), avatar=fields.get("avatar", ""),
                      bio=fields.get("bio", ""), links=links)
    text = _text(value)
    return Author(key=text) if text else None


class PostBuilder:
    """Collects the fields of one post and the problems met on the way."""

    def __init__(self, docname: str, raw: RawFrontMatter | None, *, mtime: float | None) -> None:
        self.docname = docname
        self.raw = raw or RawFrontMatter()
        self.mtime = mtime
        self.problems: list[Problem] = list(self.raw.problems)
        self.fields: dict[str, Any] = {}

    def warn(self, key: str, message: str) -> None:
        """Record a problem at the line of ``key``."""
        self.problems.append(Problem(self.raw.lines.get(key, 1), message))

    def _get(self, *keys: str) -> tuple[str, Any] | None:
        for key in keys:
            if key in self.raw.data and self.raw.data[key] is not None:
                return key, self.raw.data[key]
        return None

    def text(self, name: str, *keys: str) -> None:
        """Read a text field from the first of ``keys`` present."""
        found = self._get(*keys)
        if found is None:
            return
        value = _text(found[1])
        if value is None:
            self.warn(found[0], f"front matter key '{found[0]}' should be text, "
                      f"not a {type(found[1]).__name__}; ignored")
            return
        self.fields[name] = value

    def names(self, name: str, *keys: str, split_spaces: bool) -> None:
        """Read a list of names: a YAML list or a separated string."""
        found = self._get(*keys)
        if found is None:
            return
        values = _names(found[1], split_spaces=split_spaces)
        if values is None:
            self.warn(found[0], f"front matter key '{found[0]}' should be a list of names "
                      "or a string; ignored")
            return
        self.fields[name] = tuple(dict.fromkeys(values))

    def link(self, name: str, key: str) -> None:
        """Read a link: an http(s) URL or a path, never another scheme."""
        self.text(name, key)
        value = self.fields.get(name, "")
        if any(unicodedata.category(char) in {"Cc", "Cs"} for char in value):
            self.warn(key, f"front matter key '{key}' has control characters, which no link "
                      "has; ignored")
            del self.fields[name]
            return
        scheme = unsafe_scheme(value)
        if scheme:
            self.warn(key, f"front matter key '{key}' is a {scheme}: URL, not an http(s) URL "
                      "or a path; ignored")
            del self.fields[name]

    def build(self) -> Post:
        """Validate every known key and return the post."""
        data = self.raw.data
        basename = self.docname.rsplit("/", 1)[-1]
        match = _FILE_DATE.match(basename)
        file_date: dt.datetime | None = None
        file_date_problem = ""
        slug_part = basename
        if match:
            year, month, day, rest = match.groups()
            slug_part = rest or basename
            try:
                file_date = dt.datetime(int(year), int(month), int(day), tzinfo=UNZONED)
            except ValueError:
                file_date_problem = f"the file name's date {year}-{month}-{day} is not a real date"
        self._unknown_keys()
        self.text("title", "title")
        self.text("subtitle", "subtitle")
        self.text("description", "description", "summary")
        self._excerpt()
        self.text("excerpt_separator", "excerpt_separator")
        # ablog: several, separated by commas.
        self.names("locations", "location", split_spaces=False)
        self.names("languages", "language", "lang", split_spaces=False)
        self.text("permalink", "permalink")
        self._links()
        self.text("series", "series")
        self.names("categories", "categories", split_spaces=True)
        if "categories" not in self.fields:
            self.names("categories", "category", split_spaces=False)
        self.names("tags", "tags", "tag", split_spaces=True)
        self._image()
        self._authors()
        self._published()
        self._event()
        self._part()
        date = self._date("date")
        updated = self._date("updated", "last_modified_at", "modified")
        if date is None:
            if file_date is not None:
                date = (file_date, False)
            else:
                stamp = dt.datetime.fromtimestamp(self.mtime or 0, tz=dt.timezone.utc)
                why = file_date_problem or ("post has no date (no 'date' key and no "
                                            "YYYY-MM-DD- file name prefix)")
                self.problems.append(Problem(1, f"{why}; using the file's modification time"))
                date = (stamp.replace(microsecond=0), True)
        if updated is not None and _before(updated, date):
            found = self._get("updated", "last_modified_at", "modified")
            key = found[0] if found else "updated"
            self.warn(key, f"front matter '{key}' is before the post's date; ignored")
            updated = None
        title = self.fields.pop("title", "") or titleize(slug_part)
        return Post(
            docname=self.docname, title=title, date=date[0], has_time=date[1],
            slug=jekyll_slug(slug_part) or slug_part,
            updated=updated[0] if updated else None,
            extra=tuple((k, str(v)) for k, v in data.items() if k not in KNOWN_KEYS),
            **self.fields,
        )

    def _unknown_keys(self) -> None:
        for key in self.raw.data:
            if key in KNOWN_KEYS or key.startswith("html_theme."):
                continue
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.warn(key, f"unknown front matter key '{key}'{hint}")

    def _date(self, *keys: str) -> tuple[dt.datetime, bool] | None:
        found = self._get(*keys)
        if found is None:
            return None
        parsed = parse_date(found[1])
        if parsed is None:
            self.warn(found[0], f"front matter '{found[0]}: {found[1]}' is not a date "
                      "(use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +ZZZZ)")
        return parsed

    def _published(self) -> None:
        found = self._get("published", "draft")
        if found is None:
            return
        key, value = found
        if isinstance(value, str) and value.strip().lower() in {"true", "yes", "false", "no"}:
            value = value.strip().lower() in {"true", "yes"}
        if not isinstance(value, bool):
            self.warn(key, f"front matter key '{key}' should be true or false, not {value!r}")
            return
        self.fields["published"] = value if key == "published" else not value

    def _links(self) -> None:
        """The links ablog gives a post: its canonical page, its external one, its old paths."""
        self.link("canonical_link", "canonical_link")
        self.link("external_link", "external_link")
        # ablog's "redirect", jekyll-redirect-from's "redirect_from": the post's old paths.
        self.names("redirects", "redirect", "redirect_from", split_spaces=False)

    def _excerpt(self) -> None:
        """The excerpt, or ablog's count of paragraphs that make it (``excerpt: 2``)."""
        found = self._get("excerpt")
        count = _count(found[1]) if found is not None else None
        if count is None:
            self.text("excerpt", "excerpt")
        else:
            self.fields["excerpt_paragraphs"] = count

    def _image(self) -> None:
        found = self._get("header-img", "header_img", "image")
        if found is None:
            return
        key, value = found
        count = _count(value) if key == "image" else None
        if count is not None:  # ablog's "image: 2": the body's second image
            self.fields["image_number"] = count
            return
        if isinstance(value, dict):
            value = value.get("path") or value.get("feature") or value.get("url") or ""
        text = _text(value)
        if text is None:
            self.warn(key, f"front matter key '{key}' should be an image path; ignored")
            return
        scheme = unsafe_scheme(text)
        if scheme:
            self.warn(key, f"front matter key '{key}' is a {scheme}: URL, not an image path or "
                      "http(s) URL; ignored")
            return
        self.fields["image"] = text

    def _authors(self) -> None:
        found = self._get("authors", "author")
        if found is None:
            return
        key, value = found
        items: list[Any]
        if isinstance(value, list | tuple):
            items = list(value)
        elif isinstance(value, dict) and ("name" in value or "key" in value):
            items = [value]
        elif isinstance(value, dict):
            items = [{"key": str(k), **(v if isinstance(v, dict) else {"name": v})}
                     for k, v in value.items()]
        else:
            items = _names(value, split_spaces=False) or []
        authors = [_author(item) for item in items]
        unsafe = [field for item in items for field in unsafe_fields(item)]
        if unsafe:
            self.warn(key, f"front matter key '{key}' has links that are not http(s) or mailto "
                      f"URLs ({', '.join(unsafe)}); they are left out")
        if any(author is None for author in authors):
            self.warn(key, f"front matter key '{key}' has an entry that is not a name, "
                      "key or mapping with 'name'; it is skipped")
        found_authors = tuple(a for a in authors if a is not None)
        email = _text(self.raw.data.get("author_email"))
        if email and len(found_authors) == 1 and not found_authors[0].email:
            found_authors = (Author(**{**found_authors[0].__dict__, "email": email}),)
        self.fields["authors"] = found_authors

    def _event(self) -> None:
        found = self._get("event")
        if found is None:
            return
        key, value = found
        event, problems = read_event(value)
        for problem in problems:
            self.warn(key, problem)
        if event is not None:
            self.fields["event"] = event

    def _part(self) -> None:
        found = self._get("part")
        if found is None:
            return
        if isinstance(found[1], int) and not isinstance(found[1], bool):
            self.fields["part"] = found[1]
        else:
            self.warn("part", f"front matter 'part' should be a whole number, not {found[1]!r}")


def read_event(value: Any) -> tuple[Event | None, list[str]]:
    """An event from front matter or the events data file: a name, or a mapping.

    The mapping's keys are ``name``, ``url``, ``location``, ``start``, ``end`` and
    ``schedule``; what is wrong in it is returned as problems, each saying what was left out.
    """
    if isinstance(value, str) and value.strip():
        return Event(name=html.unescape(value.strip())), []
    if not isinstance(value, dict) or not _text(value.get("name")):
        return None, [("'event' should be a name or a mapping with 'name', 'url', 'location', "
                       "'start', 'end', 'schedule'; ignored")]
    problems = []
    if unsafe_fields({"url": value.get("url")}):
        problems.append("event url is not an http(s) or mailto URL; left out")
    days = {}
    for part in ("start", "end"):
        if value.get(part) is None:
            continue
        parsed = parse_date(value[part])
        if parsed is None:
            problems.append(f"event {part} {value[part]!r} is not a date; ignored")
        else:
            days[part] = parsed[0].date()
    if "start" in days and "end" in days and days["end"] < days["start"]:
        problems.append(f"event end {days['end']} is before its start {days['start']}; "
                        "the end is left out")
        del days["end"]
    schedule = value.get("schedule")
    if schedule is not None and not isinstance(schedule, str):
        problems.append("event schedule should be a path inside the source folder; ignored")
        schedule = None
    event = Event(name=_text(value["name"]) or "", url=_text(value.get("url")) or "",
                  location=_text(value.get("location")) or "",
                  schedule=(schedule or "").strip(), **days)
    return event, problems


def is_post_front_matter(raw: RawFrontMatter | None) -> bool:
    """Whether front matter marks its document as a post (``layout: post``, ``blogpost: true``)."""
    if raw is None:
        return False
    blogpost = raw.data.get("blogpost")
    return raw.data.get("layout") == "post" or (
        isinstance(blogpost, bool | str) and blogpost in {True, "true", "True"})
