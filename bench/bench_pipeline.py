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
- Memory: one worker's RSS sampled while it works through a long, mostly-filler stream whose event time
  spans twice the dedup age bound, so the dedup table fills and then has to stay level.
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

from worker_harness import (cpu_seconds, endpoints, partition_assignments, percentile, print_json, rss_mib,
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


def memory(services, size: int, event_days: float, attack_share: float, env: dict[str, str],
           interval: float, timeout: float, french_share: float = 0.0) -> dict:
    # Event time runs forward from now (after the warm-up article): dedup expires its queue in time order.
    stream = mixed_stream(size, attack_share=attack_share, seed=31, step=dt.timedelta(days=event_days) / size,
                          id_prefix="rss-", french_share=french_share)
    with running_workers(services, 1, env) as (pipeline, processes, progress):
        pid = processes[0].pid
        pids = service_pids()
        base = progress.records("extractions")
        samples = [(0, rss_mib(pid))]
        began = time.time()
        producer = threading.Thread(target=produce, args=(pipeline, stream), daemon=True)
        producer.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(interval)
            processed = progress.records("extractions") - base
            samples.append((processed, rss_mib(pid)))
            if processed >= len(stream) and progress.done(base + len(stream)):
                break
        else:
            raise AssertionError(f"the memory stream did not drain within {timeout:.0f} s ({samples[-1][0]} articles)")
        producer.join(timeout=60)
        elapsed = time.time() - began
        disturbed = disturbances(pipeline, pids)

    def at(share: float) -> float:
        return next(rss for processed, rss in samples if processed >= share * size)

    half, end = at(0.5), samples[-1][1]
    return {
        "articles": size, "event_days": event_days, "seconds": round(elapsed, 1),
        "articles_per_second": round(size / elapsed, 1),
        "rss_mib": {"start": round(samples[0][1], 1),
                    **{f"{int(share * 100)}%": round(at(share), 1) for share in (0.1, 0.25, 0.5, 0.75)},
                    "end": round(end, 1), "max": round(max(r for _, r in samples), 1)},
        "second_half_growth_mib": round(end - half, 1),
        "flat_in_second_half": end - half < 0.05 * half,
        "samples": [(n, round(r, 1)) for n, r in samples[:: max(1, len(samples) // 25)]],
        **disturbed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2400, help="throughput stream size")
    parser.add_argument("--runs", type=int, default=2, help="pipeline runs per worker count (the median is reported)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--latency-seconds", type=float, default=120, help="0 skips the latency run")
    parser.add_argument("--rss-articles", type=int, default=5000, help="0 skips the memory run")
    parser.add_argument("--rss-event-days", type=float, default=14,
                        help="event time the memory stream spans (dedup keeps 7 days)")
    parser.add_argument("--rss-attack-share", type=float, default=0.02)
    parser.add_argument("--french-share", type=float, default=0.0,
                        help="share of French filler in every stream, whose French dev-set articles are added")
    parser.add_argument("--batch-seconds", type=float, default=0.5, help="extract batch wait (the worker default is 0.5 s)")
    parser.add_argument("--timeout", type=float, default=900, help="limit for each wait on the pipeline")
    args = parser.parse_args()
    services = endpoints()
    env = {"NEWSWATCH_WORKER__EXTRACT_BATCH_SECONDS": str(args.batch_seconds)}
    stream = mixed_stream(args.articles, seed=5, id_prefix="tp-", french_share=args.french_share)
    extractors.load_nlp()
    extractor_alone(stream[:32])  # first-call costs (gazetteer, group tables) out of the timings
    load_at_start = os.getloadavg()
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
        "load_average_at_start": load_at_start,
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
    if args.latency_seconds:
        one_worker = result["pipeline"].get("1_worker", {}).get("articles_per_second", extractor_rate)
        result["latency"] = latency(services, round(one_worker / 2, 1), args.latency_seconds, env, args.timeout,
                                    args.french_share)
        progress_note("latency", result["latency"])
    if args.rss_articles:
        result["memory"] = memory(services, args.rss_articles, args.rss_event_days, args.rss_attack_share, env,
                                  interval=2.0, timeout=args.timeout * 2, french_share=args.french_share)
    result["load_average_at_end"] = os.getloadavg()
    print_json(result)


def progress_note(what: str, figures: dict) -> None:
    """Intermediate figures on stderr, so a long run shows where it is; the report is the JSON on stdout."""
    print(f"{what}: {json.dumps(figures)}", file=sys.stderr, flush=True)

if __name__ == "__main__":
    main()
