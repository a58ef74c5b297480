"""The benchmark corpus: N Jekyll posts, replicated from the shared corpus or synthetic.

The 23 posts of ``../shared/corpus/jekyll-blog`` are replicated with distinct file names,
shifted dates, and tags and categories drawn from pools that grow with N, so collections
grow the way they do in a real blog. Without the shared corpus, 23 synthetic posts are
generated and replicated the same way. Nothing here writes inside the repository except
under ``benchmarks/_work/``.
"""

from __future__ import annotations

import math
import re
import shutil
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import yaml
from synthetic import synthetic_sources

_FRONT = re.compile(r"\A---[ \t]*\r?\n(?P<front>.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
_NAME = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})-(?P<slug>.+)\.(?P<ext>md|markdown)")
_LIQUID_URL = re.compile(r"\{\{\s*site\.(?:url|baseurl)\s*\}\}")
_LIQUID_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)")
_HTML_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["'](?P<src>[^"']+)["']""", re.IGNORECASE)
#: A 1x1 transparent PNG: stands in for images the corpus references but does not ship.
PLACEHOLDER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@dataclass(frozen=True)
class Post:
    """One post file: its name, front-matter lines, and body, with its own line endings."""

    name: str
    front: tuple[str, ...]
    body: str
    newline: str = "\n"
    raw: str | None = None  # the exact original text while the post is unmodified

    @classmethod
    def parse(cls, name: str, text: str) -> Post:
        """Split a file's text into front matter and body."""
        match = _FRONT.match(text)
        if match is None:
            return cls(name, (), text, raw=text)
        newline = "\r\n" if "\r\n" in match.group(0) else "\n"
        front = tuple(match.group("front").split(newline))
        return cls(name, front, text[match.end() :], newline, raw=text)

    def text(self) -> str:
        """The file's text."""
        if self.raw is not None:
            return self.raw
        nl = self.newline
        return f"---{nl}{nl.join(self.front)}{nl}---{nl}{self.body}"

    def meta(self) -> dict[str, object]:
        """The front matter, parsed as YAML."""
        loaded = yaml.safe_load("\n".join(self.front)) if self.front else None
        return loaded if isinstance(loaded, dict) else {}

    def with_key(self, key: str, value: str | None) -> Post:
        """This post with one front-matter key set (a raw YAML value) or removed (None)."""
        pattern = re.compile(rf"{re.escape(key)}\s*:")
        lines = [line for line in self.front if not pattern.match(line)]
        if value is not None:
            lines.append(f"{key}: {value}")
        return replace(self, front=tuple(lines), raw=None)

    def with_body(self, body: str) -> Post:
        """This post with another body."""
        return replace(self, body=body, raw=None)

    @property
    def date(self) -> date:
        """The date in the file name."""
        match = _NAME.fullmatch(self.name)
        if match is None:
            msg = f"not a Jekyll post file name: {self.name}"
            raise ValueError(msg)
        return date(int(match["y"]), int(match["m"]), int(match["d"]))


def tags_of(post: Post) -> list[str]:
    """A post's tags, from a YAML list or a space- or comma-separated string."""
    tags = post.meta().get("tags") or []
    if isinstance(tags, str):
        tags = re.split(r"[,\s]+", tags.strip())
    return [str(tag) for tag in tags if tag]


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def render_liquid_urls(text: str) -> str:
    """What a migrating user does by hand: drop ``{{ site.url }}`` and ``{% raw %}`` tags."""
    return _LIQUID_RAW.sub("", _LIQUID_URL.sub("", text))


@dataclass(frozen=True)
class Corpus:
    """The posts of one size, and where the data files and images come from."""

    posts: tuple[Post, ...]
    data: dict[str, str]  # file name in _data/ -> text
    images: Path | None
    source: str  # "shared" or "synthetic"


def load_sources(corpus_dir: Path) -> tuple[list[Post], dict[str, str], Path | None, str]:
    """The 23 shared posts with their data files, or synthetic ones when that is absent."""
    posts_dir = corpus_dir / "_posts"
    if posts_dir.is_dir():
        posts = [
            Post.parse(path.name, path.read_bytes().decode("utf-8"))
            for path in sorted(posts_dir.glob("*.md"))
        ]
        data = {p.name: p.read_bytes().decode("utf-8") for p in sorted((corpus_dir / "_data").glob("*.yml"))}
        images = corpus_dir / "images"
        return posts, data, images if images.is_dir() else None, "shared"
    files, data = synthetic_sources(23)
    return [Post.parse(name, text) for name, text in files], data, None, "synthetic"


def pools(size: int) -> tuple[list[str], list[str]]:
    """Category and extra-tag pools that grow with the blog, about as sqrt(N)."""
    n_categories = max(2, round(math.sqrt(size) / 3))
    n_tags = max(4, round(math.sqrt(size)))
    categories = ["dev", "design", *(f"area-{i}" for i in range(n_categories - 2))]
    return categories, [f"topic-{i}" for i in range(n_tags)]


def variant(post: Post, copy: int, index: int, size: int) -> Post:
    """Copy number ``copy`` (>= 1) of a source post: new name, date, title, tags, category."""
    match = _NAME.fullmatch(post.name)
    assert match is not None
    day = post.date - timedelta(days=3 * copy)
    padded = len(match["m"]) == 2 and len(match["d"]) == 2
    stamp = f"{day:%Y-%m-%d}" if padded else f"{day.year}-{day.month}-{day.day}"
    categories, extra_tags = pools(size)
    tags = [*tags_of(post), extra_tags[(copy * 7 + index) % len(extra_tags)]]
    title = str(post.meta().get("title") or match["slug"])
    new = replace(post, name=f"{stamp}-{match['slug']}-r{copy}.{match['ext']}", raw=None)
    new = new.with_key("title", yaml_string(f"{title.strip()} ({copy + 1})"))
    new = new.with_key("category", categories[(copy + index) % len(categories)])
    return new.with_key("tags", "[" + ", ".join(dict.fromkeys(tags)) + "]")


def make_corpus(corpus_dir: Path, size: int) -> Corpus:
    """``size`` posts: the sources first, unmodified, then their variants."""
    sources, data, images, kind = load_sources(corpus_dir)
    posts = []
    for number in range(size):
        copy, index = divmod(number, len(sources))
        source = sources[index]
        posts.append(source if copy == 0 else variant(source, copy, index, size))
    return Corpus(tuple(posts), data, images, kind)


def referenced_images(post: Post) -> set[str]:
    """Local images a post references, as paths from the source folder.

    Body images (Liquid URLs removed) are relative to the post unless they start with
    ``/``; Jekyll's ``header-img`` is relative to the site root.
    """
    body = render_liquid_urls(post.body)
    found = {m["src"] for m in _MD_IMAGE.finditer(body)} | {m["src"] for m in _HTML_IMAGE.finditer(body)}
    paths = {src if src.startswith("/") else f"_posts/{src}" for src in found}
    header = post.meta().get("header-img")
    if isinstance(header, str) and header:
        paths.add(header)
    local = {path.split("?")[0].split("#")[0].lstrip("/") for path in paths if "://" not in path}
    return {path for path in local if path and not path.startswith(("data:", "{"))}


def fill_missing_images(srcdir: Path, posts: tuple[Post, ...]) -> list[str]:
    """Give every referenced but absent image a placeholder file; return the paths made.

    Sphinx records a missing image as a dependency and re-reads its document on every
    build. The floor would pay for that on every no-op build and postblog (which drops
    such dependencies) would not, so the benchmark removes the cause for all systems.
    """
    root = srcdir.resolve()
    made = []
    for path in sorted(set().union(*(referenced_images(post) for post in posts))):
        target = (root / path).resolve()
        if root in target.parents and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(PLACEHOLDER_PNG)
            made.append(path)
    return made


def write_tree(srcdir: Path, corpus: Corpus, posts: tuple[Post, ...]) -> None:
    """Write ``posts`` (already adapted to one system), data files and images to ``srcdir``."""
    if srcdir.exists():
        shutil.rmtree(srcdir)
    (srcdir / "_posts").mkdir(parents=True)
    (srcdir / "_data").mkdir()
    for name, text in corpus.data.items():
        (srcdir / "_data" / name).write_bytes(text.encode("utf-8"))
    if corpus.images is not None:
        shutil.copytree(corpus.images, srcdir / "images")
    for post in posts:
        (srcdir / "_posts" / post.name).write_bytes(post.text().encode("utf-8"))


def pick(posts: tuple[Post, ...]) -> str:
    """The file name of the post that edit phases change: one in the middle."""
    return posts[len(posts) // 2].name
