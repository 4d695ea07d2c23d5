"""AlertPublisher: the alert state is kept only once the alerts are out, so a worker that dies while sending
decides them again after the restart; and one incident is decided on by one agent at a time."""

from __future__ import annotations

import asyncio

import pytest

from extractors.schema import Alert, Region, Watch
from streams.alerting.alert_store import AlertStore
from streams.alerting.outbox import InMemoryOutbox
from streams.alerting.publishing import AlertPublisher
from streams.watches.index import WatchIndex
from tests.streams.alert_factories import WHEN, quetta_incident

WATCHES = WatchIndex.build([Watch(id="pk", name="Pakistan", region=Region(countries=["PK"]))])


class WorkerKilled(Exception):
    pass


def publisher_sending_to(store: AlertStore, outbox: InMemoryOutbox, sent: list[Alert], fail: bool = False) -> AlertPublisher:
    async def send(alert: Alert) -> None:
        await asyncio.sleep(0)
        if fail:
            raise WorkerKilled
        sent.append(alert)

    async def refused(alert_id: str, error: str) -> None:
        raise AssertionError(f"{alert_id} refused: {error}")

    return AlertPublisher(store, outbox, send, refused)


def test_an_alert_whose_sending_died_is_decided_and_sent_again_and_only_then_kept():
    states: dict = {}
    store, outbox, sent = AlertStore(states, {}), InMemoryOutbox(), []
    incident = quetta_incident()

    async def run() -> None:
        dying = publisher_sending_to(store, outbox, sent, fail=True)
        with pytest.raises(WorkerKilled):
            await dying.publish(incident.id, lambda: store.decision_on(incident, WATCHES, [], WHEN), WHEN)
        assert states == {} and sent == []
        restarted = publisher_sending_to(store, outbox, sent)
        await restarted.publish(incident.id, lambda: store.decision_on(incident, WATCHES, [], WHEN), WHEN)
        await restarted.publish(incident.id, lambda: store.decision_on(incident, WATCHES, [], WHEN), WHEN)

    asyncio.run(asyncio.wait_for(run(), timeout=10))
    assert [(a.watch_id, a.kind) for a in sent] == [("pk", "new")]
    assert states[incident.id]["watches"]["pk"]["alert_ids"] == [sent[0].id]


def test_two_updates_of_one_incident_at_once_alert_once():
    store, outbox, sent = AlertStore({}, {}), InMemoryOutbox(), []
    publisher = publisher_sending_to(store, outbox, sent)
    first, second = quetta_incident(), quetta_incident(version=2)

    async def run() -> None:
        await asyncio.gather(
            publisher.publish(first.id, lambda: store.decision_on(first, WATCHES, [], WHEN), WHEN),
            publisher.publish(second.id, lambda: store.decision_on(second, WATCHES, [], WHEN), WHEN))

    asyncio.run(asyncio.wait_for(run(), timeout=10))
    assert [(a.watch_id, a.kind) for a in sent] == [("pk", "new")]
