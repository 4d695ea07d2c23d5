"""Speed of the place, date and group finders per article, and how often the dev set's labelled city, date and
groups are among what they find; prints JSON.

Run from the repository root: python bench/bench_finders.py
The coverage figures measure the finders alone (is the right answer among the mentions?), not the pipeline
that picks one of them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.dates import find_dates  # noqa: E402
from extractors.groups import GroupMention, classify_role, find_groups  # noqa: E402
from extractors.places import Gazetteer, count_countries, count_regions, distance_km  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset"
SENTENCE = re.compile(r"[^.\n]+(?:\.|\n|$)")  # a rough split: the pipeline uses spaCy's sentences
SAME_CITY_KM = 30


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("VmRSS")).split()[1]) / 1000


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def roles(text: str) -> tuple[set[str], set[str]]:
    claimed, suspected = set(), set()
    for sentence in SENTENCE.finditer(text):
        for mention in find_groups(sentence.group()):
            shifted = GroupMention(mention.name, mention.branch, mention.start + sentence.start(),
                                   mention.end + sentence.start(), mention.text)
            role = classify_role(sentence.group(), shifted, sentence.start())
            (claimed if role == "claimed" else suspected if role == "suspected" else set()).add(mention.name)
    return claimed, suspected - claimed


def main() -> int:
    before = resident_mb()
    load_ms, gazetteer = timed(Gazetteer.load)
    loaded = resident_mb()
    articles = {}
    for path in sorted(DEVSET.glob("*-articles.jsonl")):
        articles.update({a["id"]: a for a in map(json.loads, path.read_text(encoding="utf-8").splitlines())})
    labels = {}
    for path in sorted(DEVSET.glob("*-labels.jsonl")):
        labels.update({lab["id"]: lab for lab in map(json.loads, path.read_text(encoding="utf-8").splitlines())})
    times: dict[str, list[float]] = {"find_places": [], "find_dates": [], "find_groups": []}
    words = []
    found = {"city": [0, 0], "date": [0, 0], "groups": [0, 0]}
    for article_id, label in sorted(labels.items()):
        article = articles[article_id]
        text = f"{article.get('title') or ''}\n\n{article['text']}"
        published = dt.date.fromisoformat(article["published"][:10])
        words.append(len(text.split()))
        place_ms, places = timed(gazetteer.find_places, text)
        date_ms, dates = timed(find_dates, text, published)
        group_ms, _ = timed(find_groups, text)
        times["find_places"].append(place_ms)
        times["find_dates"].append(date_ms)
        times["find_groups"].append(group_ms)
        main = label.get("main")
        if not main:
            continue
        if main.get("city"):
            countries, regions = count_countries(places), count_regions(places)
            resolved = [gazetteer.resolve([m], countries, regions) for m in places]
            hit = any(r.city and distance_km(r.lat, r.lon, main["lat"], main["lon"]) < SAME_CITY_KM for r in resolved)
            found["city"][0] += hit
            found["city"][1] += 1
        if main.get("date"):
            found["date"][0] += any(m.precision == "day" and m.date.isoformat() == main["date"] for m in dates)
            found["date"][1] += 1
        claimed, suspected = roles(text)
        found["groups"][0] += (claimed, suspected) == (set(main.get("claimed") or []), set(main.get("suspected") or []))
        found["groups"][1] += 1
    per_article = {
        name: {"median_ms": round(statistics.median(values), 3),
               "p99_ms": round(sorted(values)[int(0.99 * (len(values) - 1))], 3),
               "per_600_words_ms": round(statistics.median(v * 600 / w for v, w in zip(values, words)), 3)}
        for name, values in times.items()
    }
    print(json.dumps({
        "gazetteer_load_s": round(load_ms / 1000, 2),
        "gazetteer_resident_mb": round(loaded - before, 1),
        "articles": len(labels),
        "median_words": statistics.median(words),
        "per_article": per_article,
        "labelled_city_among_resolved_mentions": f"{found['city'][0]}/{found['city'][1]}",
        "labelled_date_among_day_mentions": f"{found['date'][0]}/{found['date'][1]}",
        "claimed_and_suspected_sets_exact": f"{found['groups'][0]}/{found['groups'][1]}",
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
