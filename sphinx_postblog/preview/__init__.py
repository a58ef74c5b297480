"""``sphinx-postblog preview``: one Sphinx application in memory, rebuilt on every save.

sphinx-autobuild starts a new ``sphinx-build`` for every save, which loads the pickled
environment and the search index again and dumps both again: seconds on a big blog, for
an edit that costs a fraction of one. The preview keeps one application and its
environment in memory and builds again in place:

- :mod:`.session`: the loop (serve, build, watch, build again; start again when
  ``conf.py``, a theme or an extension changes) and its :class:`~.session.Options`;
- :mod:`.builder`: the application and each build's outcome (warnings, errors, a failed
  build recovered from in the same process);
- :mod:`.deferred`: the files written later (search index, inventory, environment);
- :mod:`.fastpaths`: the shortcuts through Sphinx's incremental build, for the Sphinx
  versions they were checked against;
- :mod:`.watcher`: what is watched, what is left out, what restarts;
- :mod:`.server` and :mod:`.client`: the output served with live reload, never
  half-written, the errors shown over the page.

It sits at the top of the package, beside the command line, and imports nothing of the
extension: the application loads the extension from ``conf.py`` like any build.
"""

from __future__ import annotations

from sphinx_postblog.preview.session import Options, Session, run

__all__ = ["Options", "Session", "run"]
