"""The one retry loop: transient errors retried with capped doubling waits, the rest raised at once."""

from __future__ import annotations

import asyncio

import pytest

from streams.retry import Backoff, retry


class Busy(Exception):
    def __init__(self, retry_after: float | None = None):
        super().__init__("busy")
        self.retry_after = retry_after


def failing_then_ok(errors: list[Exception]):
    calls = []

    async def call() -> str:
        calls.append(len(calls))
        if errors:
            raise errors.pop(0)
        return "done"

    return call, calls


def run(call, waits: list[float], monkeypatch, **options):
    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("streams.retry.asyncio.sleep", no_sleep)
    options.setdefault("backoff", Backoff(1.0, 5.0))
    return asyncio.run(retry(call, transient=lambda error: isinstance(error, Busy), on_retry=lambda *_: None, **options))


def test_transient_errors_are_retried_with_doubling_capped_waits(monkeypatch):
    call, calls = failing_then_ok([Busy() for _ in range(5)])
    waits: list[float] = []
    assert run(call, waits, monkeypatch) == "done"
    assert (len(calls), waits) == (6, [1.0, 2.0, 4.0, 5.0, 5.0])


def test_retry_after_lengthens_a_wait_up_to_the_cap(monkeypatch):
    call, _ = failing_then_ok([Busy(retry_after=3.0), Busy(retry_after=60.0), Busy(retry_after=0.1)])
    waits: list[float] = []
    run(call, waits, monkeypatch, backoff=Backoff(1.0, 10.0))
    assert waits == [3.0, 10.0, 4.0]


def test_other_errors_and_the_last_attempt_are_raised(monkeypatch):
    call, calls = failing_then_ok([ValueError("bad request")])
    with pytest.raises(ValueError):
        run(call, [], monkeypatch)
    assert len(calls) == 1
    call, calls = failing_then_ok([Busy() for _ in range(5)])
    with pytest.raises(Busy):
        run(call, [], monkeypatch, attempts=3)
    assert len(calls) == 3


def test_backoff_delays():
    assert [Backoff(60, 3600).delay(n) for n in (1, 2, 3, 6, 7, 100)] == [60, 120, 240, 1920, 3600, 3600]
