"""The merge and alerting stages' state over a long stream of invented attack reports with 1,000 watches: the
size of the `incident-store`, `alert-state` and `text-query-matches` tables and the process's memory, as the
event time passes several times the incidents' 14-day window; prints JSON.

Run from the repository root: python bench/bench_alert_state.py [--articles 100000] [--no-expiry]
The stream is bench_merge's invented events (1 to 8 reports each over two days, 50 events a day, ten
countries), as many as give `--attack-share` of `--articles` attack reports: only those reach merging and
alerting. Each report goes through record_report and AlertStore.decide over dicts, as the merge and alert
agents run them; every `--expire-every` reports the expiry runs as the agents' timer and release agent do
(latest_update, expired, expire). Watches: each on 1 to 3 countries drawn from all countries, one in ten
also with a text query that a report's article satisfies now and then. Run it once more with --no-expiry
to see the growth that expiry prevents (each run in its own process, so RSS figures do not mix).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
from pathlib import Path

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_merge import invented_reports  # noqa: E402

from extractors.schema import Region, Rule, Watch  # noqa: E402
from streams.alerting.alert_store import AlertStore  # noqa: E402
from streams.incidents.merge import ArticleRef  # noqa: E402
from streams.incidents.store import IncidentStore, record_report  # noqa: E402
from streams.watches.index import WatchIndex  # noqa: E402

MEAN_REPORTS_PER_EVENT = 4.5  # bench_merge: 1 to 8 reports per event
EVENTS_PER_DAY = 50
CHECKPOINTS = 20


def invented_watches(count: int, rng: random.Random) -> list[Watch]:
    countries = sorted(country.alpha_2 for country in pycountry.countries)
    watches = []
    for number in range(count):
        region = Region(countries=rng.sample(countries, rng.randint(1, 3)))
        rule = Rule(text_query="checkpoint") if number % 10 == 0 else Rule()
        watches.append(Watch(id=f"w{number}", name=f"watch {number}", region=region, rule=rule))
    return watches


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def table_size(table: dict) -> dict:
    return {"entries": len(table), "json_kib": round(len(json.dumps(table)) / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--attack-share", type=float, default=0.1)
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--expire-every", type=int, default=100, help="reports between two expiry rounds")
    parser.add_argument("--no-expiry", action="store_true", help="never expire (the state before expiry existed)")
    args = parser.parse_args()
    rng = random.Random(23)
    watches = invented_watches(args.watches, rng)
    index = WatchIndex.build(watches)
    text_watches = [watch.id for watch in watches if watch.rule.text_query]
    events = max(1, round(args.articles * args.attack_share / MEAN_REPORTS_PER_EVENT))
    merge_state: dict = {}
    states: dict = {}
    text_matched: dict = {}
    incidents = IncidentStore(merge_state)
    alerting = AlertStore(states, text_matched)
    stream = list(invented_reports(events, EVENTS_PER_DAY))
    every = max(1, len(stream) // CHECKPOINTS)
    samples, alerts, expired = [], 0, 0
    first_at = stream[0][3]
    for number, (event, report_number, report, at) in enumerate(stream, start=1):
        outcome = record_report(incidents, report, ArticleRef(id=f"e{event}-r{report_number}", source="bench", published=at), at)
        if outcome.to_send:
            matches = rng.sample(text_watches, rng.randint(1, 2)) if rng.random() < 0.2 else []
            alerts += len(alerting.decide(outcome.incident, index, matches, at))
        if not args.no_expiry and number % args.expire_every == 0:
            stream_now = alerting.latest_update()
            for incident_id in alerting.expired(stream_now) if stream_now else ():
                expired += alerting.expire(incident_id, stream_now)
        if number % every == 0 or number == len(stream):
            samples.append({"reports": number, "event_days": round((at - first_at).total_seconds() / 86400, 1),
                            "rss_mib": round(rss_mib(), 1), "incident_store": table_size(merge_state),
                            "alert_state": table_size(states), "text_query_matches": table_size(text_matched)})
    half = samples[len(samples) // 2]
    print(json.dumps({
        "articles": args.articles, "attack_share": args.attack_share, "attack_reports": len(stream), "events": events,
        "watches": args.watches, "expiry": not args.no_expiry, "expire_every_reports": args.expire_every,
        "alerts_decided": alerts, "incidents_expired_from_alert_state": expired,
        "event_days": samples[-1]["event_days"],
        "alert_state_entries_half_to_end": [half["alert_state"]["entries"], samples[-1]["alert_state"]["entries"]],
        "rss_mib_half_to_end": [half["rss_mib"], samples[-1]["rss_mib"]],
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "samples": samples,
    }, indent=1))


if __name__ == "__main__":
    main()
