"""`newswatch watches sync` reaches a running worker: a published watch alerts, a removed one is dropped, no restart;
a starting worker judges nothing before it has read every synced watch."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from kafka import KafkaAdminClient

from extractors.schema import Region, Watch
from streams.runtime.topics import ensure_topics
from streams.settings import TopicSettings
from streams.watches.live_watches import LiveWatches, follow
from streams.watches.sync import publish
from tests.integration.pipeline import wait_for

pytestmark = pytest.mark.integration

START_AND_PROCESS = 180
AT_START = """
watches:
  - id: france
    name: France, every attack
    region: {countries: [FR]}
    sinks: [log]
"""
PUBLISHED = """
watches:
  - id: pakistan-live
    name: Pakistan, added while the worker runs
    region: {countries: [PK]}
    sinks: [log]
"""


@pytest.fixture
def pipeline(pipeline):
    pipeline.use_watches(AT_START)
    return pipeline


def worker_says(pipeline, text: str) -> bool:
    return text in (pipeline.work_dir / "worker.log").read_text(errors="replace")


def test_a_synced_watch_alerts_and_a_removed_one_is_dropped_without_a_restart(pipeline, worker, seed_path):
    wait_for(lambda: pipeline.stable_members() == 1, START_AND_PROCESS, "the worker in its group")
    published = pipeline.work_dir / "published.yaml"
    published.write_text(PUBLISHED)
    pipeline.cli("watches", "sync", str(published))
    wait_for(lambda: worker_says(pipeline, "watches changed: 2 now"), 60, "the worker to take the published watch")

    pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")
    alerts = wait_for(lambda: pipeline.read_topic("alerts"), START_AND_PROCESS, "an alert on the alerts topic")
    assert {alert["watch_id"] for alert in alerts} == {"pakistan-live"}

    published.write_text("watches: []\n")
    pipeline.cli("watches", "sync", str(published))
    wait_for(lambda: worker_says(pipeline, "watches changed: 1 now"), 60, "the worker to drop the removed watch")
    assert pipeline.read_topic("dead_letters") == []


async def test_a_starting_worker_is_caught_up_only_once_it_has_every_synced_watch(services):
    topics = TopicSettings(watches=f"nwtest-{uuid.uuid4().hex[:10]}.watches")
    ensure_topics(services.kafka_bootstrap, topics, keys=["watches"])
    synced = [Watch(id=f"synced-{n}", name="synced", region=Region(countries=["PK"])) for n in range(300)]
    publish(services.kafka_bootstrap, topics.watches, synced, removed=["synced-0"])
    at_start = Watch(id="from-file", name="file", region=Region(countries=["FR"]))
    live = LiveWatches([at_start], check=lambda watches: None)

    async def refuse(error: str, payload: bytes) -> None:
        raise AssertionError(f"refused a synced watch: {error}")

    following = asyncio.ensure_future(follow(services.kafka_bootstrap, topics.watches, live, refuse))
    try:
        await asyncio.wait_for(live.caught_up.wait(), timeout=60)
        assert len(live.index) == 300 and live.index.get("synced-0") is None and live.index.get("from-file")
    finally:
        following.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await following
        admin = KafkaAdminClient(bootstrap_servers=services.kafka_bootstrap)
        admin.delete_topics([topics.watches])
        admin.close()
