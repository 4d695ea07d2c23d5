"""A stream of articles for pipeline tests: the dev set plus syndicated copies of some of its articles."""

from __future__ import annotations

import json
import random
from pathlib import Path

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset"
FURNITURE_TOP = ("By Staff Reporter | World desk", "Home > World > Asia", "Advertisement")
FURNITURE_BOTTOM = ("Read more: latest world news", "Copyright 2024 Example Wire. All rights reserved.",
                    "Sign up for our morning newsletter")


def devset_articles() -> list[dict]:
    path = DEVSET / "devset-articles.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def syndicated_copy(article: dict, outlet: int, rng: random.Random) -> dict:
    """The same wire story as another site runs it: its own URL and furniture around an unchanged body."""
    text = "\n".join([rng.choice(FURNITURE_TOP), article["text"], rng.choice(FURNITURE_BOTTOM)])
    return {**article, "id": f"{article['id']}-copy{outlet}", "url": f"https://outlet{outlet}.test/{article['id']}", "text": text}


def article_stream(copies: int = 60, seed: int = 7) -> list[dict]:
    """The dev set with `copies` syndicated copies mixed in, in a fixed shuffled order."""
    rng = random.Random(seed)
    originals = devset_articles()
    duplicated = [syndicated_copy(rng.choice(originals), outlet, rng) for outlet in range(copies)]
    stream = originals + duplicated
    rng.shuffle(stream)
    return stream


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records))
    return path
