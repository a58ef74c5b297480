"""Synthetic Jekyll posts, for machines without ``../shared/corpus``.

Deterministic (fixed seed) and about the size and shape of a real engineering-blog post:
front matter with title, category, tags and author; a body with a few headings,
paragraphs, a list and a code block.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

WORDS = (
    "build", "deploy", "cluster", "service", "latency", "cache", "review", "release",
    "branch", "test", "pipeline", "schema", "query", "index", "shard", "replica", "queue",
    "worker", "token", "session", "gateway", "proxy", "metric", "trace", "alert", "budget",
    "team", "sprint", "backlog", "design", "pattern", "module", "interface", "contract",
    "version", "rollout", "canary", "feature", "flag", "config", "secret", "vault", "network",
)
TAGS = ("api", "cloud", "culture", "devops", "docker", "security", "testing", "data")
AUTHORS = ("Ada Example", "Ben Sample", "Cleo Placeholder", "Dev Null")
CATEGORIES = ("dev", "design")


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))


def _section(rng: random.Random, number: int) -> list[str]:
    lines = [f"## {_sentence(rng)[:-1].title()} {number}", ""]
    lines += [_paragraph(rng), "", _paragraph(rng), ""]
    if number % 2:
        lines += [f"- {_sentence(rng)}" for _ in range(4)] + [""]
    else:
        lines += ["```python", "def handler(event):", f"    return {rng.choice(WORDS)!r}", "```", ""]
    return lines


def _post(rng: random.Random, number: int) -> tuple[str, str]:
    day = date(2015, 1, 5) + timedelta(days=number * 97)
    title = _sentence(rng)[:-1].title()
    tags = ", ".join(rng.sample(TAGS, k=rng.randint(1, 4)))
    front = [
        "---",
        "layout: post",
        f'title: "{title}"',
        f"category: {rng.choice(CATEGORIES)}",
        f"tags: [{tags}]",
        f"author: {rng.choice(AUTHORS)}",
        "---",
        "",
    ]
    body = [_paragraph(rng), ""]
    for section in range(1, rng.randint(4, 8)):
        body += _section(rng, section)
    slug = "-".join(title.lower().split()[:4])
    return f"{day:%Y-%m-%d}-{slug}.md", "\n".join(front + body)


def _data() -> dict[str, str]:
    authors = "".join(f"{name}:\n    name: {name}\n" for name in AUTHORS)
    categories = "".join(f"- slug: {slug}\n  name: {slug.title()}\n\n" for slug in CATEGORIES)
    tags = "".join(f"- slug: {slug}\n  name: {slug.title()}\n\n" for slug in TAGS)
    return {"authors.yml": authors, "categories.yml": categories, "tags.yml": tags}


def synthetic_sources(count: int, seed: int = 4) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """``count`` posts as (file name, text), and the ``_data/`` files as name -> text."""
    rng = random.Random(seed)  # sample text, not security
    return [_post(rng, number) for number in range(count)], _data()
