project = "Excerpts"
extensions = ["myst_parser", "sphinx_postblog"]
