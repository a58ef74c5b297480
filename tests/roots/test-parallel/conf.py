import os

project = "Parallel"
extensions = ["myst_parser", "sphinx_postblog"]
postblog_per_page = 5


def _note_reader(app, doctree):
    # Which process read each document, to show that a -j build really read in parallel.
    app.env.metadata[app.env.docname]["test_reader_pid"] = os.getpid()


def setup(app):
    app.connect("doctree-read", _note_reader)
