"""The real worker deletes the alert state of an incident that nothing has updated for the incident store's window:
a tombstone for it reaches the `alert-state` changelog, while a recent incident keeps its state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kafka import KafkaConsumer, TopicPartition

from extractors.schema import Article
from streams.ingest.producer import ArticleProducer
from tests.integration.pipeline import stop_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

REPLAY_DATA = Path(__file__).resolve().parents[1] / "data" / "replay"
# Alerting, then the release timer (every 30 s), then the release agent's deletion.
ALERT_AND_EXPIRE = 240


def changelog(bootstrap: str, topic: str) -> list[tuple[str, bytes | None]]:
    """(key, value) of every record on a changelog topic, from the beginning; None is a deletion."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=3000)
    try:
        assigned = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not assigned:
            return []
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        return [(record.key.decode(), record.value) for record in consumer]
    finally:
        consumer.close()


def test_the_alert_state_of_an_incident_quiet_for_the_window_is_deleted(pipeline):
    pipeline.extra_env["NEWSWATCH_WORKER__EXTRACTOR"] = "tests.streams.rule_extractor:extract_batch"
    pipeline.use_watches((REPLAY_DATA / "watches.yaml").read_text())
    records = [json.loads(line) for line in (REPLAY_DATA / "articles.jsonl").read_text().splitlines()]
    # Fetched when published (the stream's event time): the Quetta reports on 10 March, the Peshawar bombing's
    # a month later, so Quetta's incident is past the window when Peshawar's arrives.
    for record in records:
        if record["id"] == "peshawar-market":
            record["published"] = "2026-04-10T18:00:00+00:00"
    articles = [Article.model_validate(record | {"fetched_at": record["published"]}) for record in records]
    topic = f"{pipeline.app_id}-alert-state-changelog"
    worker = pipeline.start_worker()
    try:
        wait_for(lambda: pipeline.ready("worker"), ALERT_AND_EXPIRE, "the worker to start")
        with ArticleProducer(pipeline.kafka_bootstrap, pipeline.topic("raw_articles")) as producer:
            for article in articles:
                producer.send(article)
        def alerted() -> dict[str, str]:
            return {alert["rule"]["id"]: alert["incident"]["id"] for alert in pipeline.search("alerts")}

        watches = wait_for(lambda: (found := alerted()).keys() >= {"balochistan", "peshawar-20km"} and found,
                           ALERT_AND_EXPIRE, "alerts for the Quetta and the Peshawar incidents")
        quetta, peshawar = watches["balochistan"], watches["peshawar-20km"]

        def deleted() -> set[str]:
            return {key for key, value in changelog(pipeline.kafka_bootstrap, topic) if value is None}

        wait_for(lambda: any(quetta in key for key in deleted()), ALERT_AND_EXPIRE,
                 "a tombstone for the Quetta incident on the alert-state changelog")
        assert not any(peshawar in key for key in deleted())
    finally:
        stop_worker(worker)
