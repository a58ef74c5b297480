"""Conference reports: events, talks and speakers; the ``talk`` directive, schedule importers.

A report is a post about an event (front matter ``event:``, or an entry of the events data
file). Its ``talk`` directives (:mod:`.directive`) become :class:`~sphinx_postblog.model.Talk`
objects, filled in from the conference's own programme (:mod:`.programme`, read by
:mod:`.schedules`). Reports only read into the model: their cards and the event and speaker
pages are output's, made from the model like every other page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_postblog.reports.directive import TalkDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_reports(app: Sphinx) -> None:
    """Register the ``talk`` directive (reST and MyST)."""
    app.add_directive("talk", TalkDirective)
