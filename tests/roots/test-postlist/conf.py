project = "Post lists"
extensions = ["myst_parser", "sphinx_postblog"]
