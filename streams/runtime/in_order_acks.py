"""Work on many records of a stream at once, acknowledging them in offset order whatever order the work ends in.

An agent with `concurrency=N` acknowledges each record when its own actor is done, out of order. Faust then
commits the longest run of acknowledged offsets, but its check for an unfinished record at the head of a
partition misses one right after the committed offset (and any at a partition's offset 0): a slow delivery
there was committed over by the fast ones behind it, and lost if the worker died before it ended. Here a
record is acknowledged only once it and every earlier record of its partition are done, so a crash re-reads
from the oldest unfinished one.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine

import faust

log = logging.getLogger(__name__)


class InOrderAcks:
    def __init__(self, ack: Callable[[faust.EventT], Awaitable], limit: int):
        self._ack = ack
        self._room = asyncio.Semaphore(limit)
        # Per partition, the records started and not yet acknowledged, in offset order: offset -> [event, done].
        self._started: dict[tuple[str, int], OrderedDict[int, list]] = {}
        self._tasks: set[asyncio.Task] = set()

    async def start(self, event: faust.EventT, work: Coroutine) -> None:
        """Wait until fewer than `limit` records are under way, then run `work` for `event` in the background."""
        await self._room.acquire()
        self._record(event)
        task = asyncio.ensure_future(self._run(event, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def skip(self, event: faust.EventT) -> None:
        """A record with nothing to do (already dead-lettered): acknowledged in its turn."""
        self._record(event)
        await self._finish(event)

    def _record(self, event: faust.EventT) -> None:
        message = event.message
        started = self._started.setdefault((message.topic, message.partition), OrderedDict())
        if started and message.offset <= next(reversed(started)):
            # The partition was read again from an earlier offset (a rebalance): the records still under way
            # from before will be read again too, so their acknowledgements no longer matter.
            started.clear()
        started[message.offset] = [event, False]

    async def _run(self, event: faust.EventT, work: Coroutine) -> None:
        try:
            await work
        except Exception:  # noqa: BLE001 - the work's owner dead-letters what it can; this is a bug, logged
            message = event.message
            log.exception("work on %s[%d]@%d failed; acknowledging it so the partition is not blocked for good",
                          message.topic, message.partition, message.offset)
        finally:
            self._room.release()
            await self._finish(event)

    async def _finish(self, event: faust.EventT) -> None:
        message = event.message
        started = self._started[(message.topic, message.partition)]
        entry = started.get(message.offset)
        if entry is None or entry[0] is not event:
            return
        entry[1] = True
        while started and next(iter(started.values()))[1]:
            _, (done, _) = started.popitem(last=False)
            await self._ack(done)
