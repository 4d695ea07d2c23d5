"""AlertDelivery: an alert delivered once per delivered mark, a second record of it waits for the first."""

from __future__ import annotations

import asyncio
import datetime as dt

from extractors.schema import Alert, Watch
from streams.alerting.delivery import AlertDelivery
from streams.alerting.outbox import InMemoryOutbox
from streams.watches.index import WatchIndex
from tests.streams.alerting.sinks.sample import WATCH, sample_alert

NOW = dt.datetime(2016, 10, 25, 4, tzinfo=dt.timezone.utc)


class RecordingDispatcher:
    """Delivers to every sink the watch names after `delay`, or to none when `refuse`."""

    def __init__(self, delay: float = 0.0, refuse: bool = False):
        self.sent: list[str] = []
        self.delay = delay
        self.refuse = refuse

    async def deliver(self, watch: Watch, alert: Alert) -> list[str]:
        await asyncio.sleep(self.delay)
        if self.refuse:
            return []
        self.sent.append(alert.id)
        return list(watch.sinks)


async def created(alert: Alert) -> InMemoryOutbox:
    outbox = InMemoryOutbox()
    await outbox.create([alert], NOW)
    return outbox


async def test_delivered_once_then_marked():
    alert = sample_alert()
    outbox, dispatcher = await created(alert), RecordingDispatcher()
    delivery = AlertDelivery(outbox, dispatcher, lambda: WatchIndex.build([WATCH]), clock=lambda: NOW)
    assert await delivery.deliver(alert) == "delivered"
    assert await delivery.deliver(alert) == "delivered before"
    assert dispatcher.sent == [alert.id] and outbox.delivered_at == {alert.id: NOW}


async def test_a_second_record_under_way_waits_for_the_first():
    alert = sample_alert()
    outbox, dispatcher = await created(alert), RecordingDispatcher(delay=0.05)
    delivery = AlertDelivery(outbox, dispatcher, lambda: WatchIndex.build([WATCH]), clock=lambda: NOW)
    outcomes = await asyncio.gather(delivery.deliver(alert), delivery.deliver(alert))
    assert outcomes == ["delivered", "delivered before"] and dispatcher.sent == [alert.id]


async def test_no_mark_when_every_sink_dead_lettered_it_and_nothing_for_a_removed_watch():
    alert = sample_alert()
    outbox = await created(alert)
    refused = AlertDelivery(outbox, RecordingDispatcher(refuse=True), lambda: WatchIndex.build([WATCH]), clock=lambda: NOW)
    assert await refused.deliver(alert) == "dead-lettered"
    assert await outbox.undelivered([alert.id]) == {alert.id}
    removed = AlertDelivery(outbox, RecordingDispatcher(), lambda: WatchIndex.build([]), clock=lambda: NOW)
    assert await removed.deliver(alert) == "watch removed"
