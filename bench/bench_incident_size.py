"""The size of an incident update as thousands of articles report one event, with the member lists capped (as
merged) and uncapped (the baseline, same run): JSON bytes of the record the merge agent sends, against Kafka's
1 MB record limit, and the time record_report takes per report late in the run; prints JSON.

Run from the repository root: python bench/bench_incident_size.py [--articles 20000]
Every article reports the same attack (same town, day and type) under a long URL id from one of 300 outlets,
as a syndicated wire story does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.schema import Count, IncidentReport, Location  # noqa: E402
from streams.incidents import merge  # noqa: E402
from streams.incidents.store import IncidentStore, record_report  # noqa: E402

KAFKA_RECORD_LIMIT = 1_048_588  # the broker's default message.max.bytes
AT = dt.datetime(2024, 6, 1, 8, tzinfo=dt.timezone.utc)
REPORT = IncidentReport(role="main", attack_types=["bombing"], date=AT.date(), date_precision="day",
                        killed=Count(value=12, qualifier="at_least"),
                        location=Location(city="Quetta", admin1="Balochistan", country="PK", lat=30.18, lon=66.99,
                                          precision="city"))


def reference(number: int) -> merge.ArticleRef:
    outlet = f"www.example-news-site-{number % 300}.com"
    return merge.ArticleRef(id=f"https://{outlet}/world/2024/06/01/article-{number}", source=outlet,
                            url=f"https://{outlet}/world/2024/06/01/bombing-kills-twelve-in-quetta-{number}",
                            published=AT)


def run(articles: int, checkpoints: list[int]) -> dict:
    store = IncidentStore({})
    sizes, late = {}, []
    for number in range(1, articles + 1):
        began = time.perf_counter()
        incident = record_report(store, REPORT, reference(number), AT).incident
        if number > articles - 1000:
            late.append(time.perf_counter() - began)
        if number in checkpoints:
            sizes[number] = len(json.dumps(incident.model_dump(mode="json")).encode())
    return {"record_bytes_at": sizes, "over_kafka_limit_from": next((n for n in checkpoints if sizes[n] > KAFKA_RECORD_LIMIT), None),
            "median_ms_per_report_last_1000": round(statistics.median(late) * 1000, 3), "article_count": incident.article_count,
            "listed_article_ids": len(incident.article_ids)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    checkpoints = sorted({n for n in (100, 1000, 3000, 6000, 10_000, 20_000, args.articles) if n <= args.articles})
    capped = run(args.articles, checkpoints)
    unbounded = sys.maxsize
    with mock.patch.multiple(merge, MAX_ARTICLE_IDS=unbounded, MAX_SOURCES=unbounded, MAX_SOURCE_URLS=unbounded):
        uncapped = run(args.articles, checkpoints)
    print(json.dumps({"command": " ".join(["python bench/bench_incident_size.py", *sys.argv[1:]]), "articles": args.articles,
                      "kafka_record_limit": KAFKA_RECORD_LIMIT, "capped": capped, "uncapped_baseline": uncapped,
                      "time_ratio_uncapped_to_capped": round(uncapped["median_ms_per_report_last_1000"]
                                                             / capped["median_ms_per_report_last_1000"], 2)}, indent=2))


if __name__ == "__main__":
    main()
