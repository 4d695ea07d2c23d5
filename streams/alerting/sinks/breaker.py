"""A circuit breaker for one remote sink: after `failures` failed attempts in a row the receiver is left alone
for `reset_seconds`, and the sink's alerts go straight to the dead letters instead of each spending a minute
on timeouts and retries; then one trial attempt decides whether it closes again.

Only transient failures (no answer, timeouts, 5xx) count: a receiver that refuses one alert has answered.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    def __init__(self, failures: int = 5, reset_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.reset_seconds = reset_seconds
        self.clock = clock
        self.consecutive_failures = 0
        self.last_error = ""
        self._opened_at: float | None = None
        self._trial_under_way = False

    @property
    def open(self) -> bool:
        return self._opened_at is not None

    def allows_attempt(self) -> bool:
        """True when an attempt may go out: the circuit is closed, or it is time for the one trial attempt."""
        if self._opened_at is None:
            return True
        if self._trial_under_way or self.clock() - self._opened_at < self.reset_seconds:
            return False
        self._trial_under_way = True
        return True

    def succeeded(self) -> None:
        """The receiver answered (delivered, or refused this one alert)."""
        self.consecutive_failures = 0
        self._opened_at = None
        self._trial_under_way = False

    def failed(self, error: str) -> bool:
        """Count a failed attempt; True when this one opened the circuit (it was closed before)."""
        self.consecutive_failures += 1
        self.last_error = error
        self._trial_under_way = False
        if self.consecutive_failures < self.failures:
            return False
        was_closed = self._opened_at is None
        self._opened_at = self.clock()
        return was_closed

    def abandoned(self) -> None:
        """An attempt that ended without an answer either way (cancelled at shutdown): let another one try."""
        self._trial_under_way = False

    def reason(self) -> str:
        """Why an alert was not attempted, for its dead letter."""
        opened_at = self.clock() if self._opened_at is None else self._opened_at
        retry_in = max(0.0, self.reset_seconds - (self.clock() - opened_at))
        return (f"circuit open after {self.consecutive_failures} failed attempts in a row (last: {self.last_error}); "
                f"next trial in {retry_in:.0f} s")
