"""The programme of a report's event: which schedule file, read once per build, its problems.

A post names its event's schedule file in front matter (``event.schedule``) or through the
events data file. The path is resolved inside the source folder, symlinks included; the file
is read at most once per build and process, and every document that looks a talk up in it
depends on it, so that editing the file rebuilds exactly the reports that use it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_postblog.paths import in_source, leaves_source
from sphinx_postblog.reports.schedules import read_schedule
from sphinx_postblog.state import blog_state, build_run

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinx_postblog.model import Event, Schedule

logger = logging.getLogger(__name__)


def event_of(env: BuildEnvironment, docname: str) -> Event | None:
    """The event the post ``docname`` reports on, with what the events file adds to it."""
    state = blog_state(env)
    post = state.posts.get(docname)
    if post is None or post.event is None:
        return None
    known = state.data.events.get(post.event.slug)
    if known is None:
        return post.event
    if state.data.events_file:
        env.note_dependency(state.data.events_file)
    return post.event if post.event.schedule else known


def programme(env: BuildEnvironment, docname: str, line: int) -> tuple[Event | None, Schedule | None]:
    """The event of a post and its schedule, if the event names a readable one.

    Warnings: a path outside the source folder (``postblog.security``), a missing file, and
    the file's own problems (``postblog.schedule``, once per build at the file's lines).
    """
    event = event_of(env, docname)
    if event is None or not event.schedule:
        return event, None
    path = in_source(env.srcdir, event.schedule)
    if path is None:
        logger.warning("event schedule %r is outside the source folder; it is not read",
                       event.schedule, location=(docname, line), type="postblog",
                       subtype="security")
        return event, None
    if not path.is_file():
        logger.warning("event schedule %r does not exist (paths are relative to the source "
                       "folder)", event.schedule, location=(docname, line), type="postblog",
                       subtype="schedule")
        return event, None
    env.note_dependency(str(path))
    run = build_run(env)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in run.schedules:
        schedule, problems = read_schedule(path)
        run.schedules[key] = None if schedule is None else _pictures_inside(env, path, schedule)
        for problem in problems:
            where = f"{path}:{problem.line or 1}"  # with a line: never taken for a docname
            logger.warning("%s", problem.message, location=where, type="postblog",
                           subtype="schedule")
    return event, run.schedules[key]


def _pictures_inside(env: BuildEnvironment, path: Path, schedule: Schedule) -> Schedule:
    """The schedule without the speakers' pictures whose paths leave the source folder.

    Each is a warning at the line of the file that names it (``postblog.security``).
    """
    outside = sorted({speaker.avatar for talk in schedule.talks for speaker in talk.speakers
                      if leaves_source(env.srcdir, speaker.avatar)})
    if not outside:
        return schedule
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for avatar in outside:
        line = next((number for number, text in enumerate(lines, 1) if avatar in text), 1)
        logger.warning("speaker picture %r is outside the source folder; it is left out",
                       avatar, location=f"{path}:{line}", type="postblog", subtype="security")
    talks = tuple(replace(talk, speakers=tuple(replace(s, avatar="") if s.avatar in outside
                                               else s for s in talk.speakers))
                  for talk in schedule.talks)
    return replace(schedule, talks=talks)
