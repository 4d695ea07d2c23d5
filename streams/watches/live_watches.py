"""Every alerting worker's copy of the watches: the watches file at start, then each change `watches sync` publishes.

The watches topic is compacted and keyed by watch id: a record adds or replaces a watch, a tombstone removes
it. Every worker reads the whole topic itself, outside the consumer group, so each one holds every watch.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable

from extractors.schema import Watch
from streams.watches.errors import WatchError
from streams.watches.index import WatchIndex
from streams.watches.loading import parse_watches

log = logging.getLogger(__name__)

POLL_MS = 1000

Rejection = Callable[[str, bytes], Awaitable[None]]


class LiveWatches:
    """The watches matched against incidents; `index` is replaced whole once a batch of changes is applied.

    `caught_up` is set once the topic has been read to its end at start: agents wait for it, so that an
    incident or alert is never judged by the watches file alone while the synced watches are still on the way.
    """

    def __init__(self, initial: list[Watch], check: Callable[[list[Watch]], None]):
        self._by_id = {watch.id: watch for watch in initial}
        self._check = check
        self.index = WatchIndex.build(initial)
        self.stale = False
        self.caught_up = asyncio.Event()

    def apply(self, records: Iterable[tuple[bytes | None, bytes | None]]) -> list[tuple[str, bytes]]:
        """Apply (watch id, watch JSON or None) records; returns the (error, payload) of each one refused."""
        refused: list[tuple[str, bytes]] = []
        for key, value in records:
            watch_id = (key or b"").decode("utf-8", errors="replace")
            if value is None:
                self.stale |= self._by_id.pop(watch_id, None) is not None
                continue
            try:
                [watch] = parse_watches([json.loads(value)], source=f"watches topic record {watch_id!r}")
                self._check([watch])
            except (ValueError, WatchError) as error:
                refused.append((str(error), value))
                continue
            self._by_id[watch.id] = watch
            self.stale = True
        return refused

    async def rebuild(self) -> None:
        """Index the applied changes; in a thread, since 10,000 watches take about a second."""
        self.stale = False
        self.index = await asyncio.to_thread(WatchIndex.build, list(self._by_id.values()))
        log.info("watches changed: %d now", len(self.index))


async def follow(bootstrap_servers: str, topic: str, live: LiveWatches, refused: Rejection) -> None:
    """Read the watches topic from its beginning and keep applying it until the worker stops."""
    from aiokafka import AIOKafkaConsumer

    # No group: every partition, from the beginning, in every worker.
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", client_id="newswatch-watches")
    await consumer.start()
    try:
        while True:
            batches = await consumer.getmany(timeout_ms=POLL_MS)
            for error, payload in live.apply((r.key, r.value) for rs in batches.values() for r in rs):
                await refused(error, payload)
            starting = not live.caught_up.is_set()
            at_end = await _read_to_end(consumer) if starting else not batches
            # Rebuild once a sync has arrived whole, not once per batch of it.
            if live.stale and at_end:
                await live.rebuild()
            if starting and at_end:
                live.caught_up.set()
    finally:
        await consumer.stop()


async def _read_to_end(consumer) -> bool:
    """Whether the consumer has read every partition of its topic up to the end it has now."""
    partitions = consumer.assignment()
    if not partitions:
        return False
    ends = await consumer.end_offsets(list(partitions))
    for partition, end in ends.items():
        if await consumer.position(partition) < end:
            return False
    return True
