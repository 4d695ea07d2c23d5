"""Delivering an alert from the outbox to the sinks of its watch, at most once per delivered mark.

A record of an alert may arrive twice (published again after a crash, or by a replaying group): the
outbox's delivered mark makes the second one a no-op, and a second record arriving while the first is
still under way waits for it, then finds the mark, instead of sending the alert a second time at once.
An alert that every sink dead-lettered gets no mark (it is in the dead letters).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Literal

from extractors.schema import Alert
from streams.alerting.outbox import Outbox
from streams.alerting.sinks import Dispatcher
from streams.watches.index import WatchIndex

log = logging.getLogger(__name__)

Outcome = Literal["delivered", "dead-lettered", "delivered before", "watch removed"]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class AlertDelivery:
    def __init__(self, outbox: Outbox, dispatcher: Dispatcher, watches: Callable[[], WatchIndex],
                 clock: Callable[[], dt.datetime] = utc_now):
        self.outbox = outbox
        self.dispatcher = dispatcher
        self.watches = watches
        self.clock = clock
        self._under_way: dict[str, asyncio.Event] = {}  # alert id -> set when its delivery ends

    async def deliver(self, alert: Alert) -> Outcome:
        while alert.id in self._under_way:
            await self._under_way[alert.id].wait()
        self._under_way[alert.id] = ended = asyncio.Event()
        try:
            return await self._deliver(alert)
        finally:
            del self._under_way[alert.id]
            ended.set()

    async def _deliver(self, alert: Alert) -> Outcome:
        watch = self.watches().get(alert.watch_id)
        if watch is None:
            log.warning("alert %s not delivered: watch %r was removed", alert.id, alert.watch_id)
            return "watch removed"
        if alert.id not in await self.outbox.undelivered([alert.id]):
            log.info("alert %s was delivered before (or is not in the outbox)", alert.id)
            return "delivered before"
        if not await self.dispatcher.deliver(watch, alert):
            log.info("alert %s: every sink of watch %r dead-lettered it; it stays without a delivered mark",
                     alert.id, watch.id)
            return "dead-lettered"
        await self.outbox.mark_delivered(alert, self.clock())
        return "delivered"
