"""Dedup quality on the labelled pairs, time per check, and index size over a long age-bounded stream; prints JSON.

Run from the repository root: python bench/bench_dedup.py [--articles 100000]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streams.dedup import DedupIndex  # noqa: E402

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "dedup" / "pairs.jsonl"
START = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)


def quality(pairs_path: Path) -> dict:
    """Each pair in a fresh index: the first article is indexed, the second checked an hour later."""
    counts = collections.Counter()
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    jaccard_by_kind: dict[str, list[float]] = collections.defaultdict(list)
    mistakes = []
    for line in pairs_path.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        index = DedupIndex({})
        jaccard_by_kind[pair["kind"]].append(float(np.mean(index.signature(pair["a"]["text"])[0] == index.signature(pair["b"]["text"])[0])))
        index.check_and_add(pair["a"]["id"], pair["a"]["text"], START)
        verdict = index.check_and_add(pair["b"]["id"], pair["b"]["text"], START + dt.timedelta(hours=1))
        predicted = verdict.duplicate_of == pair["a"]["id"]
        actual = pair["label"] == "duplicate"
        outcome = {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[(predicted, actual)]
        counts[outcome] += 1
        by_kind[pair["kind"]]["correct" if predicted == actual else "wrong"] += 1
        if predicted != actual:
            mistakes.append({"pair": pair["id"], "kind": pair["kind"], "similarity": verdict.similarity})
    precision = counts["tp"] / ((counts["tp"] + counts["fp"]) or 1)
    recall = counts["tp"] / ((counts["tp"] + counts["fn"]) or 1)
    return {
        "pairs": sum(counts.values()),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "confusion": dict(counts),
        "accuracy_by_kind": {kind: round(c["correct"] / (c["correct"] + c["wrong"]), 4) for kind, c in sorted(by_kind.items())},
        "estimated_jaccard_range_by_kind": {kind: [round(min(v), 2), round(max(v), 2)] for kind, v in sorted(jaccard_by_kind.items())},
        "mistakes": mistakes,
    }


def synthetic_stream(count: int, seed: int = 7):
    """Invented articles from a Zipf vocabulary, one every `spacing`; about 1 in 5 is a near-copy of a recent one."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{n}" for n in range(30_000)])
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    recent: collections.deque[list[str]] = collections.deque(maxlen=200)
    for number in range(count):
        if recent and rng.random() < 0.2:
            words = list(recent[int(rng.integers(len(recent)))])
            for position in rng.integers(0, len(words), size=max(1, len(words) // 40)):
                words[position] = str(vocabulary[int(rng.integers(len(vocabulary)))])
            words = words[: int(len(words) * rng.uniform(0.8, 1.0))]
        else:
            words = list(rng.choice(vocabulary, size=int(rng.integers(250, 600)), p=weights))
            recent.append(words)
        yield f"a{number}", " ".join(words)


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def stream(count: int, spacing: dt.timedelta, max_age: dt.timedelta, checkpoints: int) -> dict:
    storage: dict = {}
    index = DedupIndex(storage, max_age=max_age)
    timings = []
    duplicates = 0
    sizes = []
    every = max(1, count // checkpoints)
    for number, (article_id, text) in enumerate(synthetic_stream(count), start=1):
        now = START + spacing * number
        began = time.perf_counter()
        verdict = index.check_and_add(article_id, text, now)
        timings.append(time.perf_counter() - began)
        duplicates += verdict.duplicate_of is not None
        if number % every == 0:
            sizes.append({
                "articles": number,
                "stream_days": round((spacing * number) / dt.timedelta(days=1), 1),
                "indexed_articles": len(storage),
                "storage_json_mib": round(sum(len(key) + len(json.dumps(value)) for key, value in storage.items()) / 2**20, 1),
                "process_rss_mib": rss_mib(),
            })
    timings.sort()
    return {
        "articles": count,
        "spacing_seconds": spacing.total_seconds(),
        "max_age_days": max_age / dt.timedelta(days=1),
        "duplicates_found": duplicates,
        "check_ms_median": round(statistics.median(timings) * 1e3, 3),
        "check_ms_p99": round(timings[int(0.99 * (len(timings) - 1))] * 1e3, 3),
        "size_over_stream": sizes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--spacing-seconds", type=float, default=20.0, help="event time between articles")
    parser.add_argument("--max-age-days", type=float, default=7.0)
    parser.add_argument("--checkpoints", type=int, default=5)
    args = parser.parse_args()
    result = {
        "quality": quality(PAIRS),
        "stream": stream(args.articles, dt.timedelta(seconds=args.spacing_seconds),
                         dt.timedelta(days=args.max_age_days), args.checkpoints),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
