"""Real workers for the stream benchmarks: isolated topics and indices, readiness, progress, RSS, clean-up.

Builds on tests/integration/pipeline.py (IsolatedPipeline), so a benchmark runs exactly what the
integration tests run: `newswatch worker` subprocesses against the local Kafka and Elasticsearch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition  # noqa: E402
from kafka.errors import KafkaError  # noqa: E402

from deploy.local.services import LocalServices  # noqa: E402
from streams.ingest.producer import ArticleProducer  # noqa: E402
from tests.integration.pipeline import IsolatedPipeline, stop_worker, wait_for  # noqa: E402

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "quetta-2016.txt"
START_TIMEOUT = 300
ALERT_LINE = re.compile(r"\[WARNING\] (New incident|Escalation) — ")


def endpoints():
    """The local Kafka and Elasticsearch (started if needed; NEWSWATCH_HOME picks an existing installation)."""
    return LocalServices().up()


def service_pids() -> dict[str, int]:
    return {name: entry["pid"] for name, entry in LocalServices().status().items()}


def process_tree(pid: int) -> set[int]:
    """A process and all its descendants (a service may run under a wrapper; a worker has an extractor child)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        tree.update(children)
        frontier += children
    return tree


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and all its descendants."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def rss_mib(pid: int, descendants: bool = True) -> float:
    """Resident set size of a process and (by default) its descendants, from /proc (pages shared between them
    count twice)."""
    total_kib = 0
    for member in process_tree(pid) if descendants else (pid,):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total_kib += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    if not total_kib:
        raise RuntimeError(f"no VmRSS for process {pid}")
    return total_kib / 1024


class TopicProgress:
    """Record counts of the pipeline's topics and the workers' group membership, over long-lived clients."""

    def __init__(self, pipeline: IsolatedPipeline):
        self.pipeline = pipeline
        self.consumer = KafkaConsumer(bootstrap_servers=pipeline.kafka_bootstrap)
        self.admin = KafkaAdminClient(bootstrap_servers=pipeline.kafka_bootstrap)

    def records(self, kind: str) -> int:
        name = self.pipeline.topic(kind)
        partitions = [TopicPartition(name, p) for p in self.consumer.partitions_for_topic(name) or ()]
        return sum(self.consumer.end_offsets(partitions).values()) if partitions else 0

    def committed(self, kind: str) -> int:
        offsets = self.admin.list_group_offsets({self.pipeline.app_id: None}).get(self.pipeline.app_id, {})
        return sum(meta.offset for tp, meta in offsets.items() if tp.topic == self.pipeline.topic(kind) and meta.offset > 0)

    def members(self) -> int:
        try:
            group = self.admin.describe_groups([self.pipeline.app_id]).get(self.pipeline.app_id) or {}
        except KafkaError as error:
            if error.retriable:  # e.g. no group coordinator yet on a fresh broker
                return 0
            raise
        return len(group.get("members") or []) if group.get("group_state") == "Stable" else 0

    def done(self, articles: int) -> bool:
        """Every one of `articles` produced articles extracted, and every topic's records committed (so indexed)."""
        return self.records("extractions") >= articles and self.pipeline.drained()

    def close(self) -> None:
        self.consumer.close()
        self.admin.close()


class ChangelogKeys(threading.Thread):
    """Follows a table's changelog topic from the beginning and keeps its live keys (a tombstone removes
    one): the table's size as the worker holds it, read from outside the worker."""

    def __init__(self, pipeline: IsolatedPipeline, table: str):
        super().__init__(daemon=True)
        self.topic = f"{pipeline.app_id}-{table}-changelog"
        self.consumer = KafkaConsumer(bootstrap_servers=pipeline.kafka_bootstrap, enable_auto_commit=False)
        self.keys: set[bytes] = set()
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            partitions = [TopicPartition(self.topic, p) for p in self.consumer.partitions_for_topic(self.topic) or ()]
            self.consumer.assign(partitions)
            self.consumer.seek_to_beginning(*partitions)
            while not self.stopping.is_set():
                for records in self.consumer.poll(timeout_ms=500).values():
                    for record in records:
                        (self.keys.add if record.value is not None else self.keys.discard)(record.key)
        finally:
            self.consumer.close()

    def count(self, prefix: str = "") -> int:
        """Live keys, or those starting with `prefix` (keys are JSON strings: the incident store's "i:…")."""
        quoted = f'"{prefix}'.encode()
        return len(self.keys) if not prefix else sum(1 for key in list(self.keys) if key.startswith(quoted))

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


def topic_records(pipeline: IsolatedPipeline, kind: str, timeout_ms: int = 3000) -> list:
    """Every record (key, JSON value, timestamp) on one of the pipeline's topics, from the beginning."""
    consumer = KafkaConsumer(bootstrap_servers=pipeline.kafka_bootstrap, enable_auto_commit=False,
                             consumer_timeout_ms=timeout_ms, value_deserializer=json.loads,
                             key_deserializer=lambda key: key.decode() if key else None)
    try:
        name = pipeline.topic(kind)
        assigned = [TopicPartition(name, p) for p in consumer.partitions_for_topic(name) or ()]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        return list(consumer)
    finally:
        consumer.close()


@contextlib.contextmanager
def running_workers(services, count: int = 1, extra_env: dict[str, str] | None = None,
                    warm_up_at: dt.datetime | None = None) -> Iterator[tuple[IsolatedPipeline, list, TopicProgress]]:
    """`count` workers on fresh topics and indices, warmed up (spaCy loaded, every agent has run once) on an
    article fetched at `warm_up_at` (default: when Kafka gets it); stopped, and their topics, indices and
    templates deleted, on the way out whatever happens."""
    work_dir = Path(tempfile.mkdtemp(prefix="nwbench-"))
    pipeline = IsolatedPipeline(services.kafka_bootstrap, services.elasticsearch_url, work_dir,
                                extra_env=dict(extra_env or {}))
    processes = []
    progress = None
    try:
        processes = [pipeline.start_worker(f"worker-{n}") for n in range(1, count + 1)]
        progress = TopicProgress(pipeline)
        wait_for(lambda: _alive(processes) and progress.members() == count, START_TIMEOUT,
                 f"{count} worker(s) to join the group ({work_dir})", interval=1.0)
        warm_up(pipeline, progress, warm_up_at)
        yield pipeline, processes, progress
    finally:
        for process in processes:
            stop_worker(process)
        if progress is not None:
            progress.close()
        pipeline.delete_data()
        shutil.rmtree(work_dir, ignore_errors=True)


def warm_up(pipeline: IsolatedPipeline, progress: TopicProgress, at: dt.datetime | None = None) -> None:
    """The seed article through every agent (spaCy, the Elasticsearch client, the sinks), then wait for drain.
    A stream whose event time lies in the past needs `at` before it: dedup expires in arrival order, and the
    alert state's clock is its latest incident update."""
    from extractors.schema import Article

    title, _, text = SEED_ARTICLE.read_text().partition("\n")
    with ArticleProducer(pipeline.kafka_bootstrap, pipeline.topic("raw_articles")) as producer:
        producer.send(Article(id="warm-up-seed", title=title.strip(), text=text, source="warm-up", fetched_at=at))
    wait_for(lambda: progress.done(1), START_TIMEOUT, "the warm-up article to pass through the pipeline", interval=1.0)


def _alive(processes) -> bool:
    dead = [p for p in processes if p.poll() is not None]
    if dead:
        raise RuntimeError(f"worker exited with code {dead[0].returncode}; see its log in the work directory")
    return True


def worker_log_warnings(pipeline: IsolatedPipeline, top: int = 5) -> dict[str, int]:
    """The most frequent warnings and errors in the workers' logs (ids and numbers folded), to tell a disturbed run;
    the log sink's alert lines (the example watches) are left out."""
    counts: dict[str, int] = {}
    for log in pipeline.work_dir.glob("worker-*.log"):
        for line in log.read_text(errors="replace").splitlines():
            message = line.partition("] [")[2].partition("] ")[2]
            if message.startswith(("[WARNING]", "[ERROR]")) and not ALERT_LINE.match(message):
                folded = re.sub(r"\d+", "N", re.sub(r"\b[0-9a-f]{12,}\b", "ID", message))[:100]
                counts[folded] = counts.get(folded, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1])[:top])


def partition_assignments(pipeline: IsolatedPipeline) -> int:
    """Partition assignments so far, summed over the workers' logs (one per worker and rebalance)."""
    return sum(log.read_text(errors="replace").count("Executing _on_partitions_assigned")
               for log in pipeline.work_dir.glob("worker-*.log"))


def print_json(result: dict) -> None:
    print(json.dumps(result, indent=2))
    sys.stdout.flush()

