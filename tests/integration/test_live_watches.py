"""`newswatch watches sync` reaches a running worker: a published watch alerts, a removed one is dropped, no restart."""

from __future__ import annotations

import pytest

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
