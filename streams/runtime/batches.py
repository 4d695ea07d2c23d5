"""Batches of a Faust stream's events, acknowledged only after the agent has handled them.

Faust's `Stream.take` fills its batch from a background processor that hands records to the reader through
shared futures, which we could not show to be safe when a batch times out while another is handled; here one
reader awaits the stream, and a read that outlasts the batch deadline is kept for the next batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import faust


async def event_batches(stream: faust.StreamT, max_size: int, within: float) -> AsyncIterator[list[faust.EventT]]:
    """Yield up to `max_size` events, or fewer once `within` seconds have passed since the batch's first event.

    The batch's events are acknowledged when the agent asks for the next batch, so a worker that dies while
    handling a batch has the whole batch delivered again.
    """
    manual = stream.noack()
    events = manual.events().__aiter__()
    loop = asyncio.get_running_loop()
    reading: asyncio.Future | None = None
    try:
        while True:
            batch: list[faust.EventT] = []
            deadline: float | None = None
            ended = False
            while len(batch) < max_size:
                if reading is None:
                    reading = asyncio.ensure_future(events.__anext__())
                timeout = None if deadline is None else max(0.0, deadline - loop.time())
                done, _ = await asyncio.wait({reading}, timeout=timeout)
                if not done:
                    break
                finished, reading = reading, None
                try:
                    batch.append(finished.result())
                except StopAsyncIteration:
                    ended = True
                    break
                if deadline is None:
                    deadline = loop.time() + within
            if batch:
                yield batch
                for event in batch:
                    await manual.ack(event)
            if ended:
                return
    finally:
        if reading is not None:
            reading.cancel()
