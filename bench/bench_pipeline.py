"""The whole Faust pipeline on real Kafka and Elasticsearch: sustained throughput with one and two workers,
article-to-incident latency at half that rate, and a worker's memory over a long stream; prints JSON.

Run from the repository root (NEWSWATCH_HOME selects the local services, started if needed):
    python bench/bench_pipeline.py [--articles 600] [--runs 2] [--latency-seconds 120] [--rss-articles 5000]

The stream (bench/news_filler.py) holds every dev-set article once, invented everyday news as filler, and
syndicated copies (a fifth of the stream, each a few places after its original, biased to attack
stories so that about one article in ten reports an attack); with --french-share, the French dev set too and
that share of the filler in French. Articles go in through the ingest producer
(streams.ingest.producer.ArticleProducer) and out as Elasticsearch documents; workers are `newswatch
worker` subprocesses on their own topics and indices, warmed up on the seed article before timing.

- Throughput: the whole stream produced at once; time from the first send until every article is
  extracted and every topic committed (committed means processed: indexing agents ack after the bulk).
  Also the sustained rate of extraction, the slowest stage: records per second on the extractions topic
  between the 10th and the 90th percentile of their timestamps (no start-up, no end-of-run wait).
  Baseline in the same run, between the pipeline runs: extractors.extract_batch over the same articles in
  batches of 16 in a plain loop in this process.
- Latency: articles produced at a fixed rate; for each article that yields an incident, the Kafka
  timestamp of the first incident record naming it (incident.article_ids) minus that of the article
  record, and the same from wall clocks (send, receipt by a live consumer).
- Memory: one worker's RSS (with its extractor child) sampled while it works through a long, mostly-filler
  stream whose event time ends now and spans at least twice the dedup age bound, so the dedup table fills
  and then has to stay level; the tables' sizes are read from their changelogs. `--rss-stream
  invented-attacks` makes every attack report a new incident (bench/invented_attacks.py) and
  `--rss-watches FILE` gives the worker watches (e.g. 1,000 over those towns), so that the incident store
  and the alert state fill too, e.g.:
    python bench/invented_attacks.py --watches 1000 > watches.yaml
    python bench/bench_pipeline.py --runs 0 --latency-seconds 0 --rss-articles 100000 --rss-event-days 365 \
        --rss-attack-share 0.1 --rss-stream invented-attacks --rss-watches watches.yaml --timeout 3000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from invented_attacks import attack_stream
from worker_harness import (ChangelogKeys, cpu_seconds, endpoints, partition_assignments, percentile, print_json, rss_mib,
                            running_workers, service_pids, topic_records, wait_for, worker_log_warnings)

from kafka import KafkaConsumer, TopicPartition

import extractors
from extractors.schema import Article
from news_filler import HOOK_SHARE, is_attack_article, mixed_stream
from streams.ingest.producer import ArticleProducer

# Worker log lines that mark a run as disturbed: an agent crashed, Elasticsearch was unreachable.
DISTURBANCES = ("Crashed", "Elasticsearch unavailable", "has failed for")


def extractor_alone(stream: list[Article], batch: int = 16) -> tuple[float, float]:
    """Wall and CPU seconds for extract_batch over the stream in batches, as a plain loop (spaCy already loaded)."""
    began, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(stream), batch):
        extractors.extract_batch(stream[start:start + batch])
    return time.perf_counter() - began, time.process_time() - cpu


def produce(pipeline, stream: list[Article], rate: float | None = None) -> dict[str, float]:
    """Send the stream through the ingest producer, at `rate` articles/s or all at once; wall-clock send times."""
    sent = {}
    with ArticleProducer(pipeline.kafka_bootstrap, pipeline.topic("raw_articles")) as producer:
        began = time.time()
        for position, article in enumerate(stream):
            if rate:
                time.sleep(max(0.0, began + position / rate - time.time()))
            sent[article.id] = time.time()
            producer.send(article)
    return sent


def steady_rate(timestamps_ms: list[int], low: float = 0.1, high: float = 0.9) -> float | None:
    """Records per second between the `low` and `high` quantiles of their Kafka timestamps: the sustained
    rate of a stage, without the start-up and the end of the run."""
    ordered = sorted(timestamps_ms)
    first, last = round(low * (len(ordered) - 1)), round(high * (len(ordered) - 1))
    if last <= first or ordered[last] == ordered[first]:
        return None
    return round((last - first) * 1000 / (ordered[last] - ordered[first]), 1)


def stream_summary(pipeline) -> dict:
    """What the pipeline made of the stream: copies found, attack reports, incidents, dead letters, and the
    sustained rate of extraction (the slowest stage) from its records' timestamps."""
    records = [record for record in topic_records(pipeline, "extractions") if record.value["article"]["source"] != "warm-up"]
    extracted = [record.value for record in records]
    incidents = {record.value["id"] for record in topic_records(pipeline, "incidents")}
    client = pipeline.es()
    client.indices.refresh(index=f"{pipeline.index_prefix}-incidents")
    return {
        "articles_extracted": len(extracted),
        "steady_extraction_per_second": steady_rate([record.timestamp for record in records]),
        "duplicates_found": sum(1 for e in extracted if e["duplicate_of"]),
        "attack_reports": sum(1 for e in extracted if e["extraction"]["is_attack_report"]),
        "incidents_on_topic": len(incidents),
        "incidents_indexed": client.count(index=f"{pipeline.index_prefix}-incidents")["count"],
        "dead_letters": len(topic_records(pipeline, "dead_letters", timeout_ms=1000)),
    }


def throughput(services, stream: list[Article], workers: int, env: dict[str, str], timeout: float) -> dict:
    with running_workers(services, workers, env) as (pipeline, processes, progress):
        pids = {f"worker_{n}": p.pid for n, p in enumerate(processes, 1)} | service_pids()
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()} | {"bench_process": time.process_time()}
        expected = progress.records("extractions") + len(stream)
        assigned = partition_assignments(pipeline)
        began = time.time()
        produce(pipeline, stream)
        produced = time.time() - began
        wait_for(lambda: progress.done(expected), timeout, f"{len(stream)} articles through {workers} worker(s)")
        elapsed = time.time() - began
        cpu_after = {name: cpu_seconds(pid) for name, pid in pids.items()} | {"bench_process": time.process_time()}
        return {"workers": workers, "seconds": round(elapsed, 2), "articles_per_second": round(len(stream) / elapsed, 1),
                "produce_seconds": round(produced, 2),
                # A rebalance nobody asked for (a missed heartbeat under load) shows here; 0 expected.
                "partition_assignments_during_stream": partition_assignments(pipeline) - assigned,
                "cpu_ms_per_article": {name: round((cpu_after[name] - cpu_before[name]) * 1000 / len(stream), 2)
                                       for name in cpu_before},
                **stream_summary(pipeline), **disturbances(pipeline, pids)}


def disturbances(pipeline, pids: dict[str, int]) -> dict:
    """Signs that something got in the way: a service restarted (by another job), Elasticsearch unreachable, an
    agent crashed. `disturbed` runs are reported but left out of the medians."""
    restarted = [name for name, pid in service_pids().items() if pids.get(name) != pid]
    warnings = worker_log_warnings(pipeline)
    disturbed = bool(restarted) or any(mark in message for message in warnings for mark in DISTURBANCES)
    return {"disturbed": disturbed, "services_restarted": restarted, "worker_warnings": warnings}


def undisturbed(runs: list[dict]) -> list[dict]:
    return [run for run in runs if not run["disturbed"]] or runs


class IncidentWatcher(threading.Thread):
    """Reads the incidents topic live from its end: (article ids, record timestamp, receipt time) per record."""

    def __init__(self, pipeline, timeout: float):
        super().__init__(daemon=True)
        self.consumer = KafkaConsumer(bootstrap_servers=pipeline.kafka_bootstrap, enable_auto_commit=False)
        name = pipeline.topic("incidents")
        assigned = [TopicPartition(name, p) for p in self.consumer.partitions_for_topic(name) or ()]
        self.consumer.assign(assigned)
        self.consumer.seek_to_end(*assigned)
        for partition in assigned:
            self.consumer.position(partition)
        self.seen: list[tuple[list[str], float, float]] = []
        self.stopping = threading.Event()
        self.deadline = time.monotonic() + timeout

    def run(self) -> None:
        try:
            while not self.stopping.is_set() and time.monotonic() < self.deadline:
                for records in self.consumer.poll(timeout_ms=100).values():
                    received = time.time()
                    self.seen += [(json.loads(r.value)["article_ids"], r.timestamp / 1000, received) for r in records]
        finally:
            self.consumer.close()


def latency(services, rate: float, seconds: float, env: dict[str, str], timeout: float,
            french_share: float = 0.0) -> dict:
    size = max(130, round(rate * seconds))  # the dev set alone is 100 articles
    stream = mixed_stream(size, seed=23, step=dt.timedelta(seconds=1 / rate), id_prefix="lat-",
                          french_share=french_share)
    with running_workers(services, 1, env) as (pipeline, _, progress):
        pids = service_pids()
        expected = progress.records("extractions") + len(stream)
        watcher = IncidentWatcher(pipeline, timeout=seconds + timeout)
        watcher.start()
        began = time.time()
        sent = produce(pipeline, stream, rate)
        produced = time.time() - began
        wait_for(lambda: progress.done(expected), timeout, "the latency stream to drain")
        drained_after_last_send = time.time() - max(sent.values())
        watcher.stopping.set()
        watcher.join(timeout=10)
        articles_at = {record.key: record.timestamp / 1000 for record in topic_records(pipeline, "raw_articles")}
        first_incident: dict[str, tuple[float, float]] = {}
        for article_ids, stamped, received in sorted(watcher.seen, key=lambda item: item[1]):
            for article_id in article_ids:
                first_incident.setdefault(article_id, (stamped, received))
        ours = [a for a in first_incident if a in sent]
        by_timestamp = [first_incident[a][0] - articles_at[a] for a in ours]
        by_clock = [first_incident[a][1] - sent[a] for a in ours]
        with_reports = sum(1 for r in topic_records(pipeline, "extractions")
                           if r.value["extraction"]["incidents"] and r.value["article"]["id"] in sent)
        return {
            "rate": rate, "articles": len(stream), "produce_seconds": round(produced, 1),
            "articles_with_reports": with_reports,
            "articles_matched_to_an_incident": len(ours),
            "kafka_timestamps_s": _distribution(by_timestamp),
            "send_to_receipt_s": _distribution(by_clock),
            "drained_seconds_after_last_send": round(drained_after_last_send, 1),
            **disturbances(pipeline, pids),
        }


def _distribution(values: list[float]) -> dict:
    return {"p50": _round(percentile(values, 50)), "p90": _round(percentile(values, 90)),
            "p99": _round(percentile(values, 99)), "max": _round(max(values, default=None))}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# Tables whose size the memory run follows on their changelogs.
FOLLOWED_TABLES = ("dedup-state", "incident-store", "alert-state", "text-query-matches")


def memory_stream(kind: str, size: int, event_days: float, attack_share: float, french_share: float = 0.0) -> list[Article]:
    """The memory run's stream, its event time ending now (the worker takes no article time more than a day
    ahead of Kafka's clock): bench/news_filler.py's mixed stream, or new invented attacks and filler."""
    if kind == "invented-attacks":
        return attack_stream(size, attack_share=attack_share, event_days=event_days, id_prefix="rss-")
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=event_days)
    return mixed_stream(size, attack_share=attack_share, seed=31, start=start, step=dt.timedelta(days=event_days) / size,
                        id_prefix="rss-", french_share=french_share)


def memory(services, stream: list[Article], env: dict[str, str], interval: float, timeout: float) -> dict:
    """One worker's RSS (with its extractor child) and its tables' sizes while it works through the stream."""
    size = len(stream)
    first, last = stream[0].fetched_at, stream[-1].fetched_at
    with running_workers(services, 1, env, warm_up_at=first - dt.timedelta(hours=1)) as (pipeline, processes, progress):
        pid = processes[0].pid
        pids = service_pids()
        base = progress.records("extractions")
        tables = {table: ChangelogKeys(pipeline, table) for table in FOLLOWED_TABLES}
        for follower in tables.values():
            follower.start()

        def sample(processed: int) -> dict:
            return {"articles": processed,
                    "event_day": round(min(processed, size - 1) / size * (last - first).total_seconds() / 86400, 1),
                    "rss_mib": round(rss_mib(pid), 1), "worker_rss_mib": round(rss_mib(pid, descendants=False), 1),
                    "incidents_in_store": tables["incident-store"].count("i:"),
                    **{table: follower.count() for table, follower in tables.items()}}

        samples = [sample(0)]
        began = time.time()
        producer = threading.Thread(target=produce, args=(pipeline, stream), daemon=True)
        producer.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(interval)
            processed = progress.records("extractions") - base
            samples.append(sample(processed))
            if len(samples) % 30 == 0:
                progress_note("memory", samples[-1])
            if processed >= size and progress.done(base + size):
                break
        else:
            raise AssertionError(f"the memory stream did not drain within {timeout:.0f} s ({samples[-1]['articles']} articles)")
        time.sleep(5)  # the changelogs' last records
        samples.append(sample(size))
        producer.join(timeout=60)
        elapsed = time.time() - began
        for follower in tables.values():
            follower.stop()
        alerts = pipeline.count("alerts")
        disturbed = disturbances(pipeline, pids)

    def at(share: float) -> dict:
        return next(s for s in samples if s["articles"] >= share * size)

    half, end = at(0.5)["rss_mib"], samples[-1]["rss_mib"]
    return {
        "articles": size, "attack_articles": sum(1 for a in stream if a.source == "invented-attacks" or is_attack_article(a)),
        "event_days": round((last - first).total_seconds() / 86400, 1), "seconds": round(elapsed, 1),
        "articles_per_second": round(size / elapsed, 1), "alerts_indexed": alerts,
        "rss_mib": {"start": samples[0]["rss_mib"],
                    **{f"{int(share * 100)}%": at(share)["rss_mib"] for share in (0.1, 0.25, 0.5, 0.75)},
                    "end": end, "max": max(s["rss_mib"] for s in samples)},
        "second_half_growth_mib": round(end - half, 1),
        "flat_in_second_half": end - half < 0.05 * half,
        "samples": samples[:: max(1, len(samples) // 40)] + samples[-1:],
        **disturbed,
    }


def throughput_runs(services, args, env: dict[str, str]) -> dict:
    """The extractor alone (once more than `args.runs`, so --runs 0 still gives the latency run its rate) and the
    pipeline with each worker count, `args.runs` times (medians reported)."""
    stream = mixed_stream(args.articles, seed=5, id_prefix="tp-", french_share=args.french_share)
    extractors.load_nlp()
    extractor_alone(stream[:32])  # first-call costs (gazetteer, group tables) out of the timings
    baseline, runs = [], {workers: [] for workers in args.workers}
    for _ in range(args.runs):
        baseline.append(extractor_alone(stream))
        for workers in args.workers:
            runs[workers].append(throughput(services, stream, workers, env, args.timeout))
            progress_note(f"{workers} worker(s)", runs[workers][-1])
    baseline.append(extractor_alone(stream))
    extractor_rate = len(stream) / statistics.median(wall for wall, _ in baseline)
    result = {
        "stream": {"articles": len(stream), "attack_articles": sum(map(is_attack_article, stream)),
                   "syndicated_copies": sum("-copy" in a.id for a in stream),
                   "filler": sum(a.id.startswith("tp-fill") and "-copy" not in a.id for a in stream),
                   "filler_with_attack_like_word_share": HOOK_SHARE},
        "extractor_alone": {"runs_seconds": [round(wall, 2) for wall, _ in baseline],
                            "articles_per_second": round(extractor_rate, 1),
                            "cpu_ms_per_article": round(statistics.median(c for _, c in baseline) * 1000 / len(stream), 2)},
        "pipeline": {},
    }
    extractor_cpu = result["extractor_alone"]["cpu_ms_per_article"]
    for workers, measured in runs.items():
        if not measured:  # --runs 0: the latency or memory run alone
            continue
        rate = statistics.median(r["articles_per_second"] for r in undisturbed(measured))
        steady = statistics.median(r["steady_extraction_per_second"] for r in undisturbed(measured))
        worker_cpu = statistics.median(sum(ms for name, ms in r["cpu_ms_per_article"].items() if name.startswith("worker"))
                                       for r in undisturbed(measured))
        result["pipeline"][f"{workers}_worker"] = {
            "articles_per_second": rate, "ratio_to_extractor_alone": round(rate / extractor_rate, 3),
            "steady_extraction_per_second": steady, "steady_ratio_to_extractor_alone": round(steady / extractor_rate, 3),
            "worker_cpu_ms_per_article": round(worker_cpu, 2),
            "extractor_cpu_share_of_worker_cpu": round(extractor_cpu / worker_cpu, 3),
            "runs": measured}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2400, help="throughput stream size")
    parser.add_argument("--runs", type=int, default=2,
                        help="pipeline runs per worker count (the median is reported); 0 runs the latency or memory run alone")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--latency-seconds", type=float, default=120, help="0 skips the latency run")
    parser.add_argument("--rss-articles", type=int, default=5000, help="0 skips the memory run")
    parser.add_argument("--rss-event-days", type=float, default=14,
                        help="event time the memory stream spans, ending now (dedup keeps 7 days, incidents 14)")
    parser.add_argument("--rss-attack-share", type=float, default=0.02)
    parser.add_argument("--rss-stream", choices=["mixed", "invented-attacks"], default="mixed",
                        help="the dev set's attack stories among filler, or a new invented attack in every attack report")
    parser.add_argument("--rss-watches", type=Path,
                        help="watches file of the memory run's worker (e.g. from bench/invented_attacks.py --watches)")
    parser.add_argument("--french-share", type=float, default=0.0,
                        help="share of French filler in every stream, whose French dev-set articles are added")
    parser.add_argument("--batch-seconds", type=float, default=0.5, help="extract batch wait (the worker default is 0.5 s)")
    parser.add_argument("--timeout", type=float, default=900, help="limit for each wait on the pipeline")
    args = parser.parse_args()
    services = endpoints()
    env = {"NEWSWATCH_WORKER__EXTRACT_BATCH_SECONDS": str(args.batch_seconds)}
    result = {"load_average_at_start": os.getloadavg()} | throughput_runs(services, args, env)
    if args.latency_seconds:
        extractor_rate = result["extractor_alone"]["articles_per_second"]
        one_worker = result["pipeline"].get("1_worker", {}).get("articles_per_second", extractor_rate)
        result["latency"] = latency(services, round(one_worker / 2, 1), args.latency_seconds, env, args.timeout,
                                    args.french_share)
        progress_note("latency", result["latency"])
    if args.rss_articles:
        stream = memory_stream(args.rss_stream, args.rss_articles, args.rss_event_days, args.rss_attack_share,
                               args.french_share)
        memory_env = env | ({"NEWSWATCH_WATCHES_FILE": str(args.rss_watches.resolve())} if args.rss_watches else {})
        result["memory"] = {"stream": args.rss_stream, "watches_file": str(args.rss_watches) if args.rss_watches else None,
                            **memory(services, stream, memory_env, interval=2.0, timeout=args.timeout * 2)}
    result["load_average_at_end"] = os.getloadavg()
    print_json(result)


def progress_note(what: str, figures: dict) -> None:
    """Intermediate figures on stderr, so a long run shows where it is; the report is the JSON on stdout."""
    print(f"{what}: {json.dumps(figures)}", file=sys.stderr, flush=True)

if __name__ == "__main__":
    main()
