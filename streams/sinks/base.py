"""What every sink shares: a name, required options, `send(alert)`, and (for remote sinks) retries and dead letters."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import ClassVar

from extractors.schema import Alert

log = logging.getLogger(__name__)

DeadLetterWriter = Callable[[str, str, dict], Awaitable[None]]
"""(stage, error, payload): how a sink parks an alert it could not deliver (e.g. Pipeline.dead_letter)."""


class SinkConfigError(ValueError):
    """A sink that cannot start with the options it was given; the message names the sink and the option."""


class TransientDeliveryError(Exception):
    """Worth retrying: the receiver is down, slow, or asked us to come back (optionally after `retry_after` s)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentDeliveryError(Exception):
    """Retrying will not help (the receiver rejected the alert): dead-letter it at once."""


class Sink(ABC):
    name: ClassVar[str]
    required: ClassVar[frozenset[str]] = frozenset()
    label: str = ""  # the configured name (two webhooks are both of type "webhook"); set by the registry

    @property
    def display_name(self) -> str:
        return self.label or self.name

    async def start(self) -> None:
        """Open connections; called once before the first alert."""

    async def close(self) -> None:
        """Release connections; called once at shutdown."""

    @abstractmethod
    async def send(self, alert: Alert) -> None:
        """Deliver one alert; never raises for a delivery failure (that becomes a dead letter)."""


class RetryingSink(Sink):
    """A remote sink: transient failures are retried with exponential backoff, then the alert is dead-lettered."""

    def __init__(self, dead_letter: DeadLetterWriter, max_attempts: int = 5, backoff_seconds: float = 1.0,
                 max_backoff_seconds: float = 30.0):
        if max_attempts < 1 or backoff_seconds < 0 or max_backoff_seconds < backoff_seconds:
            raise SinkConfigError(
                "max_attempts must be >= 1 and 0 <= backoff_seconds <= max_backoff_seconds"
            )
        self.dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds

    @abstractmethod
    async def deliver(self, alert: Alert) -> None:
        """One attempt; raises TransientDeliveryError or PermanentDeliveryError."""

    async def send(self, alert: Alert) -> None:
        delay = self.backoff_seconds
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self.deliver(alert)
                return
            except PermanentDeliveryError as error:
                await self._give_up(alert, f"rejected: {error}", attempt)
                return
            except TransientDeliveryError as error:
                if attempt == self.max_attempts:
                    await self._give_up(alert, f"still failing after {attempt} attempts: {error}", attempt)
                    return
                wait = min(max(delay, error.retry_after or 0), self.max_backoff_seconds)
                log.warning("sink %s: alert %s attempt %d failed (%s); retrying in %.1f s",
                            self.display_name, alert.id, attempt, error, wait)
                await asyncio.sleep(wait)
                delay = min(delay * 2, self.max_backoff_seconds)

    async def _give_up(self, alert: Alert, reason: str, attempts: int) -> None:
        log.error("sink %s: alert %s not delivered (%s); sent to dead letters", self.display_name, alert.id, reason)
        await self.dead_letter(f"sink:{self.display_name}", f"{reason} ({attempts} attempt(s))", alert.model_dump(mode="json"))
