"""A sink that hangs and a sink that fails hold up neither a healthy sink nor each other, and an alert that
every sink of its watch dead-lettered gets no delivered mark."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from kafka import KafkaProducer

from extractors.schema import Location
from tests.integration.pipeline import stop_worker, wait_for
from tests.streams.alert_factories import quetta_incident
from tests.streams.alerting.sinks.receivers import WebhookReceiver

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

START = 180
HEALTHY_WAIT = 120  # the hanging receiver's requests are only answered at the end of the test
SECRET = "isolation secret"
HANGING_ALERTS = 70  # more than the 64 deliveries the agent ran side by side before sinks had lanes
FAILING_ALERTS = 3
HEALTHY_ALERTS = 5
WATCHES = """
watches:
  - id: to-hanging
    name: Afghanistan, to a receiver that never answers
    region: {countries: [AF]}
    sinks: [hanging]
  - id: to-failing
    name: India, to a receiver that answers 500
    region: {countries: [IN]}
    sinks: [failing]
  - id: to-healthy
    name: Pakistan
    region: {countries: [PK]}
    sinks: [healthy]
"""


@pytest.fixture
def receivers():
    started = {"hanging": WebhookReceiver(SECRET, hang=True), "failing": WebhookReceiver(SECRET, status=500),
               "healthy": WebhookReceiver(SECRET)}
    for receiver in started.values():
        receiver.start()
        assert receiver.ready.wait(timeout=30)
    yield started
    for receiver in started.values():
        receiver.stop()


def incidents(country: str, count: int) -> list:
    now = dt.datetime.now(dt.timezone.utc)
    return [quetta_incident(id=f"{country.lower()}-{number}", first_seen=now, last_updated=now,
                            location=Location(city=f"Town {number}", country=country, precision="city"))
            for number in range(count)]


def delivered_marks(pipeline, watch_id: str) -> list:
    return [doc["alert"].get("delivered_at") for doc in pipeline.search("alerts", size=200)
            if doc["rule"]["id"] == watch_id]


def test_a_hanging_and_a_failing_sink_hold_up_neither_the_healthy_one_nor_each_other(pipeline, receivers):
    pipeline.use_watches(WATCHES)
    for name, receiver in receivers.items():
        prefix = f"NEWSWATCH_ALERTING__SINKS__{name.upper()}__"
        pipeline.extra_env.update({f"{prefix}TYPE": "webhook", f"{prefix}URL": receiver.url, f"{prefix}SECRET": SECRET})
    pipeline.extra_env.update({"NEWSWATCH_ALERTING__SINKS__HANGING__TIMEOUT_SECONDS": "900",
                               "NEWSWATCH_ALERTING__SINKS__FAILING__MAX_ATTEMPTS": "2",
                               "NEWSWATCH_ALERTING__SINKS__FAILING__BACKOFF_SECONDS": "0.1"})
    worker = pipeline.start_worker()
    producer = KafkaProducer(bootstrap_servers=pipeline.kafka_bootstrap, acks="all", key_serializer=str.encode,
                             value_serializer=lambda value: json.dumps(value).encode())
    try:
        wait_for(lambda: pipeline.ready("worker"), START, "the worker to be ready")
        for incident in incidents("AF", HANGING_ALERTS) + incidents("IN", FAILING_ALERTS) + incidents("PK", HEALTHY_ALERTS):
            producer.send(pipeline.topic("incidents"), key=incident.id, value=incident.model_dump(mode="json"))
        producer.flush(timeout=60)
        wait_for(lambda: len(receivers["healthy"].received) == HEALTHY_ALERTS, HEALTHY_WAIT,
                 "the healthy sink's alerts while another sink hangs")
        def failing_dead_letters() -> list[dict]:
            found = [d for d in pipeline.read_topic("dead_letters") if d["stage"] == "sink:failing"]
            return found if len(found) >= FAILING_ALERTS else []

        failed = wait_for(failing_dead_letters, HEALTHY_WAIT, "the failing sink's alerts dead-lettered")
        wait_for(lambda: all(delivered_marks(pipeline, "to-healthy")), HEALTHY_WAIT, "the healthy alerts marked delivered")
        hanging_requests = len(receivers["hanging"].received)
        marks = {watch: delivered_marks(pipeline, watch) for watch in ("to-hanging", "to-failing", "to-healthy")}
    finally:
        producer.close()
        stop_worker(worker)

    assert 1 <= hanging_requests <= 8, "the hanging sink holds at most its lane's 8 sends at once"
    assert len(failed) == FAILING_ALERTS
    # Two attempts each, until the sink's circuit breaker opens after 5 failures in a row.
    assert all(letter["error"].startswith(("still failing after 2 attempts: HTTP 500", "circuit open after 5 failed"))
               for letter in failed)
    assert len(marks["to-healthy"]) == HEALTHY_ALERTS and all(marks["to-healthy"])
    assert marks["to-failing"] == [None] * FAILING_ALERTS, "dead-lettered by every sink: no delivered mark"
    assert marks["to-hanging"] == [None] * HANGING_ALERTS
    assert sum(receiver.bad_signatures for receiver in receivers.values()) == 0
