project = "Front matter problems"
extensions = ["myst_parser", "sphinx_postblog"]
