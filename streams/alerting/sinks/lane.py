"""One sink's share of delivery: a bounded number of sends at once and a bounded backlog, so that a sink that is
slow or down never holds up the alerts of the others.

Past the backlog bound an alert is dead-lettered for this sink at once (the sink's circuit breaker normally
keeps a failing sink's backlog short; the bound is for a receiver that answers, but slowly).
"""

from __future__ import annotations

import asyncio

from extractors.schema import Alert
from streams.alerting.sinks.base import DeadLetterWriter, Sink, SinkConfigError


class SinkLane:
    def __init__(self, sink: Sink, dead_letter: DeadLetterWriter):
        if sink.concurrency < 1 or sink.max_pending < sink.concurrency:
            raise SinkConfigError(f"sink {sink.display_name!r}: concurrency must be >= 1 and max_pending >= concurrency")
        self.sink = sink
        self.dead_letter = dead_letter
        self.max_pending = sink.max_pending
        self.pending = 0  # alerts waiting for a slot or being sent
        self._slots = asyncio.Semaphore(sink.concurrency)

    async def send(self, alert: Alert) -> bool:
        """As Sink.send: True once delivered, False when dead-lettered (by the sink, or here for a full backlog)."""
        if self.pending >= self.max_pending:
            await self.dead_letter(
                f"sink:{self.sink.display_name}",
                f"{self.pending} alerts already waiting for sink {self.sink.display_name!r} (its max_pending); "
                "the receiver is too slow for the alert rate",
                alert.model_dump(mode="json"))
            return False
        self.pending += 1
        try:
            async with self._slots:
                return await self.sink.send(alert)
        finally:
            self.pending -= 1
