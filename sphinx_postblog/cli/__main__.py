"""``python -m sphinx_postblog.cli``: the ``sphinx-postblog`` command."""

from __future__ import annotations

import sys

from sphinx_postblog.cli import main

sys.exit(main())
