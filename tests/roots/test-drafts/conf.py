project = "Drafts"
extensions = ["myst_parser", "sphinx_postblog"]
