"""Chaos soak: a stream of articles through a real worker while the worker is killed with SIGKILL, Elasticsearch
is stopped for a while and Kafka is restarted; prints JSON: sent / indexed / duplicated / lost / dead-lettered,
the incidents against an in-process replay of the same articles, and the longest pause in processing.

Run from the repository root (NEWSWATCH_HOME selects the local services, started if needed):
    python bench/chaos.py [--articles 1500] [--rate 12] [--kills 3] [--es-outage 45] [--seed 7]

The faults come one after another at random moments (seeded) while the stream is being sent: each kill
is a SIGKILL of the worker process alone, as the OOM killer would do it, followed by a new worker a few
seconds later; Elasticsearch is stopped and started again after --es-outage seconds; Kafka is stopped and
started on the same port. Then the run waits until every article is processed (bounded by --settle).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import sys
import threading
import time

from worker_harness import endpoints, print_json, process_tree, running_workers, topic_records, wait_for

from deploy.local.services import LocalServices
from news_filler import mixed_stream
from streams.cli.commands.replay import dedup_from_settings
from streams.ingest.producer import ArticleProducer
from streams.replay import replay
from streams.settings import Settings

RESTART_DELAY_SECONDS = 3.0


def send_stream(pipeline, stream, rate: float, sent: list[str]) -> None:
    """Every article through the ingest producer at `rate` per second; Kafka's outage is the producer's to ride out."""
    with ArticleProducer(pipeline.kafka_bootstrap, pipeline.topic("raw_articles"), request_timeout_ms=120_000,
                         max_block_ms=180_000, delivery_timeout_ms=600_000) as producer:
        began = time.time()
        for position, article in enumerate(stream):
            time.sleep(max(0.0, began + position / rate - time.time()))
            producer.send(article)
            sent.append(article.id)


def kill_worker(pipeline, processes: list, number: int) -> dict:
    """SIGKILL the worker alone, start the next one; report the old worker's processes still alive 10 s later."""
    victim = processes[-1]
    family = process_tree(victim.pid) - {victim.pid}
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    time.sleep(RESTART_DELAY_SECONDS)
    processes.append(pipeline.start_worker(f"worker-{number + 1}"))
    time.sleep(10)
    orphans = [pid for pid in family if os.path.exists(f"/proc/{pid}")]
    for pid in orphans:  # leave nothing behind for the next fault or run
        os.kill(pid, signal.SIGKILL)
    return {"fault": "kill -9 worker", "orphaned_children": len(orphans)}


def outage(local: LocalServices, name: str, seconds: float) -> dict:
    began = time.monotonic()
    local.stop(name)
    time.sleep(seconds)
    local.start(name)
    return {"fault": f"{name} stopped", "seconds": round(time.monotonic() - began, 1)}


def streamed_incidents(pipeline) -> dict[str, list[str]]:
    documents = pipeline.search("incidents", size=10_000)
    return {doc["incident"]["id"]: sorted(doc["incident"]["article_ids"]) for doc in documents}


def replayed_incidents(stream) -> dict[str, list[str]]:
    arrival = max(article.fetched_at for article in stream)
    result = replay(stream, arrival, dedup=dedup_from_settings(Settings()))
    return {incident.id: sorted(incident.article_ids) for incident in result.incidents}


def _as_set(incidents: dict[str, list[str]]) -> set[tuple[str, tuple[str, ...]]]:
    return {(incident_id, tuple(members)) for incident_id, members in incidents.items()}


def longest_pause(pipeline, began_epoch: float) -> dict:
    """The longest gap between consecutive records on the extractions topic (the slowest stage), and when it
    began in seconds from the start of the run, to set beside the faults' times."""
    stamps = sorted(record.timestamp for record in topic_records(pipeline, "extractions"))
    gaps = [(b - a, a) for a, b in zip(stamps, stamps[1:])]
    gap, start = max(gaps, default=(0, began_epoch * 1000))
    return {"seconds": round(gap / 1000, 1), "began_at_seconds": round(start / 1000 - began_epoch, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=12.0, help="articles sent per second")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--es-outage", type=float, default=45.0, help="seconds Elasticsearch stays down")
    parser.add_argument("--settle", type=float, default=900.0, help="seconds to wait for the backlog after the faults")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    services = endpoints()
    local = LocalServices()
    step = dt.timedelta(seconds=2)
    # Dated in the past, so the stream and the replay both go by the articles' own times.
    start = dt.datetime.now(dt.timezone.utc) - step * (args.articles + 10)
    stream = mixed_stream(args.articles, start=start, step=step, id_prefix=f"chaos{args.seed}-")
    faults = ["kill"] * args.kills + ["elasticsearch", "kafka"]
    rng.shuffle(faults)
    send_seconds = args.articles / args.rate
    began, began_epoch = time.monotonic(), time.time()
    with running_workers(services) as (pipeline, processes, progress):
        sent: list[str] = []
        sender = threading.Thread(target=send_stream, args=(pipeline, stream, args.rate, sent), daemon=True)
        sender.start()
        done_faults = []
        for number, fault in enumerate(faults):
            # Spread the faults over the sending time, each at a random moment of its own slice.
            slice_start = began + send_seconds * number / len(faults)
            time.sleep(max(0.0, slice_start + rng.uniform(0.1, 0.6) * send_seconds / len(faults) - time.monotonic()))
            if fault == "kill":
                done_faults.append(kill_worker(pipeline, processes, len(processes)))
            else:
                done_faults.append(outage(local, fault, args.es_outage if fault == "elasticsearch" else 5.0))
            done_faults[-1]["at_seconds"] = round(time.monotonic() - began, 1)
        sender.join(timeout=send_seconds + 600)
        settled = True
        try:
            wait_for(lambda: progress.done(len(stream) + 1), args.settle, "every article processed", interval=2.0)
        except AssertionError:
            settled = False
        indexed_ids = {doc["article"]["id"] for doc in pipeline.search("articles", size=10_000)}
        indexed_documents = pipeline.count("articles")
        letters = pipeline.read_topic("dead_letters")
        expected = set(sent)
        lettered = {article_id for article_id in expected if any(article_id in letter["payload"] for letter in letters)}
        # The warm-up article's incident is the harness's, not the stream's.
        streamed = {incident_id: members for incident_id, members in streamed_incidents(pipeline).items()
                    if set(members) <= set(sent)}
        pause = longest_pause(pipeline, began_epoch)
        lost = sorted(expected - indexed_ids - lettered)
        replayed = replayed_incidents(stream)
        print_json({
            "command": "python bench/chaos.py " + " ".join(sys.argv[1:]),
            "articles_sent": len(sent),
            "articles_indexed": len(indexed_ids & expected),
            "duplicated_documents": indexed_documents - len(indexed_ids),
            "lost": len(lost),
            "lost_examples": lost[:5],
            "dead_lettered": len(letters),
            "settled": settled,
            "faults": done_faults,
            "incidents_streamed": len(streamed),
            "incidents_replayed": len(replayed),
            "incidents_equal": streamed == replayed,
            "incidents_differing": len(_as_set(streamed) ^ _as_set(replayed)),
            "longest_processing_pause": pause,
            "wall_seconds": round(time.monotonic() - began, 1),
        })


if __name__ == "__main__":
    main()
