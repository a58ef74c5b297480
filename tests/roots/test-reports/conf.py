project = "Reports"
extensions = ["myst_parser", "sphinx_postblog"]
html_theme = "alabaster"
myst_enable_extensions = ["colon_fence"]
postblog_url = "https://blog.example.org/"
