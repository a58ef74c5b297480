"""The cycle collector is paused while Sphinx loads the environment, and skipped at exit.

``postblog_gc_tuning`` (on by default): Sphinx's loading of the saved environment runs
with the collector paused, the collector runs again as soon as the builder is set up, and
the process's last full collection is skipped (``gc.freeze`` at exit).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sphinx.application

ROOT = Path(__file__).parent / "roots" / "test-posts"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    return srcdir


@pytest.fixture
def load_watch(monkeypatch):
    """Whether the collector was enabled each time Sphinx loaded a saved environment."""
    seen: list[bool] = []
    real = sphinx.application.Sphinx._load_existing_env

    def watched(self, filename):
        seen.append(gc.isenabled())
        return real(self, filename)

    monkeypatch.setattr(sphinx.application.Sphinx, "_load_existing_env", watched)
    return seen


@pytest.mark.parametrize(("tuning", "enabled_during_load"), [(True, False), (False, True)])
def test_environment_loads_with_the_collector_paused(make_app, site, load_watch, tuning,
                                                    enabled_during_load):
    overrides = {"postblog_gc_tuning": tuning}
    first = make_app("html", srcdir=site, confoverrides=overrides)
    first.build()
    first.cleanup()
    assert gc.isenabled()
    second = make_app("html", srcdir=site, confoverrides=overrides)
    assert load_watch == [enabled_during_load]
    # Running again once the environment is in, and for the build itself.
    assert gc.isenabled()
    second.build()
    assert gc.isenabled()
    assert second.env.all_docs == first.env.all_docs


def test_a_collector_the_user_turned_off_stays_off(make_app, site, load_watch):
    make_app("html", srcdir=site).build()
    gc.disable()
    try:
        make_app("html", srcdir=site)
        assert load_watch == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()


SCRIPT = """\
import atexit, gc, sys
# Registered before the build, so it runs after postblog's exit handler.
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count(), flush=True))
from sphinx.cmd.build import main
code = main(["-q", "-b", "html", {src!r}, {out!r}] + sys.argv[1:])
print("frozen before exit:", gc.get_freeze_count(), flush=True)
sys.exit(code)
"""


@pytest.mark.parametrize("tuning", [True, False])
def test_the_last_collection_is_skipped_at_exit(site, tmp_path, tuning):
    script = SCRIPT.format(src=str(site), out=str(tmp_path / "out"))
    args = [] if tuning else ["-D", "postblog_gc_tuning=0"]
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ") for line in done.stdout.splitlines() if ": " in line)
    assert lines["frozen before exit"] == "0"
    frozen = int(lines["frozen at exit"])
    assert (frozen > 10_000) if tuning else (frozen == 0)
