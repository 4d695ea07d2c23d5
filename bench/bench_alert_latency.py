"""Alert latency: an incident update produced to the incidents topic until a local webhook receives its alert; prints JSON.

Run from the repository root (NEWSWATCH_HOME selects the local services, started if needed):
    python bench/bench_alert_latency.py [--incidents 150] [--rate 5] [--bad-sinks]

A worker runs with a watches file whose one watch (every attack in Pakistan) sends to a webhook sink
configured through NEWSWATCH_ALERTING__SINKS__WEBHOOK__URL and __SECRET, pointing at an aiohttp receiver on
127.0.0.1 in this process. Updates are produced at a fixed rate straight to the incidents topic
(kafka-python, acks=all): each incident first as version 1 (a `new` alert), later as version 2 with a
toll that has risen past the escalation step (an `escalation` alert), so every update calls for exactly
one alert. On the way the worker matches the watch, creates the alert in Elasticsearch (op_type=create),
publishes it to the alerts topic and posts it. Latency is the receiver's clock at the request minus the
clock just before the send (one machine, one clock); every request's signature is checked.

With --bad-sinks, two more watches match the same incidents: one sends to a webhook that never answers
(each attempt ends at the sink's 10 s timeout), one to a webhook that answers HTTP 500; both keep the
default retry options. Latency is still measured at the healthy webhook only: a failing sink must not
hold up the others.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path

from worker_harness import endpoints, percentile, print_json, running_workers, topic_records, wait_for, worker_log_warnings

from kafka import KafkaProducer

from extractors.schema import Count, Incident, Location
from tests.streams.alert_factories import quetta_incident
from tests.streams.alerting.sinks.receivers import WebhookReceiver

SECRET = "bench-secret"
WATCHES = """
watches:
  - id: bench-pakistan
    name: Pakistan, every attack
    region: {countries: [PK]}
    sinks: [webhook]
"""
BAD_WATCHES = """
  - id: bench-hanging
    name: Pakistan, to a webhook that never answers
    region: {countries: [PK]}
    sinks: [hanging]
  - id: bench-failing
    name: Pakistan, to a webhook that answers 500
    region: {countries: [PK]}
    sinks: [failing]
"""


def updates(incidents: int, seed: int = 3) -> list[Incident]:
    """Two updates per incident in Pakistan: version 1, then, three incidents later, version 2 with a toll
    risen past the escalation step (half again and at least 5 more)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.timezone.utc)
    placed = []
    for number in range(incidents):
        killed = rng.randint(1, 40)
        first = quetta_incident(
            id=f"bench-incident-{number:05d}", first_seen=now, last_updated=now, article_ids=[f"bench-article-{number}"],
            location=Location(city=f"Town {number}", admin1="Balochistan", country="PK",
                              lat=round(rng.uniform(25, 31), 3), lon=round(rng.uniform(62, 70), 3), precision="city"),
            killed=Count(value=killed, qualifier="at_least"))
        second = first.model_copy(update={"version": 2, "killed": Count(value=killed * 2 + 5),
                                          "article_ids": [*first.article_ids, f"bench-article-{number}-b"]})
        placed += [(number, first), (number + 3.5, second)]
    return [incident for _, incident in sorted(placed, key=lambda item: item[0])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=150, help="each is sent twice: new, then escalated")
    parser.add_argument("--rate", type=float, default=5.0, help="incident updates per second")
    parser.add_argument("--timeout", type=float, default=120, help="limit for the last alert after the last update")
    parser.add_argument("--bad-sinks", action="store_true", help="add watches whose webhooks hang and fail")
    args = parser.parse_args()
    services = endpoints()
    receiver = WebhookReceiver(SECRET)
    bad = {"hanging": WebhookReceiver(SECRET, hang=True), "failing": WebhookReceiver(SECRET, status=500)} if args.bad_sinks else {}
    receivers = [receiver, *bad.values()]
    for started in receivers:
        started.start()
        started.ready.wait(timeout=30)
    watches = Path(tempfile.mkdtemp(prefix="nwbench-watches-")) / "watches.yaml"
    watches.write_text(WATCHES + (BAD_WATCHES if bad else ""))
    env = {"NEWSWATCH_WATCHES_FILE": str(watches)}
    for name, sink in {"webhook": receiver, **bad}.items():
        env |= {f"NEWSWATCH_ALERTING__SINKS__{name.upper()}__TYPE": "webhook",
                f"NEWSWATCH_ALERTING__SINKS__{name.upper()}__URL": sink.url,
                f"NEWSWATCH_ALERTING__SINKS__{name.upper()}__SECRET": SECRET}
    stream = updates(args.incidents)
    try:
        with running_workers(services, 1, env) as (pipeline, _, _):
            warm_up_alerts = len(receiver.received)
            producer = KafkaProducer(bootstrap_servers=pipeline.kafka_bootstrap, acks="all", key_serializer=str.encode,
                                     value_serializer=lambda value: json.dumps(value).encode())
            sent: dict[tuple[str, int], float] = {}
            began = time.time()
            for position, incident in enumerate(stream):
                time.sleep(max(0.0, began + position / args.rate - time.time()))
                sent[(incident.id, incident.version)] = time.time()
                producer.send(pipeline.topic("incidents"), key=incident.id, value=incident.model_dump(mode="json"))
            producer.flush(timeout=60)
            producer.close()
            wait_for(lambda: len(receiver.received) - warm_up_alerts >= len(stream), args.timeout,
                     f"{len(stream)} alerts at the webhook (got {len(receiver.received) - warm_up_alerts})")
            warnings = worker_log_warnings(pipeline)
            dead_letters: dict[str, int] = {}
            for record in topic_records(pipeline, "dead_letters"):
                dead_letters[record.value["stage"]] = dead_letters.get(record.value["stage"], 0) + 1
    finally:
        for stopped in receivers:
            stopped.stop()
    latencies, kinds = [], {}
    for received, alert in receiver.received:
        key = (alert["incident_id"], alert["incident_version"])
        if key in sent:
            latencies.append(received - sent.pop(key))
            kinds[alert["kind"]] = kinds.get(alert["kind"], 0) + 1
    print_json({
        "updates": len(stream), "rate_per_second": args.rate, "alerts_matched": len(latencies), "by_kind": kinds,
        "updates_without_alert": len(sent), "bad_signatures": receiver.bad_signatures,
        "bad_sink_requests": {name: len(sink.received) for name, sink in bad.items()},
        "dead_letters_by_stage": dead_letters,
        "latency_s": {"p50": round(percentile(latencies, 50), 3), "p90": round(percentile(latencies, 90), 3),
                      "p99": round(percentile(latencies, 99), 3), "max": round(max(latencies), 3)},
        "worker_warnings": warnings,
    })


if __name__ == "__main__":
    main()
