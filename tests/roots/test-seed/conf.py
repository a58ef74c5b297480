project = "Seed"
extensions = ["myst_parser", "sphinx_postblog"]
