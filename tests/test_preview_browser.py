"""Issue 15, end to end: a real browser on ``sphinx-postblog preview`` sees an edit by itself.

A preview runs on a free port (its own process, as in ``test_preview``); Debian's
Chromium, driven by playwright, opens a post. The test retitles the post on disk and the
page's ``<h1>`` changes without the test reloading it. Then a directive docutils does not
know: the error shows over the page; fixed, it goes away, again without a reload.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_preview import START_TIMEOUT, Preview, put

from postblog_testing import write_site

if TYPE_CHECKING:
    from collections.abc import Iterator

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip("needs Chromium at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

#: Milliseconds the browser may wait for the page to change (bounded, not a timing test).
CHANGE_MS = 60_000

POST = "_posts/2024-05-01-first-light.md"
PAGE = "_posts/2024-05-01-first-light.html"
FIRST = """\
---
title: First light
author: Ada Lovelace
tags: [telescope]
---
The telescope saw its first star tonight.
"""


def titled(title: str) -> re.Pattern[str]:
    """The text of a heading with this title (and the theme's permalink mark)."""
    return re.compile(rf"^\s*{re.escape(title)}\s*¶?\s*$")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, Path]]:
    src = write_site(tmp_path / "src", {POST: FIRST, "index.md": "# Home\n\n```{postlist}\n```\n"},
                     'html_theme = "postblog"\nexclude_patterns = ["_build"]\n')
    running = Preview(src, tmp_path / "out")
    try:
        running.wait(timeout=START_TIMEOUT)
        yield running, src
    finally:
        running.stop()


@pytest.fixture
def page() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox"])
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_an_edited_title_reaches_the_open_page_without_a_reload(preview, page):
    running, src = preview
    page.goto(running.base + PAGE)
    heading = page.locator("h1").first
    sync_api.expect(heading).to_have_text(titled("First light"))
    # The live reload script is connected before the edit is made.
    page.wait_for_function("() => document.getElementById('postblog-preview') !== null")

    put(src / POST, FIRST.replace("title: First light", "title: First light, again"))
    sync_api.expect(heading).to_have_text(titled("First light, again"), timeout=CHANGE_MS)

    put(src / POST, FIRST + "\n```{eval-rst}\n.. nosuchdirective::\n```\n")
    overlay = page.locator("#postblog-preview")
    sync_api.expect(overlay).to_contain_text("1 error", timeout=CHANGE_MS)
    sync_api.expect(overlay).to_contain_text("nosuchdirective")

    put(src / POST, FIRST)
    sync_api.expect(overlay).to_be_hidden(timeout=CHANGE_MS)
    sync_api.expect(heading).to_have_text(titled("First light"))
