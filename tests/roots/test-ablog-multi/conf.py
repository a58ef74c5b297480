project = "Harbour notes"
extensions = ["myst_parser", "sphinx_postblog"]
exclude_patterns = ["_build"]
