"""Watch-matching cost per incident for 10, 1,000 and 10,000 watches (median and p99); prints JSON.

Watches are spread over the world like real team watches: countries, admin1 regions, circles, boxes and
polygons, most with a toll minimum. A second scenario puts every watch on Pakistan, so each incident
there is a candidate for all of them: the cost then grows with the number of watches that match.

A third measures what text queries cost the extraction stage: every watch has one (words and phrases of
the dev set's articles, some with OR or an exclusion), and each dev-set article is tested against all of
them (`WatchIndex.text_matches`, once per article with an attack report).

Run from the repository root: python bench/bench_watches.py [--incidents 2000]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from pathlib import Path

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.folding import fold_words  # noqa: E402
from extractors.schema import Count, Incident, Location, Perpetrator, Region, Rule, Watch  # noqa: E402
from streams.watches.index import WatchIndex  # noqa: E402
from streams.watches.text_query import SearchableText, TextQuery  # noqa: E402
from streams.watches.text_query import query_text  # noqa: E402
from tests.integration.corpus import devset_articles  # noqa: E402
from tests.streams.alert_factories import text_query_watches  # noqa: E402

COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)
ADMIN1 = [f"Province {n}" for n in range(40)]
ATTACK_TYPES = ["armed_assault", "bombing", "kidnapping", "assassination"]
GROUPS = ["Group A", "Group B", "Group C", "Group D"]


def random_region(rng: random.Random, kind: int, pakistan: bool) -> Region:
    lat, lon = (rng.uniform(24, 36), rng.uniform(61, 75)) if pakistan else (rng.uniform(-45, 60), rng.uniform(-170, 160))
    span = rng.uniform(0.5, 8)
    if kind == 0:
        return Region(countries=["PK"] if pakistan else rng.sample(COUNTRIES, rng.randint(1, 3)))
    if kind == 1:
        return Region(admin1=[f"{'PK' if pakistan else rng.choice(COUNTRIES)}/{rng.choice(ADMIN1)}"])
    if kind == 2:
        return Region(point=(lat, lon), radius_km=rng.uniform(20, 300))
    if kind == 3:
        return Region(bbox=(lon, lat, lon + span, lat + span))
    ring = [[lon, lat], [lon + span, lat], [lon + span, lat + span * 0.6], [lon + span * 0.3, lat + span], [lon, lat]]
    return Region(geojson={"type": "Polygon", "coordinates": [ring]})


def watches(count: int, pakistan: bool, seed: int) -> list[Watch]:
    rng = random.Random(seed)
    result = []
    for number in range(count):
        rule = Rule(
            min_killed=rng.choice([0, 1, 1, 5, 10]),
            attack_types=rng.sample(ATTACK_TYPES, 1) if rng.random() < 0.3 else [],
            perpetrators=rng.sample(GROUPS, 1) if rng.random() < 0.1 else [],
        )
        result.append(Watch(id=f"w{number}", name=f"watch {number}", region=random_region(rng, number % 5, pakistan), rule=rule))
    return result


def incidents(count: int, pakistan: bool, seed: int) -> list[Incident]:
    import datetime as dt

    rng = random.Random(seed)
    now = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    result = []
    for number in range(count):
        lat, lon = (rng.uniform(24, 36), rng.uniform(61, 75)) if pakistan else (rng.uniform(-45, 60), rng.uniform(-170, 170))
        result.append(Incident(
            id=f"i{number}", first_seen=now, last_updated=now,
            attack_types=rng.sample(ATTACK_TYPES, rng.randint(1, 2)),
            location=Location(city="Somewhere", admin1=rng.choice(ADMIN1), country="PK" if pakistan else rng.choice(COUNTRIES),
                              lat=lat, lon=lon, precision="city"),
            killed=Count(value=rng.choice([0, 1, 3, 8, 20, 60])),
            perpetrators=[Perpetrator(name=rng.choice(GROUPS), role="claimed")],
        ))
    return result


def measure(watch_count: int, incident_count: int, pakistan: bool) -> dict:
    started = time.perf_counter()
    index = WatchIndex.build(watches(watch_count, pakistan, seed=watch_count))
    build_seconds = time.perf_counter() - started
    sample = incidents(incident_count, pakistan, seed=1)
    gc.collect()  # steady state: not the one-off collection of the objects the build just made
    for incident in sample[:200]:
        index.matching(incident)
    timings, matched = [], []
    for incident in sample:
        started = time.perf_counter_ns()
        found = index.matching(incident)
        timings.append((time.perf_counter_ns() - started) / 1000)
        matched.append(len(found))
    timings.sort()
    return {
        "watches": watch_count,
        "median_us": round(statistics.median(timings), 1),
        "p99_us": round(timings[int(len(timings) * 0.99) - 1], 1),
        "mean_matches": round(statistics.fmean(matched), 2),
        "build_ms": round(build_seconds * 1000, 1),
    }


def text_queries(count: int, texts: list[str], seed: int) -> list[Watch]:
    """Queries of one to three terms drawn from the articles: single words, two-word phrases, OR, exclusions."""
    rng = random.Random(seed)
    tokenized = [fold_words(text).split() for text in texts]
    vocabulary = sorted({word for words in tokenized for word in words})

    def term() -> str:
        if rng.random() < 0.3:
            words = rng.choice(tokenized)
            start = rng.randrange(len(words) - 1)
            return f'"{words[start]} {words[start + 1]}"'
        return rng.choice(vocabulary)

    return text_query_watches(count, term, rng)


def measure_text(watch_count: int, repeats: int) -> dict:
    """`text_matches` per article, against the baseline of testing every query on the article (same run)."""
    texts = [query_text(a.get("title"), a["text"]) for a in devset_articles()]
    watched = text_queries(watch_count, texts, seed=watch_count)
    index = WatchIndex.build(watched)
    queries = [(w.id, TextQuery.parse(w.rule.text_query)) for w in watched]

    def every_query(text: str) -> list[str]:
        searchable = SearchableText(text)
        return [watch_id for watch_id, query in queries if query.matches(searchable)]

    timings: dict[str, list[float]] = {"indexed": [], "every_query": []}
    matched = []
    for _ in range(repeats):
        for text in texts:
            for name, find in (("indexed", index.text_matches), ("every_query", every_query)):
                started = time.perf_counter_ns()
                found = find(text)
                timings[name].append((time.perf_counter_ns() - started) / 1000)
            matched.append(len(found))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    indexed = sorted(timings["indexed"])
    return {
        "watches_with_text_query": watch_count,
        "median_us_per_article": round(medians["indexed"], 1),
        "p99_us_per_article": round(indexed[int(len(indexed) * 0.99) - 1], 1),
        "baseline_every_query_median_us": round(medians["every_query"], 1),
        "speedup_over_baseline": round(medians["every_query"] / medians["indexed"], 1),
        "mean_matches": round(statistics.fmean(matched), 2),
        "mean_article_chars": round(statistics.fmean(len(text) for text in texts)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=2000)
    args = parser.parse_args()
    sizes = (10, 1_000, 10_000)
    print(json.dumps({
        "incidents": args.incidents,
        "worldwide": [measure(size, args.incidents, pakistan=False) for size in sizes],
        "all_in_pakistan": [measure(size, args.incidents, pakistan=True) for size in sizes],
        "text_queries_at_extraction": [measure_text(size, repeats=5) for size in sizes],
    }, indent=2))


if __name__ == "__main__":
    main()
