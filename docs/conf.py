"""Sphinx configuration of the sphinx-postblog documentation, itself a blog."""

from __future__ import annotations

import sys
from pathlib import Path

# The local extension writing the settings reference (configuration.md).
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-postblog"
author = "sphinx-postblog developers"
copyright = "2024, sphinx-postblog developers"  # noqa: A001

extensions = ["myst_parser", "sphinx_postblog", "postblog_reference"]

# MyST: ::: fences for directives, definition lists for reference pages, and anchors for
# headings so that pages can link to each other's sections.
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

html_theme = "postblog"
html_title = "sphinx-postblog"
html_theme_options = {
    "nav_links": [
        ("Get started", "getting-started"),
        ("Reference", "front-matter"),
        ("Blog", "blog/index"),
    ],
}

exclude_patterns = ["_build"]

# -- the blog ---------------------------------------------------------------------------
# Posts live in blog/_posts/ (one of the default postblog_posts patterns), authors,
# categories and tags in _data/ (the default postblog_data_dir).
postblog_title = "The sphinx-postblog blog"
postblog_url = "https://example.org/sphinx-postblog/"
postblog_per_page = 5
