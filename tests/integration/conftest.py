"""Fixtures for tests that cross real Kafka and Elasticsearch."""

from __future__ import annotations

import pytest

from tests.integration.pipeline import IsolatedPipeline, stop_worker


@pytest.fixture
def pipeline(services, tmp_path):
    """The test's own topics and indices, deleted afterwards (their worker logs stay in tmp_path)."""
    pipeline = IsolatedPipeline(services.kafka_bootstrap, services.elasticsearch_url, tmp_path)
    yield pipeline
    pipeline.delete_data()


@pytest.fixture
def worker(pipeline):
    """A running worker for this test's pipeline; stopped (and its log shown on failure) at the end."""
    process = pipeline.start_worker()
    yield process
    stop_worker(process)
    log = pipeline.work_dir / "worker.log"
    if log.exists():
        print(log.read_text(errors="replace")[-5000:])
