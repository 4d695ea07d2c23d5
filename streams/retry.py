"""Retry with capped exponential backoff: the one loop behind Elasticsearch requests, remote sinks and
Kafka delivery from the ingester.

Twenty lines of our own rather than tenacity: each caller needs its own log line, a receiver's
Retry-After, and an attempt that may refuse to start (a sink's open circuit), which read as plainly here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Waits of `base`, 2·`base`, 4·`base` ... seconds, never more than `cap`."""

    base: float
    cap: float

    def delay(self, failures: int, at_least: float | None = None) -> float:
        """The wait after `failures` failures in a row; `at_least` is what the other side asked for (Retry-After)."""
        return min(max(self.base * 2 ** min(failures - 1, 32), at_least or 0.0), self.cap)


async def retry(
    call: Callable[[], Awaitable[T]],
    *,
    transient: Callable[[Exception], bool],
    backoff: Backoff,
    on_retry: Callable[[Exception, int, float], None],
    attempts: int | None = None,
) -> T:
    """`await call()` until it returns; an error `transient` accepts is retried after a backoff (the error's
    `retry_after`, when it has one, lengthens the wait), any other error and the last attempt's are raised.
    `on_retry(error, failures, wait)` reports each retry; `attempts=None` retries for as long as it takes."""
    failures = 0
    while True:
        try:
            return await call()
        except Exception as error:
            failures += 1
            if not transient(error) or (attempts is not None and failures >= attempts):
                raise
            wait = backoff.delay(failures, getattr(error, "retry_after", None))
            on_retry(error, failures, wait)
            await asyncio.sleep(wait)
