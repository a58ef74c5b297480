project = "Kramdown anchors"
extensions = ["myst_parser", "sphinx_postblog"]
