"""Running the real pipeline in tests: a worker subprocess with its own topics and indices, and bounded waits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def drop_indices(url: str, prefix: str) -> None:
    """The indices, index templates and component templates under one prefix."""
    from streams.elasticsearch.templates import COMPONENTS, INDEX_KINDS

    client = Elasticsearch(url, request_timeout=60).options(ignore_status=404)
    for kind in INDEX_KINDS:
        client.indices.delete(index=f"{prefix}-{kind}", ignore_unavailable=True)
        client.indices.delete_index_template(name=f"{prefix}-{kind}")
    for component in COMPONENTS:
        client.cluster.delete_component_template(name=f"{prefix}-{component}")


def wait_for(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.5) -> T:
    """Poll until `condition()` is truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass
class IsolatedPipeline:
    """Topic, index and consumer-group names unique to one test, so tests never see each other's records."""

    kafka_bootstrap: str
    elasticsearch_url: str
    work_dir: Path
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    extra_env: dict[str, str] = field(default_factory=dict)
    # A second group over the same topics and indices (dataclasses.replace) replays the stream from scratch.
    group: str = ""

    @property
    def app_id(self) -> str:
        return f"newswatch-test-{self.run_id}{self.group}"

    @property
    def index_prefix(self) -> str:
        return f"nwtest-{self.run_id}"

    def topic(self, kind: str) -> str:
        return f"nwtest-{self.run_id}.{kind}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "NEWSWATCH_ELASTICSEARCH__URL": self.elasticsearch_url,
            "NEWSWATCH_ELASTICSEARCH__INDEX_PREFIX": self.index_prefix,
            "NEWSWATCH_WORKER__APP_ID": self.app_id,
            "NEWSWATCH_WORKER__DATA_DIR": str(self.work_dir / "worker"),
            "NEWSWATCH_WORKER__EXTRACT_BATCH_SECONDS": "0.2",
        })
        for kind in ("raw_articles", "unique_articles", "extractions", "incident_reports", "incidents", "alerts", "dead_letters",
                     "watches"):
            env[f"NEWSWATCH_TOPICS__{kind.upper()}"] = self.topic(kind)
        env.update(self.extra_env)
        return env

    def use_watches(self, yaml_text: str) -> None:
        """The watches file the workers start with."""
        path = self.work_dir / "watches-at-start.yaml"
        path.write_text(yaml_text)
        self.extra_env["NEWSWATCH_WATCHES_FILE"] = str(path)

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=REPO, env=self.env(),
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"newswatch {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        log_path = self.work_dir / f"{name}.log"
        log_file = open(log_path, "ab")  # noqa: SIM115 - closed with the process by stop_worker
        return subprocess.Popen([sys.executable, "-m", "streams.cli", "worker", "--loglevel", "info"],
                                cwd=REPO, env=self.env(), stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def delete_data(self) -> None:
        """The run's topics (ours and Faust's changelogs, of every group), indices and templates."""
        drop_indices(self.elasticsearch_url, self.index_prefix)
        admin = KafkaAdminClient(bootstrap_servers=self.kafka_bootstrap)
        try:
            ours = [t for t in admin.list_topics() if t.startswith((self.topic(""), self.app_id))]
            if ours:
                admin.delete_topics(ours)
        finally:
            admin.close()

    def es(self) -> Elasticsearch:
        return Elasticsearch(self.elasticsearch_url, request_timeout=30)

    def _refreshed_index(self, kind: str) -> str | None:
        index = f"{self.index_prefix}-{kind}"
        client = self.es()
        if not client.indices.exists(index=index):
            return None
        client.indices.refresh(index=index)
        return index

    def search(self, kind: str, query: dict | None = None, size: int = 100) -> list[dict]:
        index = self._refreshed_index(kind)
        if index is None:
            return []
        hits = self.es().search(index=index, query=query or {"match_all": {}}, size=size)["hits"]["hits"]
        return [hit["_source"] | {"_id": hit["_id"]} for hit in hits]

    def count(self, kind: str) -> int:
        index = self._refreshed_index(kind)
        return 0 if index is None else self.es().count(index=index)["count"]

    def read_topic(self, kind: str, timeout_ms: int = 3000) -> list[dict]:
        """Every record on one of the pipeline's topics, from the beginning."""
        consumer = KafkaConsumer(bootstrap_servers=self.kafka_bootstrap, auto_offset_reset="earliest",
                                 enable_auto_commit=False, consumer_timeout_ms=timeout_ms)
        try:
            name = self.topic(kind)
            partitions = consumer.partitions_for_topic(name) or set()
            assigned = [TopicPartition(name, p) for p in partitions]
            if not assigned:
                return []
            consumer.assign(assigned)
            consumer.seek_to_beginning(*assigned)
            return [json.loads(record.value) for record in consumer]
        finally:
            consumer.close()

    def stable_members(self) -> int:
        """How many workers the group has once it is stable (assignment done); 0 while it rebalances."""
        admin = KafkaAdminClient(bootstrap_servers=self.kafka_bootstrap)
        try:
            group = admin.describe_groups([self.app_id]).get(self.app_id) or {}
            return len(group.get("members") or ()) if group.get("group_state") == "Stable" else 0
        finally:
            admin.close()

    def ready(self, *names: str) -> bool:
        """True when every named worker has finished its latest rebalance (Faust logs "Worker ready" after
        recovering its tables); the group's "Stable" state comes earlier, while recovery still runs."""
        for name in names:
            log = (self.work_dir / f"{name}.log").read_text(errors="replace")
            assigned = log.rfind("Executing _on_partitions_assigned")
            if assigned < 0 or log.find("Worker ready", assigned) < 0:
                return False
        return True

    def drained(self, kinds: tuple[str, ...] = ("raw_articles", "unique_articles", "extractions",
                                                    "incident_reports", "incidents", "alerts")) -> bool:
        """True when the worker's group has committed every record on the given topics."""
        admin = KafkaAdminClient(bootstrap_servers=self.kafka_bootstrap)
        consumer = KafkaConsumer(bootstrap_servers=self.kafka_bootstrap)
        try:
            committed = admin.list_group_offsets({self.app_id: None}).get(self.app_id, {})
            for kind in kinds:
                name = self.topic(kind)
                partitions = [TopicPartition(name, p) for p in consumer.partitions_for_topic(name) or ()]
                for partition, end in consumer.end_offsets(partitions).items():
                    done = committed.get(partition)
                    if end and (done is None or done.offset < end):
                        return False
            return True
        finally:
            consumer.close()
            admin.close()


def stop_worker(process: subprocess.Popen, kill: bool = False, timeout: float = 60) -> None:
    """SIGTERM (a clean Faust shutdown) or SIGKILL (a crash) to the worker's process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    if process.stdout:
        process.stdout.close()
