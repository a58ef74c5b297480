"""An ablog site of our own: ablog's settings, posts and sidebars, built by sphinx-postblog.

tests/test_ablog_site.py builds it as it is, and a copy with "sphinx_postblog" replaced by
"ablog" (and MyST), to compare what both show.
"""

extensions = ["sphinx_postblog"]

project = "Harbour Notes"
exclude_patterns = ["_build"]

blog_path = "news"
blog_title = "Harbour Notes"
blog_baseurl = "https://harbour.example.org/"
blog_authors = {
    "mira": ("Mira Okafor", "https://mira.example.org/"),
    "tomas": ("Tomás Lind", None),
}
blog_default_author = "mira"
blog_locations = {
    "oslo": ("Oslo", None),
    "lisbon": ("Lisbon", "https://lisbon.example.org/"),
}
blog_languages = {
    "en": ("English", None),
    "nb": ("Norsk bokmål", None),
}
blog_default_language = "en"
post_date_format_short = "%d %b"
blog_feed_fulltext = True
blog_feed_length = 10
blog_feed_archives = True
blog_feed_templates = {
    "atom": {},
    "social": {
        "content": "{{ title }}{% for tag in post.tags %} #{{ tag.name|trim()|replace(' ', '') }}"
                   "{% endfor %}",
    },
}
fontawesome_included = True
disqus_shortname = "harbour-notes"

html_sidebars = {
    "**": [
        "ablog/postcard.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
        "ablog/authors.html",
        "ablog/languages.html",
        "ablog/locations.html",
    ],
}
