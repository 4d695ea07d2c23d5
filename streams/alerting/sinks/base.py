"""What every sink shares: a name, required options, `send(alert)`, and (for remote sinks) retries, a circuit
breaker and dead letters."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import ClassVar

from extractors.schema import Alert
from streams.alerting.sinks.breaker import CircuitBreaker
from streams.retry import Backoff, retry

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


class CircuitOpen(Exception):
    """The sink's circuit breaker refuses attempts for now; the message says until when."""


class Sink(ABC):
    name: ClassVar[str]
    required: ClassVar[frozenset[str]] = frozenset()
    # Set by the registry: the configured name (two webhooks are both of type "webhook"), and the bounds of the
    # sink's lane in the dispatcher (sends at once, alerts waiting or under way; streams.alerting.sinks.lane).
    label: str = ""
    concurrency: int = 8
    max_pending: int = 1000

    @property
    def display_name(self) -> str:
        return self.label or self.name

    async def start(self) -> None:
        """Open connections; called once before the first alert."""

    async def close(self) -> None:
        """Release connections; called once at shutdown."""

    @abstractmethod
    async def send(self, alert: Alert) -> bool:
        """Deliver one alert: True once delivered, False when it went to the dead letters instead (never raises
        for a delivery failure)."""


class RetryingSink(Sink):
    """A remote sink: transient failures are retried with exponential backoff, then the alert is dead-lettered.
    After `breaker_failures` failed attempts in a row (over all alerts), attempts stop for
    `breaker_reset_seconds` and alerts are dead-lettered at once (streams.alerting.sinks.breaker)."""

    def __init__(self, dead_letter: DeadLetterWriter, max_attempts: int = 5, backoff_seconds: float = 1.0,
                 max_backoff_seconds: float = 30.0, breaker_failures: int = 5, breaker_reset_seconds: float = 60.0):
        if max_attempts < 1 or backoff_seconds < 0 or max_backoff_seconds < backoff_seconds:
            raise SinkConfigError(
                "max_attempts must be >= 1 and 0 <= backoff_seconds <= max_backoff_seconds"
            )
        if breaker_failures < 1 or breaker_reset_seconds <= 0:
            raise SinkConfigError("breaker_failures must be >= 1 and breaker_reset_seconds > 0")
        self.dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.backoff = Backoff(backoff_seconds, max_backoff_seconds)
        self.breaker = CircuitBreaker(breaker_failures, breaker_reset_seconds)

    @abstractmethod
    async def deliver(self, alert: Alert) -> None:
        """One attempt; raises TransientDeliveryError or PermanentDeliveryError."""

    async def send(self, alert: Alert) -> bool:
        attempts = 0

        async def attempt() -> None:
            nonlocal attempts
            if not self.breaker.allows_attempt():
                raise CircuitOpen(self.breaker.reason())
            attempts += 1
            try:
                await self.deliver(alert)
            except PermanentDeliveryError:
                self.breaker.succeeded()
                raise
            except TransientDeliveryError as error:
                if self.breaker.failed(str(error)):
                    log.error("sink %s: %d failed attempts in a row; its alerts go to the dead letters for %.0f s, "
                              "then one trial attempt", self.display_name, self.breaker.failures, self.breaker.reset_seconds)
                raise
            except BaseException:
                self.breaker.abandoned()
                raise
            self.breaker.succeeded()

        try:
            await retry(
                attempt,
                transient=lambda error: isinstance(error, TransientDeliveryError),
                backoff=self.backoff,
                attempts=self.max_attempts,
                on_retry=lambda error, failures, wait: log.warning(
                    "sink %s: alert %s attempt %d failed (%s); retrying in %.1f s",
                    self.display_name, alert.id, failures, error, wait),
            )
        except CircuitOpen as error:
            return await self._give_up(alert, str(error), attempts)
        except PermanentDeliveryError as error:
            return await self._give_up(alert, f"rejected: {error}", attempts)
        except TransientDeliveryError as error:
            return await self._give_up(alert, f"still failing after {attempts} attempts: {error}", attempts)
        return True

    async def _give_up(self, alert: Alert, reason: str, attempts: int) -> bool:
        log.error("sink %s: alert %s not delivered (%s); sent to dead letters", self.display_name, alert.id, reason)
        await self.dead_letter(f"sink:{self.display_name}", f"{reason} ({attempts} attempt(s))", alert.model_dump(mode="json"))
        return False
