"""Elasticsearch down for 30 s mid-stream: the indexers wait and retry, and every document lands exactly once;
down when the worker starts: the worker waits for it instead of exiting."""

from __future__ import annotations

import time

import pytest

from deploy.local.services import LocalServices
from tests.integration.corpus import article_stream, write_jsonl
from tests.integration.pipeline import stop_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

OUTAGE_SECONDS = 30
PROCESS_ALL = 420
WAIT_LOGGED = 60


def test_every_article_and_incident_indexed_once_across_an_outage(pipeline, tmp_path):
    articles = article_stream(copies=20)
    half = len(articles) // 2
    pipeline.cli("ingest", str(write_jsonl(articles[:half], tmp_path / "first.jsonl")))
    worker = pipeline.start_worker()
    local = LocalServices()
    try:
        wait_for(lambda: pipeline.count("articles") >= 10, PROCESS_ALL, "indexing under way")
        local.stop("elasticsearch")
        pipeline.cli("ingest", str(write_jsonl(articles[half:], tmp_path / "second.jsonl")))
        time.sleep(OUTAGE_SECONDS)  # the outage itself, not a wait for a result
        local.start("elasticsearch")
        wait_for(lambda: pipeline.count("articles") >= len(articles), PROCESS_ALL,
                 "every article indexed after the outage")
        wait_for(pipeline.drained, PROCESS_ALL, "every topic consumed and committed")
    finally:
        stop_worker(worker)
        local.start("elasticsearch")

    indexed = pipeline.search("articles", size=1000)
    assert sorted(doc["_id"] for doc in indexed) == sorted(a["id"] for a in articles)
    streamed = [record["id"] for record in pipeline.read_topic("incidents")]
    incident_docs = pipeline.search("incidents", size=1000)
    assert sorted(doc["_id"] for doc in incident_docs) == sorted(set(streamed))
    latest = {}
    for record in pipeline.read_topic("incidents"):
        latest[record["id"]] = max(latest.get(record["id"], 0), record["version"])
    assert {doc["_id"]: doc["incident"]["version"] for doc in incident_docs} == latest


def test_a_worker_started_while_elasticsearch_is_down_waits_for_it_then_processes(pipeline, seed_path):
    local = LocalServices()
    local.stop("elasticsearch")
    worker = None
    try:
        pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")
        worker = pipeline.start_worker()
        log = pipeline.work_dir / "worker.log"
        wait_for(lambda: "Elasticsearch unavailable" in log.read_text(errors="replace"), WAIT_LOGGED,
                 "the worker to log that it waits for Elasticsearch")
        time.sleep(OUTAGE_SECONDS)  # the outage itself, not a wait for a result
        assert worker.poll() is None, f"the worker exited while Elasticsearch was down:\n{log.read_text()[-3000:]}"
        local.start("elasticsearch")
        wait_for(lambda: pipeline.count("articles") == 1, PROCESS_ALL, "the article indexed once Elasticsearch is back")
    finally:
        local.start("elasticsearch")
        if worker is not None:
            stop_worker(worker)
    assert "retrying creating the index templates" in log.read_text(errors="replace")
