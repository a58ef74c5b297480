project = "Hostile publishing"
extensions = ["myst_parser", "sphinx_postblog"]
myst_enable_extensions = ["colon_fence"]
