"""Conference reports: talks from the directive and the schedule file, event and speaker pages.

The test root ``test-reports`` has an event described in ``_data/events.yml`` whose
programme is a YAML sessions list, two reports on it forming a series, a report on a
meetup without a programme (its talk written in reST), and an unrelated post.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import feedparser
import pytest

from postblog_testing import (
    ROOTS,
    blog_posting,
    edit,
    page,
    resolve,
    snapshot,
    text,
    warnings,
    write_site,
)
from sphinx_postblog.model import Talk
from sphinx_postblog.output.talks import embed_url, initials
from sphinx_postblog.reports.directive import read_time, recording_url
from sphinx_postblog.state import blog_state

DAY_ONE = "_posts/2025-05-16-lighthouse-day-one"
DAY_TWO = "_posts/2025-05-17-lighthouse-day-two"
MEETUP = "_posts/2025-06-01-harbour-notes"
EVENT_PAGE = "blog/event/lighthouse-conf-2025.html"


def _build(make_app, srcdir: Path, builddir: Path, **kwargs):
    app = make_app("html", srcdir=srcdir, builddir=builddir, **kwargs)
    app.build()
    app.cleanup()
    return app


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(ROOTS / "test-reports", tmp_path / "src")


@pytest.fixture
def built(make_app, site, tmp_path):
    return _build(make_app, site, tmp_path / "_build")


def _talks(app, docname: str) -> dict[str, Talk]:
    return {talk.title: talk for talk in blog_state(app.env).posts[docname].talks}


def _card(soup, anchor: str):
    card = soup.select_one(f"article.postblog-talk#{anchor}")
    assert card is not None, anchor
    return card


# -- the model -----------------------------------------------------------------------------


def test_a_talk_named_by_id_takes_everything_from_the_schedule(built):
    talk = _talks(built, DAY_ONE)["Lanterns for maintainers"]
    assert talk.id == "lanterns"
    assert [s.name for s in talk.speakers] == ["Ana Duarte"]
    ana = talk.speakers[0]
    assert ana.avatar == "images/speakers/ana.svg"
    assert dict(ana.links)["website"] == "https://ana.example.org/"
    assert talk.slides == "https://slides.example.org/lanterns.pdf"
    assert talk.video == "https://www.youtube.com/watch?v=aBcDeFgHiJk"
    assert talk.room == "Main hall"
    assert talk.start == dt.datetime(2025, 5, 14, 9, 30)
    assert "keep the lights on" in talk.abstract
    assert talk.notes == "Ana showed the checklist her project uses before every release."
    assert talk.anchor == "talk-lanterns"


def test_what_the_directive_says_wins_over_the_schedule(built):
    tides = _talks(built, DAY_ONE)["Tides of release notes"]
    assert tides.room == "Side room"  # the schedule has none; the directive's
    assert [s.name for s in tides.speakers] == ["Ben Osei", "Ana Duarte"]
    again = _talks(built, DAY_TWO)["Lanterns for maintainers"]
    # ``:time: 11:00`` on the day the schedule gives.
    assert again.start == dt.datetime(2025, 5, 14, 11, 0)
    assert again.room == "Main hall"


def test_a_talk_written_by_hand(built):
    hallway = _talks(built, DAY_ONE)["Hallway track"]
    assert [s.name for s in hallway.speakers] == ["Chris Vale", "Mira Okafor"]
    assert (hallway.start, hallway.end) == (dt.datetime(2025, 5, 14, 16), dt.datetime(2025, 5, 14, 16, 30))
    assert hallway.video == "https://vimeo.com/123456789"
    assert hallway.slides == ""  # ftp: left out, with a warning
    rest = _talks(built, MEETUP)["Docs as a product"]
    assert (rest.room, rest.track) == ("Back room", "Docs")
    assert rest.notes == "Eva's notes, written in reST."


def test_every_problem_is_one_located_warning(built):
    found = warnings(built)
    ftp = [w for w in found if "ftp://" in w]
    assert len(ftp) == 1
    assert "2025-05-16-lighthouse-day-one.md:" in ftp[0] and ftp[0].endswith("[postblog.talk]")
    unknown = [w for w in found if "no-such-talk" in w]
    assert len(unknown) == 1
    assert "2025-05-17-lighthouse-day-two.md:17" in unknown[0]
    assert unknown[0].endswith("[postblog.schedule]")
    # A talk with speakers of its own is a hand-written one: no warning for its title.
    assert not [w for w in found if "Hallway track" in w]
    assert len(found) == 2, found


def test_parallel_build_has_the_same_talks(make_app, site, tmp_path):
    serial = _build(make_app, site, tmp_path / "serial")
    parallel = _build(make_app, site, tmp_path / "parallel", parallel=2)
    mine, theirs = blog_state(serial.env), blog_state(parallel.env)
    assert mine.talks and mine.talks == theirs.talks
    assert {d: p.talks for d, p in mine.posts.items()} == {
        d: p.talks for d, p in theirs.posts.items()}
    assert snapshot(serial) == snapshot(parallel)


# -- talk cards ------------------------------------------------------------------------------


def test_talk_card_shows_speakers_time_room_and_buttons(built):
    soup = page(built, f"{DAY_ONE}.html")
    card = _card(soup, "talk-lanterns")
    assert "h-event" in card["class"]
    assert text(card.select_one(".postblog-talk-title")) == "Lanterns for maintainers"
    # Under "## Morning" (an h2), the talk's title is an h3.
    assert card.select_one(".postblog-talk-title").name == "h3"
    speaker = card.select_one("a.p-performer.h-card")
    assert text(speaker) == "Ana Duarte"
    assert resolve(f"{DAY_ONE}.html", speaker["href"]) == "blog/speaker/ana-duarte.html"
    avatar = speaker.select_one("img.postblog-avatar")
    assert resolve(f"{DAY_ONE}.html", avatar["src"]) == "images/speakers/ana.svg"
    assert Path(built.outdir, "images/speakers/ana.svg").is_file()
    assert card.select_one(".postblog-talk-room").get_text() == "Main hall"
    buttons = {a.get_text(): a["href"] for a in card.select("a.postblog-button")}
    assert buttons == {"Slides": "https://slides.example.org/lanterns.pdf",
                       "Recording": "https://www.youtube.com/watch?v=aBcDeFgHiJk"}
    notes = card.select_one(".postblog-talk-notes")
    assert notes.select_one("strong").get_text() == "checklist"
    hallway = _card(soup, "talk-hallway-track")
    assert hallway.select_one("time.dt-start")["datetime"] == "2025-05-14T16:00:00"
    assert hallway.select_one("time.dt-end")["datetime"] == "2025-05-14T16:30:00"


def test_schedule_html_is_sanitised_everywhere(built):
    for path in (f"{DAY_ONE}.html", EVENT_PAGE, "blog/speaker/ana-duarte.html"):
        soup = page(built, path)
        assert soup.select(".postblog-talk script, .postblog-bio script") == []
        for element in soup.select(".postblog-talk *, .postblog-speaker-card *"):
            assert not [a for a in element.attrs if a.startswith("on")], element
            assert not element.get("href", "").lower().startswith("javascript")
    abstract = _card(page(built, f"{DAY_ONE}.html"), "talk-tides").select_one(
        ".postblog-talk-abstract")
    assert "people read" in text(abstract)
    assert "alert" not in str(page(built, f"{DAY_ONE}.html").select_one(".e-content"))


def test_no_third_party_request_unless_the_project_allows_it(make_app, site, tmp_path):
    default = _build(make_app, site, tmp_path / "default")
    soup = page(default, f"{MEETUP}.html")
    assert soup.select("iframe") == []
    tides = _card(page(default, f"{DAY_ONE}.html"), "talk-tides")
    ben = tides.select("a.p-performer")[0]
    assert ben.select("img") == [] and text(ben.select_one(".postblog-initials")) == "BO"
    allowed = _build(make_app, site, tmp_path / "allowed",
                     confoverrides={"postblog_third_party_media": True})
    player = page(allowed, f"{MEETUP}.html").select_one(".postblog-talk-player iframe")
    assert player["src"] == "https://www.youtube-nocookie.com/embed/zYxWvUtSrQp"
    tides = _card(page(allowed, f"{DAY_ONE}.html"), "talk-tides")
    assert tides.select_one("img.postblog-avatar")["src"] == "https://avatars.example.net/ben.png"


def test_text_builder_shows_talks(make_app, site, tmp_path):
    app = make_app("text", srcdir=site, builddir=tmp_path / "text")
    app.build()
    output = Path(app.outdir, f"{DAY_ONE}.txt").read_text(encoding="utf-8")
    for expected in ("Lanterns for maintainers", "Ana Duarte", "Main hall", "checklist",
                     "https://slides.example.org/lanterns.pdf", "people read"):
        assert expected in output


# -- pages -------------------------------------------------------------------------------------


def test_event_page_lists_the_talks_its_reports_cover(built):
    soup = page(built, EVENT_PAGE)
    card = soup.select_one(".postblog-event-card.h-event")
    assert text(card.select_one(".p-name")) == "Lighthouse Conf 2025"
    assert card.select_one("time.dt-start")["datetime"] == "2025-05-14"
    assert card.select_one("time.dt-end")["datetime"] == "2025-05-15"
    assert text(card.select_one(".p-location")) == "Ostend, Belgium"
    assert card.select_one("a.u-url")["href"] == "https://lighthouse.example.org/2025/"
    feeds = {resolve(EVENT_PAGE, a["href"]) for a in card.select(".postblog-feeds a")}
    assert "blog/event/lighthouse-conf-2025.atom.xml" in feeds
    entries = {text(li.select_one("a.p-name")): li for li in soup.select(".postblog-talk-entry")}
    assert set(entries) == {"Lanterns for maintainers", "Tides of release notes",
                            "Hallway track", "no-such-talk"}
    lanterns = entries["Lanterns for maintainers"]
    reports = {resolve(EVENT_PAGE, a["href"]) for a in lanterns.select(".postblog-talk-reports a")}
    assert reports == {f"{DAY_ONE}.html", f"{DAY_TWO}.html"}
    speakers = [resolve(EVENT_PAGE, a["href"]) for a in entries["Tides of release notes"].select(
        "a.p-performer")]
    assert speakers == ["blog/speaker/ben-osei.html", "blog/speaker/ana-duarte.html"]
    listed = {resolve(EVENT_PAGE, a["href"]) for a in soup.select(".postblog-entry-title a")}
    assert listed == {f"{DAY_ONE}.html", f"{DAY_TWO}.html"}


def test_events_index_is_newest_first_with_dates_and_places(built):
    soup = page(built, "blog/event/index.html")
    events = soup.select(".postblog-events > li.h-event")
    assert [text(e.select_one(".p-name")) for e in events] == ["Canal Meetup", "Lighthouse Conf 2025"]
    assert text(events[0].select_one(".p-location")) == "Ghent"
    assert events[1].select_one("time.dt-start")["datetime"] == "2025-05-14"


def test_speaker_page_shows_every_talk_covered(built):
    path = "blog/speaker/ana-duarte.html"
    soup = page(built, path)
    card = soup.select_one(".postblog-speaker-card.h-card")
    assert text(card.select_one(".p-name")) == "Ana Duarte"
    assert resolve(path, card.select_one("img")["src"]) == "images/speakers/ana.svg"
    links = {a["href"] for a in card.select("a.u-url")}
    assert "https://ana.example.org/" in links
    talks = [text(li.select_one("a.p-name")) for li in soup.select(".postblog-talk-entry")]
    assert sorted(talks) == ["Lanterns for maintainers", "Tides of release notes"]
    index = page(built, "blog/speaker/index.html")
    names = [text(a) for a in index.select(".postblog-terms a")]
    assert names == ["Ana Duarte", "Ben Osei", "Chris Vale", "Eva Stern", "Mira Okafor"]


def test_a_speaker_who_writes_here_links_to_their_posts(built):
    path = "blog/speaker/mira-okafor.html"
    card = page(built, path).select_one(".postblog-speaker-card")
    link = card.select_one(".postblog-speaker-author a")
    assert resolve(path, link["href"]) == "blog/author/mira.html"
    assert text(link) == "Posts by Mira Okafor"
    # A speaker who does not write here has no such link.
    assert page(built, "blog/speaker/ana-duarte.html").select_one(".postblog-speaker-author") is None
    index = page(built, "blog/speaker/index.html")
    counts = {text(li.select_one("a")): text(li.select_one(".postblog-count"))
              for li in index.select(".postblog-terms li")}
    assert counts["Ana Duarte"] == "2 talks"
    assert counts["Chris Vale"] == "1 talk"


def test_a_clock_time_takes_the_programme_time_zone(make_app, tmp_path):
    schedule = (Path(__file__).parent / "schedules/docs-harbour-pretalx.json").read_text(
        encoding="utf-8")
    post = ("---\ntitle: Harbour day\nevent:\n  name: Docs Harbour\n"
            "  schedule: programme.json\n---\n\n```{talk} A talk not on the programme\n"
            ":speakers: Eva Stern\n:time: 2025-06-12 18:00-18:30\n```\n\n"
            "```{talk}\n:id: HBR7QX\n:time: 11:00\n```\n")
    srcdir = write_site(tmp_path / "src", {"programme.json": schedule,
                                           "_posts/2025-06-13-harbour.md": post})
    app = _build(make_app, srcdir, tmp_path / "out")
    talks = list(blog_state(app.env).posts["_posts/2025-06-13-harbour"].talks)
    berlin_summer = dt.timedelta(hours=2)
    by_hand, moved = talks
    assert by_hand.start == dt.datetime(2025, 6, 12, 18, 0, tzinfo=dt.timezone(berlin_summer))
    assert by_hand.end is not None and by_hand.end.utcoffset() == berlin_summer
    assert moved.start == dt.datetime(2025, 6, 12, 11, 0, tzinfo=dt.timezone(berlin_summer))
    assert moved.end - moved.start == dt.timedelta(minutes=30)  # the programme's duration


def test_series_navigation_on_each_part(built):
    for docname, number in ((DAY_ONE, 1), (DAY_TWO, 2)):
        soup = page(built, f"{docname}.html")
        nav = soup.select_one("nav.postblog-series")
        assert text(nav.select_one(".postblog-series-label")).startswith(f"Part {number} of 2")
        parts = nav.select(".postblog-series-parts li")
        assert len(parts) == 2
        assert parts[number - 1].select_one("[aria-current=page]") is not None
        other = parts[2 - number].select_one("a")
        assert resolve(f"{docname}.html", other["href"]) == f"{(DAY_TWO, DAY_ONE)[number - 1]}.html"


def test_related_posts_share_the_event_first(built):
    soup = page(built, f"{DAY_ONE}.html")
    related = [resolve(f"{DAY_ONE}.html", a["href"])
               for a in soup.select("nav.postblog-related-posts a")]
    assert related == [f"{DAY_TWO}.html", f"{MEETUP}.html"]  # the event, then a shared tag
    assert "2025-06-10-unrelated" not in " ".join(related)


def test_json_ld_is_about_the_event_with_its_talks(built):
    posting = blog_posting(page(built, f"{DAY_ONE}.html"))
    about = posting["about"]
    assert about["@type"] == "Event" and about["name"] == "Lighthouse Conf 2025"
    assert (about["startDate"], about["endDate"]) == ("2025-05-14", "2025-05-15")
    assert about["location"] == {"@type": "Place", "name": "Ostend, Belgium"}
    talks = {sub["name"]: sub for sub in about["subEvent"]}
    assert list(talks) == ["Lanterns for maintainers", "Tides of release notes", "Hallway track"]
    lanterns = talks["Lanterns for maintainers"]
    assert lanterns["@type"] == "Event"
    assert lanterns["performer"] == [{"@type": "Person", "name": "Ana Duarte"}]
    assert lanterns["startDate"] == "2025-05-14T09:30:00"
    assert lanterns["location"]["name"] == "Main hall, Ostend, Belgium"
    assert lanterns["recordedIn"]["@type"] == "VideoObject"
    assert lanterns["recordedIn"]["url"] == "https://www.youtube.com/watch?v=aBcDeFgHiJk"
    assert lanterns["workFeatured"] == {"@type": "CreativeWork", "name": "Slides: Lanterns for "
                                        "maintainers", "url": "https://slides.example.org/lanterns.pdf"}


def test_feeds_carry_the_talks(built):
    feed = feedparser.parse(Path(built.outdir, "blog/event/lighthouse-conf-2025.atom.xml").read_bytes())
    assert not feed.bozo
    assert len(feed.entries) == 2
    day_one = next(e for e in feed.entries if "day one" in e.title)
    content = day_one.content[0].value
    assert "Lanterns for maintainers" in content and "Ana Duarte" in content
    # The whole post (postblog_feed_full): its talk cards, slides and recording included.
    assert 'href="https://slides.example.org/lanterns.pdf"' in content
    assert "postblog-talk" in content


# -- incremental builds --------------------------------------------------------------------------


def test_editing_the_schedule_file_rebuilds_what_uses_it(make_app, site, tmp_path):
    _build(make_app, site, tmp_path / "inc")
    schedule = site / "programmes/lighthouse-2025.yaml"
    edit(schedule, schedule.read_text(encoding="utf-8").replace(
        "Lanterns for maintainers", "Lighthouses for maintainers"))
    incremental = _build(make_app, site, tmp_path / "inc")
    fresh = _build(make_app, site, tmp_path / "fresh")
    assert snapshot(incremental) == snapshot(fresh)
    soup = page(incremental, f"{DAY_TWO}.html")
    assert text(_card(soup, "talk-lanterns").select_one(".postblog-talk-title")) == (
        "Lighthouses for maintainers")
    assert "Lighthouses for maintainers" in text(page(incremental, EVENT_PAGE))


def test_schedule_outside_the_source_folder_is_not_read(make_app, site, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("- title: Secret talk\n  slug: secret\n", encoding="utf-8")
    events = site / "_data/events.yml"
    edit(events, events.read_text(encoding="utf-8").replace(
        "programmes/lighthouse-2025.yaml", "../secret.yaml"))
    app = _build(make_app, site, tmp_path / "out")
    security = [w for w in warnings(app) if w.endswith("[postblog.security]")]
    assert security and all("2025-05-1" in w for w in security)
    assert "Secret talk" not in text(page(app, f"{DAY_ONE}.html"))


# -- the small functions -------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "day", "expected"), [
    ("10:30", dt.date(2025, 5, 14), (dt.datetime(2025, 5, 14, 10, 30), None)),
    ("10:30-11:15", dt.date(2025, 5, 14),
     (dt.datetime(2025, 5, 14, 10, 30), dt.datetime(2025, 5, 14, 11, 15))),
    ("2025-05-15 9.05", None, (dt.datetime(2025, 5, 15, 9, 5), None)),
    ("2025-05-15T09:05:00+02:00", None,
     (dt.datetime(2025, 5, 15, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))), None)),
    ("10:30", None, None),
    ("after lunch", dt.date(2025, 5, 14), None),
    ("25:99", dt.date(2025, 5, 14), None),
])
def test_read_time(written, day, expected):
    assert read_time(written, day) == expected


@pytest.mark.parametrize(("written", "expected"), [
    ("dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("76979871", "https://vimeo.com/76979871"),
    ("https://media.example.org/talk.mp4", "https://media.example.org/talk.mp4"),
    ("javascript:alert(1)", ""),
    ("file:///etc/passwd", ""),
    ("not a url", ""),
])
def test_recording_url(written, expected):
    assert recording_url(written) == expected


@pytest.mark.parametrize(("video", "expected"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ("https://media.example.org/talk.mp4", ""),
    ("https://www.youtube.com/watch?v=short", ""),
])
def test_embed_url(video, expected):
    assert embed_url(video) == expected


def test_initials():
    assert [initials(n) for n in ("Ada Lovelace", "Jean-Luc Picard", "Plato", "Ana de la Cruz")] == [
        "AL", "JP", "P", "AC"]


@pytest.mark.parametrize("theme", ["alabaster", "furo", "pydata_sphinx_theme",
                                   "sphinx_book_theme", "sphinx_rtd_theme", "postblog"])
def test_a_report_in_every_theme(make_app, site, tmp_path, theme):
    if theme not in {"alabaster", "postblog"}:
        pytest.importorskip(theme)
    app = _build(make_app, site, tmp_path / theme, confoverrides={"html_theme": theme})
    soup = page(app, f"{DAY_ONE}.html")
    header = soup.select_one(".h-entry header.postblog-header")
    assert header.select_one(".postblog-byline .p-author") is not None
    event = header.select_one(".postblog-event.h-event")
    assert text(event.select_one(".p-name")) == "Lighthouse Conf 2025"
    assert header.select_one("nav.postblog-series") is not None
    cards = soup.select(".e-content article.postblog-talk")
    assert [text(c.select_one(".postblog-talk-title")) for c in cards] == [
        "Lanterns for maintainers", "Tides of release notes", "Hallway track"]
    assert cards[0].select("a.postblog-button")
    # The theme shows the extension's stylesheet for the cards.
    assert any("postblog" in link["href"] for link in soup.select('link[rel="stylesheet"]'))
