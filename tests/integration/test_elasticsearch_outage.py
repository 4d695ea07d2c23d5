"""Elasticsearch down for 30 s mid-stream: the indexers wait and retry, and every document lands exactly once."""

from __future__ import annotations

import time

import pytest

from deploy.local.services import LocalServices
from tests.integration.corpus import article_stream, write_jsonl
from tests.integration.pipeline import stop_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

OUTAGE_SECONDS = 30
PROCESS_ALL = 420


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
