"""Alert delivery survives a crash: a worker killed while the webhook has not yet answered delivers the alert
again after the restart (the alerts topic is the outbox), and a clean restart delivers nothing twice."""

from __future__ import annotations

import pytest

from tests.integration.pipeline import stop_worker, wait_for
from tests.streams.alerting.sinks.receivers import WebhookReceiver

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

START_AND_PROCESS = 180
SECRET = "delivery secret"
WATCHES = """
watches:
  - id: pakistan
    name: Pakistan, every attack
    region: {countries: [PK]}
    sinks: [webhook]
"""


@pytest.fixture
def receiver():
    # The first request is answered only after the test is over: the worker is killed while waiting for it.
    receiver = WebhookReceiver(SECRET, delays=[900.0])
    receiver.start()
    assert receiver.ready.wait(timeout=30)
    yield receiver
    receiver.stop()


def delivered_mark(pipeline, alert_id: str) -> str | None:
    document = pipeline.es().get(index=f"{pipeline.index_prefix}-alerts", id=alert_id)
    return document["_source"]["alert"].get("delivered_at")


def test_a_delivery_cut_short_by_a_crash_is_made_after_the_restart_and_only_once(pipeline, receiver, seed_path):
    pipeline.use_watches(WATCHES)
    pipeline.extra_env.update({"NEWSWATCH_ALERTING__SINKS__WEBHOOK__URL": receiver.url,
                               "NEWSWATCH_ALERTING__SINKS__WEBHOOK__SECRET": SECRET,
                               "NEWSWATCH_ALERTING__SINKS__WEBHOOK__TIMEOUT_SECONDS": "300"})
    pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")
    crashing = pipeline.start_worker("worker-crashing")
    try:
        wait_for(lambda: receiver.received, START_AND_PROCESS, "the webhook to receive the alert")
    finally:
        stop_worker(crashing, kill=True)
    [(_, alert)] = receiver.received
    assert delivered_mark(pipeline, alert["id"]) is None, "the first delivery never finished"

    restarted = pipeline.start_worker("worker-restarted")
    try:
        wait_for(lambda: len(receiver.received) == 2, START_AND_PROCESS, "the alert delivered again after the restart")
        wait_for(lambda: delivered_mark(pipeline, alert["id"]), START_AND_PROCESS, "the alert marked delivered")
        wait_for(lambda: pipeline.drained(), START_AND_PROCESS, "the alerts consumed and committed")
    finally:
        stop_worker(restarted)
    assert [body["id"] for _, body in receiver.received] == [alert["id"], alert["id"]]
    assert receiver.bad_signatures == 0

    clean = pipeline.start_worker("worker-clean-restart")
    try:
        wait_for(lambda: pipeline.ready("worker-clean-restart"), START_AND_PROCESS, "the clean restart to be ready")
        wait_for(lambda: pipeline.drained(), START_AND_PROCESS, "the stream consumed")
    finally:
        stop_worker(clean)
    assert len(receiver.received) == 2
    assert len(pipeline.read_topic("alerts")) == 1
