project = "Orphan posts"
extensions = ["myst_parser", "sphinx_postblog"]
html_theme = "alabaster"
