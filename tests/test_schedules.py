"""Conference schedule importers: each format read into the model, and every problem returned.

The fixtures in ``tests/schedules/`` describe a made-up conference, Docs Harbour 2025, in
each format (pretalx JSON, frab XML, Sessionize JSON, sessions YAML), plus broken files.
The Lantern Bay fixtures (and the ``lantern-site`` and ``ferry-site`` folders) are made up
too, in the shapes real exports and conference sites have: sessions held twice, Markdown
abstracts, c3voc's recording fields, frab days past midnight, Sessionize's own questions,
speakers kept in a separate speakers file.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_postblog.model import Schedule, Talk
from sphinx_postblog.reports.schedules import ScheduleProblem, read_schedule
from sphinx_postblog.reports.schedules.common import markdown, plain, rich

HERE = Path(__file__).parent / "schedules"
BERLIN = dt.timezone(dt.timedelta(hours=2))
UTC = dt.timezone.utc
NOT_A_SCHEDULE = ("not a schedule format sphinx-postblog reads (pretalx/frab JSON, frab XML, "
                  "Sessionize JSON, sessions YAML)")
VALID = {
    "docs-harbour-pretalx.json": "pretalx",
    "docs-harbour-frab.xml": "frab-xml",
    "docs-harbour-sessionize.json": "sessionize",
    "docs-harbour-sessionize-groups.json": "sessionize",
    "docs-harbour-sessions.yaml": "yaml",
}


def _read(name: str) -> tuple[Schedule, list[ScheduleProblem]]:
    schedule, problems = read_schedule(HERE / name)
    assert schedule is not None, problems
    return schedule, problems


def _talks(schedule: Schedule) -> dict[str, Talk]:
    return {talk.title: talk for talk in schedule.talks}


def _nothing_read(path: Path) -> ScheduleProblem:
    schedule, problems = read_schedule(path)
    assert schedule is None
    assert len(problems) == 1, problems
    return problems[0]


def _assert_safe(abstract: str, *, written: bool = True) -> BeautifulSoup:
    soup = BeautifulSoup(abstract, "html.parser")
    assert soup.find_all(["script", "style", "img", "svg"]) == []
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        assert not element.get("href", "").strip().lower().startswith("javascript")
    if written:  # the fixtures' hostile code is gone, not escaped
        assert "alert" not in abstract and "steal" not in abstract
    return soup


def _pretalx(tmp_path: Path, events: list[object], name: str = "schedule.json") -> Path:
    data = {"schedule": {"version": "1", "conference": {
        "title": "Docs Harbour 2025",
        "days": [{"index": 1, "date": "2025-06-12", "rooms": {"Quay Hall": events}}]}}}
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- pretalx / frab JSON ---------------------------------------------------------------------


def test_pretalx_talks_ids_keys_times_rooms_and_tracks():
    schedule, _ = _read("docs-harbour-pretalx.json")
    assert (schedule.format, schedule.title) == ("pretalx", "Docs Harbour 2025")
    assert [t.title for t in schedule.talks] == [
        "Writing docs people finish", "Versioned docs without tears", "Use bold headings wisely"]
    first, second, third = schedule.talks
    assert first.id == "HBR7QX"
    assert first.keys == ("HBR7QX", "6f1c2a40-1111-4c3e-8f00-000000000101", "101",
                          "docsharbour2025-101-writing-docs-people-finish")
    assert (first.start, first.end) == (dt.datetime(2025, 6, 12, 10, 0, tzinfo=BERLIN),
                                        dt.datetime(2025, 6, 12, 10, 30, tzinfo=BERLIN))
    assert first.start.utcoffset() == dt.timedelta(hours=2)
    assert second.end == dt.datetime(2025, 6, 12, 12, 15, tzinfo=BERLIN)  # "1:15"
    assert (first.room, first.track) == ("Quay Hall", "Writing")
    assert (third.room, third.track) == ("Dock Room", "")
    assert first.time == ""


def test_pretalx_speakers_are_shared_and_keep_their_links():
    talks = _talks(_read("docs-harbour-pretalx.json")[0])
    shared = talks["Versioned docs without tears"]
    assert [s.name for s in shared.speakers] == ["Mara Lindqvist", "Tomás Reyes"]
    mara = talks["Writing docs people finish"].speakers[0]
    # A relative avatar is on the file's base_url.
    assert mara.avatar == "https://cfp.docs-harbour.example/media/avatars/mara.png"
    assert mara.links == (("profile", "https://cfp.docs-harbour.example/2025/speaker/MLQ8RT/"),)
    assert mara.bio == "<p>Technical writer on a harbour of small tools.</p>"
    tomas = shared.speakers[1]
    assert tomas.avatar == "https://avatars.docs-harbour.example/tomas.jpg"


def test_pretalx_slides_and_recording_come_from_attachments_and_links():
    talks = _talks(_read("docs-harbour-pretalx.json")[0])
    versioned = talks["Versioned docs without tears"]
    assert versioned.slides == ("https://cfp.docs-harbour.example/media/docsharbour2025/"
                                "submissions/KT3PLM/resources/versioned.pdf")
    assert versioned.video == "https://media.ccc.de/v/docsharbour2025-102"
    # A link given as a bare URL string, on YouTube.
    assert talks["Use bold headings wisely"].video == "https://www.youtube.com/watch?v=hArB0uR2025"
    assert (talks["Writing docs people finish"].slides,
            talks["Writing docs people finish"].video) == ("", "")


def test_pretalx_plain_text_abstract_becomes_paragraphs_then_the_description():
    talk = _talks(_read("docs-harbour-pretalx.json")[0])["Writing docs people finish"]
    assert talk.abstract == (
        "<p>Short pages, one task each.<br>No walls of text.</p>"
        "<p>A checklist for &lt;every&gt; page &amp; its reader.</p>"
        "<p>We rewrite one long page live.</p>")
    same = _talks(_read("docs-harbour-pretalx.json")[0])["Versioned docs without tears"]
    assert same.abstract == "<p>Branches, tags and a version switcher.</p>"  # once


def test_pretalx_valid_file_has_only_the_unsafe_avatar_problem():
    schedule, problems = _read("docs-harbour-pretalx.json")
    assert len(problems) == 1, problems
    assert "Priya Natarajan" in problems[0].message and "'avatar'" in problems[0].message
    priya = _talks(schedule)["Use bold headings wisely"].speakers[0]
    assert priya.avatar == ""
    assert "alert" not in priya.bio and "<img" not in priya.bio
    assert priya.bio == "<p>Editor.</p>"


def test_pretalx_bad_entries_are_problems_and_the_rest_is_read():
    schedule, problems = _read("pretalx-bad-fields.json")
    talks = _talks(schedule)
    assert list(talks) == ["Writing docs people finish", "Glossaries that grow",
                           "Docs for the impatient"]
    assert talks["Glossaries that grow"].speakers == ()
    impatient = talks["Docs for the impatient"]
    assert impatient.start == dt.datetime(2025, 6, 12, 14, 0, tzinfo=BERLIN)
    assert impatient.end is None
    assert [s.name for s in impatient.speakers] == ["Priya Natarajan"]
    messages = [p.message for p in problems]
    assert len(messages) == 6, messages
    assert messages[0] == "day 1, room 'Quay Hall', entry 2 is a list, not a mapping; skipped"
    assert "entry 3" in messages[1] and "'title' is a mapping" in messages[1]
    assert messages[2].startswith("talk 'Glossaries that grow': 'persons' is text, not a list")
    assert messages[3] == ("talk 'Docs for the impatient': 'duration' 'soon' is not HH:MM; "
                           "no end time")
    assert "person 2" in messages[4] and "no 'name'" in messages[4]
    assert messages[5] == "day 2 is text, not a mapping; skipped"
    assert all(p.line is None for p in problems)


@pytest.mark.parametrize(("duration", "end"), [
    ("00:30", dt.datetime(2025, 6, 12, 10, 30, tzinfo=BERLIN)),
    ("1:05", dt.datetime(2025, 6, 12, 11, 5, tzinfo=BERLIN)),
    ("01:02:00", dt.datetime(2025, 6, 13, 12, 0, tzinfo=BERLIN)),  # DD:HH:MM
])
def test_pretalx_durations(tmp_path, duration, end):
    path = _pretalx(tmp_path, [{"code": "A", "title": "Talk",
                                "date": "2025-06-12T10:00:00+02:00", "duration": duration}])
    schedule, problems = read_schedule(path)
    assert problems == []
    assert schedule is not None and schedule.talks[0].end == end


def test_pretalx_without_a_date_uses_the_day_and_the_start(tmp_path):
    path = _pretalx(tmp_path, [{"code": "A", "title": "Talk", "start": "09:15",
                                "duration": "00:45"}])
    schedule, problems = read_schedule(path)
    assert problems == []
    assert schedule is not None
    assert (schedule.talks[0].start, schedule.talks[0].end) == (
        dt.datetime(2025, 6, 12, 9, 15), dt.datetime(2025, 6, 12, 10, 0))


def test_duplicated_ids_keep_the_first_with_one_problem(tmp_path):
    path = _pretalx(tmp_path, [{"code": "SAME", "title": "First"},
                               {"code": "SAME", "title": "Second"},
                               {"code": "OTHER", "title": "Third"}])
    schedule, problems = read_schedule(path)
    assert schedule is not None
    assert [t.title for t in schedule.talks] == ["First", "Third"]
    assert len(problems) == 1
    assert problems[0].message.startswith("talk 'Second': id 'SAME' is also the id of talk 'First'")


def test_odd_values_are_problems_not_crashes(tmp_path):
    path = _pretalx(tmp_path, [{
        "code": ["x"], "id": 10 ** 30, "title": 12345, "date": "9999-12-31T23:00:00+00:00",
        "duration": "48:00", "room": {"name": "x"}, "abstract": "\ud800 ok",
        "persons": [None, {"name": "  Spaced   out \n name "}], "links": "https://x.example/",
    }])
    schedule, problems = read_schedule(path)
    assert schedule is not None
    talk = schedule.talks[0]
    assert talk.title == "12345"  # a number where text is expected: taken as text
    assert talk.id == str(10 ** 30)
    assert talk.end is None  # past year 9999
    assert talk.room == "Quay Hall"
    assert talk.abstract == "<p>ok</p>"
    assert [s.name for s in talk.speakers] == ["Spaced out name"]
    messages = " | ".join(p.message for p in problems)
    for field in ("'code' is a list", "'room' is a mapping", "person 1 is empty",
                  "'links' is text, not a list"):
        assert field in messages
    assert len(problems) == 4, messages


def test_pretalx_session_held_twice_is_one_talk_that_each_slot_finds():
    schedule, problems = _read("lantern-bay-pretalx.json")
    assert problems == []  # a session of two slots is no duplicated id
    assert [t.title for t in schedule.talks] == [
        "Tides of tiny tests", "Night shift deploys", "Harbour maps in the browser"]
    tides = schedule.talks[0]
    assert tides.start == dt.datetime(2026, 3, 5, 10, tzinfo=UTC)  # the first slot
    for key in ("RPT4LB", "7a0d1c2e-0001-4b1a-9c00-00000000a501",
                "7a0d1c2e-0001-4b1a-9c00-00000000b501",
                "lanternbay2026-501-tides-of-tiny-tests_b2"):
        assert schedule.find(key) is tides


def test_pretalx_abstract_and_biography_are_markdown():
    tides = _talks(_read("lantern-bay-pretalx.json")[0])["Tides of tiny tests"]
    assert tides.abstract == (
        "<p>Why <strong>small</strong> tests win.</p><ul><li>fast</li><li>cheap</li></ul>"
        '<p>See <a href="https://notes.lantern-bay.example/tides" rel="noopener noreferrer">'
        "the notes</a> and <code>List&lt;T&gt;</code>.</p>")
    ines = tides.speakers[0]
    assert (ines.name, ines.bio) == ("Ines Okafor", "<p>Writes <em>tests</em> for lighthouses.</p>")


def test_pretalx_end_recording_and_the_slides_named_so():
    tides = _talks(_read("lantern-bay-pretalx.json")[0])["Tides of tiny tests"]
    assert tides.end == dt.datetime(2026, 3, 5, 10, 45, tzinfo=UTC)  # c3voc's "end", no duration
    # The attachment titled "Slides", not the handout PDF before it nor the linked paper.
    assert tides.slides == ("https://cfp.lantern-bay.example/media/lanternbay2026/submissions/"
                            "RPT4LB/resources/tides.pdf")
    # The file's own recording, not the speaker's earlier talk on YouTube.
    assert tides.video == "https://cdn.lantern-bay.example/video/tides.mp4"


def test_pretalx_start_without_a_date_video_download_and_no_recording():
    talks = _talks(_read("lantern-bay-pretalx.json")[0])
    night = talks["Night shift deploys"]
    # 01:30 on a day that opens at 09:00 is the next morning, in the day's offset.
    assert (night.start, night.end) == (dt.datetime(2026, 3, 6, 1, 30, tzinfo=UTC),
                                        dt.datetime(2026, 3, 6, 2, 0, tzinfo=UTC))
    assert "NGT7SH" in night.keys  # the pretalx code, from the talk's page
    assert night.slides == "https://slides.lantern-bay.example/night"  # written without https://
    assert night.video == ""  # do_not_record: the Vimeo link is no recording of it
    assert [s.name for s in night.speakers] == ["Bram Kowalczyk"]  # public_name only
    maps = talks["Harbour maps in the browser"]
    assert (maps.start, maps.end) == (dt.datetime(2026, 3, 6, 14, tzinfo=UTC),
                                      dt.datetime(2026, 3, 6, 14, 45, tzinfo=UTC))
    assert maps.video == "https://cdn.lantern-bay.example/video/maps.mp4"


@pytest.mark.parametrize(("name", "where"), [
    ("not-frab-entries.xml", "<day> → <room> → <event>"),
    ("schedule-format-2.json", "'schedule.events' (the draft c3voc schedule format 2"),
])
def test_a_schedule_of_no_talks_says_where_they_should_be(name, where):
    schedule, problems = _read(name)
    assert schedule.talks == ()
    assert len(problems) == 1, problems
    assert problems[0].message.startswith(f"the file has no talks: none in {where}")


# -- frab XML ---------------------------------------------------------------------------------


def test_frab_xml_reads_the_same_programme():
    schedule, problems = _read("docs-harbour-frab.xml")
    assert (schedule.format, schedule.title) == ("frab-xml", "Docs Harbour 2025")
    first, second, third = schedule.talks
    assert first.id == "6f1c2a40-2222-4c3e-8f00-000000000201"
    assert "201" in first.keys and "docsharbour2025-201-writing-docs-people-finish" in first.keys
    assert (first.start, first.end) == (dt.datetime(2025, 6, 12, 10, 0, tzinfo=BERLIN),
                                        dt.datetime(2025, 6, 12, 10, 30, tzinfo=BERLIN))
    assert [s.name for s in second.speakers] == ["Mara Lindqvist", "Tomás Reyes"]
    assert second.slides == ("https://frab.docs-harbour.example/system/attachments/202/"
                             "versioned-slides.pdf")
    assert second.video == "https://vimeo.com/700000202"
    assert second.abstract == "<p>Branches, tags &amp; a version switcher.</p>"
    assert (second.room, second.track) == ("Quay Hall", "Tooling")
    assert third.title == "Use bold headings wisely"
    assert third.video == ""
    assert [p.message for p in problems] == [
        ("talk 'Use bold headings wisely': link 1 'javascript:alert(1)' is not an http(s) URL; "
         "left out")]


def test_frab_xml_that_does_not_parse_has_its_line():
    problem = _nothing_read(HERE / "broken.xml")
    assert problem.line == 8
    assert "not well-formed XML" in problem.message


@pytest.mark.parametrize("name", ["entity-bomb.xml", "external-entity.xml"])
def test_xml_entities_are_refused_not_expanded(name):
    problem = _nothing_read(HERE / name)
    assert "entities" in problem.message and "DOCTYPE" in problem.message
    assert problem.line == 3
    assert "lol" not in problem.message and "root:" not in problem.message


def test_xml_that_is_no_schedule():
    problem = _nothing_read(HERE / "not-a-schedule.xml")
    assert "<rss>" in problem.message and problem.message.endswith(NOT_A_SCHEDULE)


def test_frab_xml_past_midnight_and_c3voc_recording_fields():
    schedule, problems = _read("lantern-bay-frab.xml")
    assert problems == []  # the link written without https:// is no problem
    buoys, quiet = schedule.talks
    assert (buoys.start, buoys.end) == (dt.datetime(2026, 3, 6, 1, 15, tzinfo=UTC),
                                        dt.datetime(2026, 3, 6, 1, 55, tzinfo=UTC))
    assert buoys.video == "https://cdn.lantern-bay.example/video/buoys.mp4"
    assert buoys.abstract == "<p>Bells <strong>ring</strong> when builds break.</p>"
    assert quiet.video == ""  # <recording><optout>true</optout>


# -- Sessionize -------------------------------------------------------------------------------


def test_sessionize_all_data():
    schedule, problems = _read("docs-harbour-sessionize.json")
    assert schedule.format == "sessionize"
    talks = _talks(schedule)
    assert "Coffee and pastries" not in talks  # a service session
    assert list(talks) == ["Writing docs people finish", "Versioned docs without tears",
                           "Use bold headings wisely"]
    versioned = talks["Versioned docs without tears"]
    assert (versioned.id, versioned.keys) == ("731002", ("731002",))
    assert (versioned.start, versioned.end) == (dt.datetime(2025, 6, 12, 11),
                                                dt.datetime(2025, 6, 12, 12, 15))
    assert versioned.start.tzinfo is None  # Sessionize times are local, without an offset
    assert (versioned.room, versioned.track) == ("Quay Hall", "Tooling")
    assert talks["Writing docs people finish"].track == "Writing"  # not the "Level" item
    assert versioned.slides == "https://slides.docs-harbour.example/versioned/"
    assert versioned.video == "https://www.youtube.com/watch?v=vErS10nEd25"
    mara, tomas = versioned.speakers
    assert mara.name == "Mara Lindqvist" and tomas.name == "Tomás Reyes"  # first + last name
    assert mara.links == (("Blog", "https://mara.docs-harbour.example/"),)
    assert mara.avatar == "https://sessionize.example/image/mara.jpg"
    assert tomas.links == (("GitHub", "https://github.com/tomas-reyes-docs"),)
    assert talks["Writing docs people finish"].abstract == (
        "<p>Short pages, one task each.<br>No walls of text.</p>"
        "<p>A checklist for every page.</p>")
    messages = [p.message for p in problems]
    assert len(messages) == 2, messages
    assert messages[0].startswith("speaker 'Mara Lindqvist', link: 'url' 'javascript:alert(1)'")
    assert messages[1].startswith("speaker 'Priya Natarajan': 'profilePicture' 'data:image")


def test_sessionize_grouped_export():
    schedule, problems = _read("docs-harbour-sessionize-groups.json")
    assert problems == []
    assert schedule.format == "sessionize"
    (talk,) = schedule.talks
    assert talk.title == "Versioned docs without tears"
    assert [s.name for s in talk.speakers] == ["Mara Lindqvist", "Tomás Reyes"]
    assert (talk.room, talk.track) == ("Quay Hall", "Tooling")


def test_sessionize_unknown_speaker_and_bad_fields():
    schedule, problems = _read("sessionize-unknown-speaker.json")
    talks = _talks(schedule)
    assert [s.name for s in talks["Writing docs people finish"].speakers] == ["Mara Lindqvist"]
    versioned = talks["Versioned docs without tears"]
    assert (versioned.start, versioned.video, versioned.room) == (None, "", "")
    messages = [p.message for p in problems]
    assert len(messages) == 3, messages
    assert messages[0].startswith("talk 'Writing docs people finish': speaker "
                                  "'4f6d1c9e-0000-4a7b-9c11-0000000000ff' is not among")
    assert "'startsAt' 'at eleven'" in messages[1]
    assert "'recordingUrl'" in messages[2] and "not an http(s) URL" in messages[2]


def test_sessionize_track_category_and_answers_to_the_organisers_questions():
    schedule, problems = _read("lantern-bay-sessionize.json")
    assert problems == []
    tides, night = schedule.talks
    assert (tides.track, night.track) == ("Testing", "Operations")  # "Which track suits…?"
    assert tides.slides == "https://slides.lantern-bay.example/tides/"
    # "Recording on YouTube", not the live stream asked for before it.
    assert tides.video == "https://www.youtube.com/watch?v=tIdEsTeStS1"
    assert night.video == "https://vimeo.com/880102"  # recordingUrl first


# -- sessions YAML ------------------------------------------------------------------------------


def test_sessions_yaml():
    schedule, problems = _read("docs-harbour-sessions.yaml")
    assert problems == []
    assert schedule.format == "yaml"
    writing, versioned, bold = schedule.talks
    assert (writing.id, writing.keys) == ("writing-docs-people-finish",
                                          ("writing-docs-people-finish",))
    assert (writing.start, writing.end) == (dt.datetime(2025, 6, 12, 10),
                                            dt.datetime(2025, 6, 12, 10, 30))
    assert (writing.room, writing.track) == ("Quay Hall", "Writing")
    mara = writing.speakers[0]
    assert mara.avatar == "/images/speakers/mara.jpg"  # a path, resolved by the caller
    assert dict(mara.links) == {"website": "https://mara.docs-harbour.example/",
                                "twitter": "https://twitter.com/maradocs",
                                "github": "https://github.com/mara-lindqvist"}
    assert mara.bio == "<p>Technical writer on a harbour of small tools.</p>"
    assert versioned.keys == ("versioned-docs", "102")
    assert (versioned.start, versioned.end) == (dt.datetime(2025, 6, 12, 11, tzinfo=BERLIN),
                                                dt.datetime(2025, 6, 12, 12, 15, tzinfo=BERLIN))
    assert [s.name for s in versioned.speakers] == ["Mara Lindqvist", "Tomás Reyes"]
    assert versioned.slides == "https://slides.docs-harbour.example/versioned.pdf"
    assert versioned.video == "https://www.youtube.com/watch?v=vErS10nEd25"
    assert (bold.start, bold.time) == (None, "Day 2, after lunch")
    assert bold.video == "https://vimeo.com/700000203"


def test_sessions_yaml_problems_are_at_their_lines():
    schedule, problems = _read("sessions-problems.yaml")
    assert [t.title for t in schedule.talks] == ["Writing docs people finish",
                                                 "Glossaries that grow"]
    writing, glossaries = schedule.talks
    assert writing.slides == ""
    assert [s.name for s in writing.speakers] == ["Mara Lindqvist"]
    assert writing.speakers[0].avatar == "" and writing.speakers[0].links == ()
    assert glossaries.start == dt.datetime(2025, 6, 12, 14) and glossaries.end is None
    found = [(p.line, p.message.split(": ", 1)[0], p.message.split(": ", 1)[-1].split(" ")[0])
             for p in problems]
    assert found == [
        (3, "talk 'Writing docs people finish'", "'slides'"),
        (5, "talk 'Writing docs people finish', speaker 'Mara Lindqvist'", "'avatar'"),
        (5, "talk 'Writing docs people finish', speaker 'Mara Lindqvist'", "'twitter'"),
        (8, "talk 'Writing docs people finish', speaker 2", "has"),
        (9, "item 2 of the list is text, not a mapping with a 'title'; skipped", "item"),
        (10, "item 3 of the list", "'title'"),
        (12, "talk 'Writing docs, again'", "id"),
        (17, "talk 'Glossaries that grow'", "'end'"),
        (18, "talk 'Glossaries that grow'", "'youtubeId'"),
    ]


def test_yaml_that_does_not_parse_has_its_line():
    problem = _nothing_read(HERE / "broken.yaml")
    assert problem.line == 4
    assert problem.message.startswith("not valid YAML")


def test_yaml_list_of_strings_is_no_schedule():
    problem = _nothing_read(HERE / "strings.yaml")
    assert problem.line == 1
    assert "item 1 is text" in problem.message and problem.message.endswith(NOT_A_SCHEDULE)


def test_yaml_clock_times_unquoted(tmp_path):
    path = tmp_path / "sessions.yml"
    path.write_text("- title: Talk\n  date: 2025-06-12\n  time: 9:30\n  end: 10:15\n",
                    encoding="utf-8")
    schedule, problems = read_schedule(path)
    assert problems == []
    assert schedule is not None
    assert (schedule.talks[0].start, schedule.talks[0].end) == (
        dt.datetime(2025, 6, 12, 9, 30), dt.datetime(2025, 6, 12, 10, 15))


def test_yaml_date_with_a_time_is_the_start(tmp_path):
    path = tmp_path / "sessions.yml"
    path.write_text("- title: Talk\n  date: 2025-06-12 16:45\n  end: '17:30'\n"
                    "- title: Other\n  date: 2025-06-12\n", encoding="utf-8")
    schedule, problems = read_schedule(path)
    assert problems == []
    assert schedule is not None
    talk, other = schedule.talks
    assert (talk.start, talk.end) == (dt.datetime(2025, 6, 12, 16, 45),
                                      dt.datetime(2025, 6, 12, 17, 30))
    assert (other.start, other.end, other.time) == (None, None, "")  # a day is no start time


def test_yaml_speakers_by_key_from_the_speakers_file_next_to_it():
    schedule, problems = _read("lantern-site/lantern-2026-talks.yml")
    talks = _talks(schedule)
    assert list(talks) == ["Keeping the lamp lit", "Two keepers, one lamp", "Open mic",
                           "Nobody we know"]  # the untitled break slot is no talk
    yuki = talks["Keeping the lamp lit"].speakers[0]
    assert (yuki.name, yuki.avatar, yuki.bio) == ("Yuki Andersen", "yuki.png",
                                                  "<p>Keeps lamps and logs.</p>")
    assert yuki.links == (("mastodon", "https://social.lantern-bay.example/@yuki"),)
    ines, bram = talks["Two keepers, one lamp"].speakers
    assert ines.links == (("twitter", "https://twitter.com/ines_lights"),)
    assert (bram.name, bram.avatar) == ("Bram Kowalczyk", "/img/bram.jpg")
    assert bram.links == (("github", "https://github.com/bram-lantern-example"),
                          ("website", "https://www.bram.lantern-bay.example"))
    assert [s.name for s in talks["Open mic"].speakers] == ["Teodor Vasquez", "Maren Holt",
                                                           "Ada Quill"]
    assert [(p.line, p.message) for p in problems] == [
        (30, ("talk 'Nobody we know': speaker '9' is not among the speakers of "
              "lantern-2026-speakers.yml; skipped"))]


def test_yaml_day_names_durations_start_and_end_times():
    talks = _talks(_read("lantern-site/lantern-2026-talks.yml")[0])
    lamp = talks["Keeping the lamp lit"]
    assert (lamp.start, lamp.time) == (None, "5th March, 9:30–10:15")  # date: 5th March
    assert lamp.abstract == "<p>A short tour of uptime habits.</p>"  # summary
    keepers = talks["Two keepers, one lamp"]
    assert (keepers.start, keepers.end) == (dt.datetime(2026, 3, 5, 23, 30),
                                            dt.datetime(2026, 3, 6, 0, 15))  # past midnight
    assert keepers.abstract == "<p>Pairing across the night shift.</p>"  # extract
    assert (talks["Open mic"].start, talks["Open mic"].time) == (None, "13:00–13:45")


def test_yaml_speakers_file_of_slugs_and_names():
    schedule, problems = _read("ferry-site/sessions.yml")
    assert problems == []
    timetables, ferries = schedule.talks
    maren = timetables.speakers[0]
    assert (maren.name, maren.avatar) == ("Maren Holt", "https://avatars.ferry.example/maren.png")
    assert maren.links == (("website", "https://maren.ferry.example/"),)
    # A name the speakers file knows gets its details.
    assert ferries.speakers[0].bio == "<p>Runs the ferry timetable.</p>"


# -- every format ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in VALID if "groups" not in n])
def test_hostile_html_never_survives(name):
    schedule, _ = _read(name)
    talk = _talks(schedule)["Use bold headings wisely"]  # tags stripped from the title
    soup = _assert_safe(talk.abstract)
    assert "Headings are" in soup.get_text()
    for link in soup.find_all("a", href=True):
        assert link["rel"] == ["noopener", "noreferrer"]
    for speaker in talk.speakers:
        _assert_safe(speaker.bio)


@pytest.mark.parametrize(("name", "fmt"), VALID.items())
def test_find_by_every_key_and_by_title(name, fmt):
    schedule, _ = _read(name)
    assert schedule.format == fmt
    assert schedule.talks
    for talk in schedule.talks:
        assert talk.keys
        for key in talk.keys:
            assert schedule.find(key) is talk
        assert schedule.find(talk.title) is talk
        assert schedule.find(f"  {talk.title.upper()} ") is talk
    assert schedule.find("no-such-talk") is None
    assert schedule.find("") is None


@pytest.mark.parametrize("name", [
    "lantern-bay-pretalx.json", "lantern-bay-frab.xml", "lantern-bay-sessionize.json",
    "lantern-site/lantern-2026-talks.yml", "ferry-site/sessions.yml"])
def test_find_by_every_key_and_by_title_in_the_shapes_of_real_exports(name):
    schedule, _ = _read(name)
    for talk in schedule.talks:
        for key in talk.keys:
            assert schedule.find(key) is talk
        assert schedule.find(talk.title) is talk


def test_the_format_comes_from_the_content_not_the_name(tmp_path):
    pretalx = shutil.copy(HERE / "docs-harbour-pretalx.json", tmp_path / "programme.yaml")
    sessions = shutil.copy(HERE / "docs-harbour-sessions.yaml", tmp_path / "programme.xml")
    frab = shutil.copy(HERE / "docs-harbour-frab.xml", tmp_path / "programme.json")
    assert [read_schedule(Path(p))[0].format for p in (pretalx, sessions, frab)] == [
        "pretalx", "yaml", "frab-xml"]


def test_json_with_a_trailing_comma_is_still_read_as_yaml(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_text('[{"title": "Writing docs people finish", "slug": "writing"},]',
                    encoding="utf-8")
    schedule, problems = read_schedule(path)
    assert problems == []
    assert schedule is not None and schedule.find("writing") is not None


@pytest.mark.parametrize(("name", "expected", "line"), [
    ("broken.json", "not valid JSON (Expecting ',' delimiter", 5),
    ("unknown.json", "the file is a mapping with keys 'hello'; " + NOT_A_SCHEDULE, None),
    ("empty.yaml", "the schedule file is empty; " + NOT_A_SCHEDULE, None),
    ("binary.png", "the schedule file has NUL bytes", None),
    ("latin1.yaml", "the schedule file is not UTF-8 text (byte 12", 1),
])
def test_files_nothing_can_be_read_from(name, expected, line):
    problem = _nothing_read(HERE / name)
    assert problem.message.startswith(expected)
    assert problem.line == line


@pytest.mark.parametrize("content", [
    "[" * 100_000, '{"a": ' * 50_000, "- " * 50_000 + "x", "just some words",
    '{"schedule": {"conference": {"days": "soon"}}}', '{"sessions": 1, "speakers": 2}',
    "1" * 5000, "- {title: x, time: 99:99, date: 2025-02-30}",
])
def test_odd_files_return_problems(tmp_path, content):
    path = tmp_path / "odd.txt"
    path.write_text(content, encoding="utf-8")
    schedule, problems = read_schedule(path)
    assert schedule is not None or len(problems) == 1
    assert all(isinstance(p, ScheduleProblem) and p.message for p in problems)


def test_a_file_that_cannot_be_opened(tmp_path):
    problem = _nothing_read(tmp_path / "missing.json")
    assert problem.message.startswith("the schedule file cannot be read")
    assert _nothing_read(tmp_path).message.startswith("the schedule file cannot be read")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=12)
_EVENT_KEYS = ("code", "id", "guid", "slug", "title", "date", "start", "duration", "room",
               "track", "abstract", "description", "persons", "links", "attachments")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(_EVENT_KEYS), _JSON, max_size=8), _JSON)
def test_any_values_in_any_format_never_raise(tmp_path, event, other):
    files = {
        "a.json": {"schedule": {"conference": {"title": other, "days": [
            {"date": "2025-06-12", "rooms": {"R": [event, other]}}]}}},
        "b.json": {"sessions": [{**event, "speakers": other, "categoryItems": other}, other],
                   "speakers": [other, {"id": other, "fullName": other, "links": other}],
                   "categories": other, "rooms": other},
        "c.json": [{"title": "T", **event, "speakers": [other, {"name": other}]}, other],
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        schedule, problems = read_schedule(path)
        assert schedule is not None or problems
        for talk in schedule.talks if schedule else ():
            assert talk.title and talk.title == " ".join(talk.title.split())
            _assert_safe(talk.abstract, written=False)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(tmp_path, data):
    path = tmp_path / "random"
    path.write_bytes(data)
    schedule, problems = read_schedule(path)
    assert schedule is not None or len(problems) == 1


# -- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected"), [
    ("Use <b>bold</b>   headings\n wisely", "Use bold headings wisely"),
    ("Generics <T> when x<y &amp; y>z", "Generics <T> when x<y & y>z"),
    ("<script>alert(1)</script>Title", "Title"),
])
def test_plain_text(written, expected):
    assert plain(written) == expected


def test_rich_text_escapes_what_is_no_tag_and_sanitises_what_is():
    assert rich("a <every> & b") == "<p>a &lt;every&gt; &amp; b</p>"
    assert rich("<h2 onclick='x()'>Takeaways</h2><p>x<y</p>") == (
        "<p><strong>Takeaways</strong></p><p>x&lt;y</p>")
    _assert_safe(rich('<a href=" javascript:alert(1)">x</a><p style="x" onload="y">z</p>'))


@pytest.mark.parametrize(("written", "expected"), [
    ("Use `Vec<T>` when x<y", "<p>Use <code>Vec&lt;T&gt;</code> when x&lt;y</p>"),
    ("A checklist for <every> page", "<p>A checklist for &lt;every&gt; page</p>"),
    ("## Takeaways\n1. one", "<p><strong>Takeaways</strong></p><ol><li>one</li></ol>"),
])
def test_markdown_as_pretalx_writes_it(written, expected):
    assert markdown(written) == expected
    _assert_safe(markdown(written + "<img src=x onerror=alert(1)>[x](javascript:alert(1))"),
                 written=False)  # the link stays text
