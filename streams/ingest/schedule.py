"""When to poll a feed next and what its health is, after each poll: plain functions of the state and `now`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import random
from dataclasses import dataclass

from streams.ingest.store import FeedState
from streams.retry import Backoff

LATENCY_WEIGHT = 0.2  # of the newest sample in the moving average


@dataclass(frozen=True)
class PollTiming:
    """The subset of feed settings that decides timing (FeedSettings fields of the same names)."""

    default_interval_seconds: float = 900
    jitter: float = 0.1
    backoff_base_seconds: float = 60
    backoff_cap_seconds: float = 6 * 3600
    max_retry_after_seconds: float = 24 * 3600
    quarantine_seconds: float = 6 * 3600


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Retry-After as seconds from `now`: either delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - now)


def backoff_seconds(failures: int, timing: PollTiming) -> float:
    """Doubling from the base with each consecutive failure, capped."""
    return Backoff(timing.backoff_base_seconds, timing.backoff_cap_seconds).delay(max(failures, 1))


def jittered(seconds: float, jitter: float, rng: random.Random) -> float:
    """Spread polls so feeds configured together do not stay in lockstep."""
    return seconds * (1 + rng.uniform(-jitter, jitter))


def _latency(previous: float | None, elapsed: float) -> float:
    sample = elapsed * 1000
    return sample if previous is None else (1 - LATENCY_WEIGHT) * previous + LATENCY_WEIGHT * sample


def after_success(
    state: FeedState,
    *,
    now: float,
    interval: float | None,
    elapsed: float,
    http_status: int,
    new_items: int,
    timing: PollTiming,
    rng: random.Random,
) -> FeedState:
    return dataclasses.replace(
        state,
        status="ok",
        next_poll_at=now + jittered(interval or timing.default_interval_seconds, timing.jitter, rng),
        last_success_at=now,
        last_http_status=http_status,
        consecutive_failures=0,
        polls=state.polls + 1,
        items_total=state.items_total + new_items,
        latency_ms=_latency(state.latency_ms, elapsed),
    )


def after_failure(
    state: FeedState,
    error: str,
    *,
    now: float,
    quarantine: bool,
    retry_after: float | None,
    http_status: int | None,
    elapsed: float | None,
    timing: PollTiming,
    rng: random.Random,
) -> FeedState:
    """Failing feeds back off exponentially; a server's Retry-After is obeyed as given (up to a cap);
    quarantined feeds (hostile or not feeds at all) wait at least feeds.quarantine_seconds."""
    failures = state.consecutive_failures + 1
    if retry_after is not None:
        delay = min(retry_after, timing.max_retry_after_seconds)
        delay += rng.uniform(0, timing.jitter) * delay
    else:
        delay = jittered(backoff_seconds(failures, timing), timing.jitter, rng)
    if quarantine:
        delay = max(delay, timing.quarantine_seconds)
    return dataclasses.replace(
        state,
        status="quarantined" if quarantine else "failing",
        next_poll_at=now + delay,
        last_error_at=now,
        last_error=error,
        last_http_status=http_status,
        consecutive_failures=failures,
        polls=state.polls + 1,
        latency_ms=state.latency_ms if elapsed is None else _latency(state.latency_ms, elapsed),
    )


def after_gone(state: FeedState, *, now: float, url: str) -> FeedState:
    """410 Gone: the publisher says the feed will not come back, so it is not polled again until re-enabled."""
    reason = f"{url} answered 410 Gone; re-enable with `newswatch feeds enable {state.url}` if it returns"
    return dataclasses.replace(
        state,
        status="disabled",
        disabled_reason=reason,
        next_poll_at=None,
        last_error_at=now,
        last_error=reason,
        last_http_status=410,
        consecutive_failures=state.consecutive_failures + 1,
        polls=state.polls + 1,
    )


def reenabled(state: FeedState) -> FeedState:
    """A disabled or quarantined feed, polled again at the next opportunity."""
    return dataclasses.replace(state, status="new", disabled_reason=None, next_poll_at=None, consecutive_failures=0)
