"""Incident merging on invented events: time per report, whether each event became one incident, and store size.

Run from the repository root: python bench/bench_merge.py [--events 20000]
Each event gets 1 to 8 reports over the next two days with rising tolls; some reports name only the
province, some have no date. The events are spread at random over ten countries, so two events can
genuinely be indistinguishable (same type, same day, a few km apart); the purity figures count those too.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.schema import Count, IncidentReport, Location, Perpetrator  # noqa: E402
from streams.incidents.merge import ArticleRef  # noqa: E402
from streams.incidents.store import IncidentStore, record_report  # noqa: E402

START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
# (country, south-west corner lat, lon): a 6 x 6 degree box each, cut into 16 provinces of 1.5 x 1.5 degrees.
COUNTRIES = [("NG", 6, 4), ("PK", 25, 64), ("AF", 31, 62), ("SO", 0, 42), ("IQ", 30, 40),
             ("ML", 12, -8), ("BF", 9, -4), ("CD", -4, 24), ("SY", 32, 36), ("YE", 13, 44)]
ATTACK_TYPES = ["bombing", "armed_assault", "kidnapping", "facility_attack"]
GROUPS = ["Islamic State", "al-Shabaab", "Boko Haram", "Taliban", None, None]


def invented_reports(events: int, per_day: int, seed: int = 11):
    """(event number, report, time) in time order."""
    rng = random.Random(seed)
    pending = []
    for event in range(events):
        country, lat0, lon0 = rng.choice(COUNTRIES)
        lat, lon = lat0 + rng.uniform(0, 6), lon0 + rng.uniform(0, 6)
        province = f"{country}-{int((lat - lat0) // 1.5)}{int((lon - lon0) // 1.5)}"
        happened = START + dt.timedelta(days=event / per_day)
        attack, group = rng.choice(ATTACK_TYPES), rng.choice(GROUPS)
        killed = rng.randint(1, 30)
        for number in range(rng.randint(1, 8)):
            killed += rng.choice([0, 0, 1, 3])
            coarse = rng.random() < 0.2
            location = Location(country=country, admin1=province, precision="admin1") if coarse else Location(
                city=f"town-{event}", admin1=province, country=country, lat=round(lat, 2), lon=round(lon, 2), precision="city")
            report = IncidentReport(
                role="main", attack_types=[attack], location=location,
                date=None if rng.random() < 0.1 else happened.date(), date_precision="day",
                killed=Count(value=killed, qualifier="at_least"),
                perpetrators=[Perpetrator(name=group, role="claimed")] if group and rng.random() < 0.5 else [],
            )
            pending.append((happened + dt.timedelta(hours=rng.uniform(0, 48) if number else 0), event, number, report))
    pending.sort(key=lambda item: (item[0], item[1], item[2]))
    for at, event, number, report in pending:
        yield event, number, report, at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--events-per-day", type=int, default=50)
    args = parser.parse_args()
    storage: dict = {}
    store = IncidentStore(storage)
    timings = []
    incidents_of_event: dict[int, set[str]] = collections.defaultdict(set)
    events_of_incident: dict[str, set[int]] = collections.defaultdict(set)
    reports = 0
    for event, number, report, at in invented_reports(args.events, args.events_per_day):
        article = ArticleRef(id=f"e{event}-r{number}", source="bench", published=at)
        began = time.perf_counter()
        outcome = record_report(store, report, article, at)
        timings.append(time.perf_counter() - began)
        incidents_of_event[event].add(outcome.incident.id)
        events_of_incident[outcome.incident.id].add(event)
        reports += 1
    timings.sort()
    split = sum(len(ids) > 1 for ids in incidents_of_event.values())
    mixed = sum(len(events) > 1 for events in events_of_incident.values())
    print(json.dumps({
        "events": args.events,
        "reports": reports,
        "incidents": len(events_of_incident),
        "events_split_over_several_incidents": round(split / len(incidents_of_event), 4),
        "incidents_mixing_several_events": round(mixed / len(events_of_incident), 4),
        "record_ms_median": round(statistics.median(timings) * 1e3, 3),
        "record_ms_p99": round(timings[int(0.99 * (len(timings) - 1))] * 1e3, 3),
        "open_incidents_at_end": sum(1 for key in storage if key.startswith("i:")),
        "store_json_mib": round(sum(len(k) + len(json.dumps(v)) for k, v in storage.items()) / 2**20, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
