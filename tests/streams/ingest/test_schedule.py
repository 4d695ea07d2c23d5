import random

import pytest

from streams.ingest.schedule import (
    PollTiming, after_failure, after_gone, after_success, backoff_seconds, jittered, reenabled, retry_after_seconds,
)
from streams.ingest.store import FeedState

NOW = 1_700_000_000.0
TIMING = PollTiming(default_interval_seconds=900, jitter=0.1, backoff_base_seconds=60, backoff_cap_seconds=3600,
                    max_retry_after_seconds=7200, quarantine_seconds=21600)


def state(**fields) -> FeedState:
    return FeedState("f", "https://e.example/rss", **fields)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("120", 120.0), (" 0 ", 0.0), ("Tue, 14 Nov 2023 22:46:40 GMT", 2000.0), ("Tue, 14 Nov 2023 21:00:00 GMT", 0.0),
     ("soon", None), ("", None), (None, None), ("-5", None)],
)
def test_retry_after(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


def test_backoff_doubles_and_caps():
    assert [backoff_seconds(n, TIMING) for n in (1, 2, 3, 6, 7, 100)] == [60, 120, 240, 1920, 3600, 3600]


def test_jitter_stays_within_bounds():
    rng = random.Random(7)
    samples = [jittered(100, 0.1, rng) for _ in range(1000)]
    assert 90 <= min(samples) < 92 and 108 < max(samples) <= 110


def test_success_resets_failures_and_schedules_by_interval():
    result = after_success(state(consecutive_failures=3, status="failing", polls=4, items_total=10, latency_ms=100.0),
                           now=NOW, interval=300, elapsed=0.2, http_status=200, new_items=5, timing=TIMING, rng=random.Random(1))
    assert (result.status, result.consecutive_failures, result.polls, result.items_total) == ("ok", 0, 5, 15)
    assert NOW + 270 <= result.next_poll_at <= NOW + 330
    assert result.last_success_at == NOW and result.latency_ms == pytest.approx(0.8 * 100 + 0.2 * 200)


def test_success_uses_default_interval():
    result = after_success(state(), now=NOW, interval=None, elapsed=0.1, http_status=304, new_items=0, timing=TIMING, rng=random.Random(1))
    assert NOW + 810 <= result.next_poll_at <= NOW + 990 and result.latency_ms == pytest.approx(100)


def test_failures_back_off():
    current = state()
    delays = []
    for _ in range(4):
        current = after_failure(current, "HTTP 500", now=NOW, quarantine=False, retry_after=None, http_status=500,
                                elapsed=0.1, timing=TIMING, rng=random.Random(3))
        delays.append(current.next_poll_at - NOW)
    assert current.status == "failing" and current.consecutive_failures == 4 and current.last_error == "HTTP 500"
    for delay, base in zip(delays, (60, 120, 240, 480)):
        assert base * 0.9 <= delay <= base * 1.1


def test_retry_after_is_obeyed_up_to_the_cap():
    obeyed = after_failure(state(), "429", now=NOW, quarantine=False, retry_after=30, http_status=429, elapsed=None,
                           timing=TIMING, rng=random.Random(3))
    assert NOW + 30 <= obeyed.next_poll_at <= NOW + 33
    capped = after_failure(state(), "429", now=NOW, quarantine=False, retry_after=10**9, http_status=429, elapsed=None,
                           timing=TIMING, rng=random.Random(3))
    assert NOW + 7200 <= capped.next_poll_at <= NOW + 7920


def test_quarantine_waits_long():
    result = after_failure(state(), "XML bomb", now=NOW, quarantine=True, retry_after=None, http_status=200, elapsed=0.1,
                           timing=TIMING, rng=random.Random(3))
    assert result.status == "quarantined" and result.next_poll_at >= NOW + 21600


def test_gone_disables_until_reenabled():
    gone = after_gone(state(), now=NOW, url="https://e.example/rss")
    assert gone.status == "disabled" and gone.next_poll_at is None and "410" in gone.disabled_reason
    assert "newswatch feeds enable https://e.example/rss" in gone.last_error
    back = reenabled(gone)
    assert (back.status, back.disabled_reason, back.next_poll_at, back.consecutive_failures) == ("new", None, None, 0)
