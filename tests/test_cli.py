"""``sphinx-postblog check``: what will not carry over, per post, with an exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sphinx_postblog.cli import check, main


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_site(root: Path) -> Path:
    write(root / "_data/authors.yml", "ada:\n  name: Ada Lovelace\n")
    write(root / "images/present.png", "png")
    write(root / "_posts/2020-01-01-clean.md",
          "---\ntitle: Clean\nauthor: ada\nheader-img: images/present.png\n---\n"
          "![here]({{ site.baseurl }}/images/present.png)\n")
    write(root / "_posts/2020-01-02-troubled.md",
          "---\ntitle: Troubled\nsubtite: typo\nauthor: Someone Else\n"
          "header-img: images/gone.jpg\n---\n"
          "Intro.\n\n{% include footer.html %}\n\n![x](/images/missing.png)\n\n"
          "Value: {{ page.nothing }}\n")
    return root / "_posts"


def test_findings_are_located_and_classified(tmp_path):
    posts = make_site(tmp_path)
    findings = check(posts)
    troubled = posts / "2020-01-02-troubled.md"
    assert {f.path for f in findings} == {troubled}
    by_message = {f.message: f for f in findings}
    subtite = next(f for m, f in by_message.items() if "subtite" in m)
    assert (subtite.line, subtite.note) == (3, False)
    include = next(f for m, f in by_message.items() if "include" in m)
    assert (include.line, include.note) == (9, False)
    image = next(f for m, f in by_message.items() if "missing.png" in m)
    assert (image.line, image.note) == (11, False)
    assert any("gone.jpg" in m and f.line == 5 for m, f in by_message.items())
    unknown = next(f for m, f in by_message.items() if "nothing" in m)
    assert unknown.note and unknown.line == 13
    author = next(f for m, f in by_message.items() if "Someone Else" in m)
    assert author.note


def test_exit_status_for_ci(tmp_path, capsys):
    posts = make_site(tmp_path)
    assert main(["check", str(posts)]) == 1
    out = capsys.readouterr().out
    assert "2 posts checked" in out
    (posts / "2020-01-02-troubled.md").unlink()
    assert main(["check", str(tmp_path)]) == 0
    assert main(["check", str(tmp_path), "--strict"]) == 0


def test_invalid_utf8_is_a_problem_not_a_crash(tmp_path):
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2020-01-01-latin.md").write_bytes(b"---\ntitle: x\n---\nCaf\xe9\n")
    [finding] = check(posts)
    assert finding.line == 4 and "UTF-8" in finding.message


def test_console_script_runs(tmp_path):
    posts = make_site(tmp_path)
    result = subprocess.run([sys.executable, "-m", "sphinx_postblog.cli", "check", str(posts)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "troubled.md:3: problem: unknown front matter key 'subtite'" in result.stdout
