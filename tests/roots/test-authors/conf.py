project = "Authors"
extensions = ["myst_parser", "sphinx_postblog"]
html_theme = "alabaster"
postblog_authors = {
    "ada": {"bio": "Bio from conf.py."},
    "carol": {"name": "Carol Chen", "github": "carolc"},
}
