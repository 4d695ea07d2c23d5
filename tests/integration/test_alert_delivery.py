"""Alerts survive a crash: a worker killed while the webhook has not yet answered delivers the alert again after
the restart (the alerts topic is the outbox), and a clean restart delivers nothing twice; a worker killed after
deciding an alert and before the outbox took it (Elasticsearch down) decides it again after the restart."""

from __future__ import annotations

import time

import pytest

from deploy.local.services import LocalServices
from tests.integration.pipeline import stop_worker, wait_for
from tests.streams.alerting.sinks.receivers import WebhookReceiver

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

START_AND_PROCESS = 180
# Time for the alerting agent to take the incident and start waiting for Elasticsearch: a pause, not a wait for
# a result (nothing outside the worker shows that the decision was made).
DECIDING_SECONDS = 5
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


def test_an_alert_decided_before_a_crash_but_never_created_is_decided_again(pipeline, seed_path):
    """The alert state is kept only once the alert is in the outbox and on the alerts topic; kept before (as it
    was), the restarted worker found the alert decided and the alert was lost."""
    pipeline.use_watches(WATCHES.replace("sinks: [webhook]", "sinks: [log]"))
    local = LocalServices()
    crashing = pipeline.start_worker("worker-crashing")
    try:
        wait_for(lambda: pipeline.ready("worker-crashing"), START_AND_PROCESS, "the worker to be ready")
        local.stop("elasticsearch")
        pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")
        wait_for(lambda: pipeline.read_topic("incidents"), START_AND_PROCESS, "the incident merged and sent on")
        time.sleep(DECIDING_SECONDS)
    finally:
        stop_worker(crashing, kill=True)
        local.start("elasticsearch")
    assert pipeline.read_topic("alerts") == [], "no alert went out before the crash"

    restarted = pipeline.start_worker("worker-restarted")
    try:
        wait_for(lambda: [alert["kind"] for alert in pipeline.read_topic("alerts")] == ["new"], START_AND_PROCESS,
                 "the alert decided again after the restart")
        wait_for(lambda: pipeline.drained(), START_AND_PROCESS, "the stream consumed and committed")
    finally:
        stop_worker(restarted)
    assert pipeline.count("alerts") == 1
