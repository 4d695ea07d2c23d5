from extractors.schema import Alert
from streams.alerting.sinks.breaker import CircuitBreaker
from tests.streams.alerting.sinks.receivers import DeadLetters, http_receiver
from tests.streams.alerting.sinks.sample import sample_alert
from tests.streams.alerting.sinks.test_webhook import webhook


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_circuit_opens_after_consecutive_failures_and_lets_one_trial_through_after_the_reset():
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset_seconds=60, clock=clock)
    assert [breaker.failed("timeout") for _ in range(3)] == [False, False, True]
    assert not breaker.allows_attempt()
    assert breaker.reason() == "circuit open after 3 failed attempts in a row (last: timeout); next trial in 60 s"
    clock.now += 60
    assert breaker.allows_attempt() and not breaker.allows_attempt(), "one trial at a time"
    assert breaker.failed("timeout again") is False, "a failed trial re-opens it without announcing it again"
    assert not breaker.allows_attempt()
    clock.now += 60
    assert breaker.allows_attempt()
    breaker.succeeded()
    assert breaker.allows_attempt() and breaker.allows_attempt() and not breaker.open


def test_an_answer_resets_the_count_and_an_abandoned_trial_frees_the_next():
    clock = Clock()
    breaker = CircuitBreaker(failures=2, reset_seconds=10, clock=clock)
    breaker.failed("refused")
    breaker.succeeded()
    assert breaker.failed("refused") is False and breaker.allows_attempt()
    breaker.failed("refused")
    clock.now += 10
    assert breaker.allows_attempt()
    breaker.abandoned()
    assert breaker.allows_attempt()


async def test_a_sink_whose_circuit_is_open_dead_letters_at_once_without_a_request():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script = [500] * 10
        sink = webhook(receiver.url, dead_letters, max_attempts=2, breaker_failures=3, breaker_reset_seconds=600)
        first = await sink.send(sample_alert())
        second = await sink.send(sample_alert(killed=None))
        third = await sink.send(sample_alert(injured=None))
        await sink.close()
    assert (first, second, third) == (False, False, False)
    assert len(receiver.requests) == 3, "two attempts for the first alert, one for the second, none for the third"
    assert [error.split(":")[0] for _, error, _ in dead_letters] == ["still failing after 2 attempts"] * 1 + [
        "circuit open after 3 failed attempts in a row (last"] * 2
    assert dead_letters[2][1].endswith("next trial in 600 s (0 attempt(s))")
    assert Alert.model_validate(dead_letters[2][2]).id == sample_alert(injured=None).id


async def test_a_delivered_alert_reports_true():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        sink = webhook(receiver.url, dead_letters)
        assert await sink.send(sample_alert()) is True
        await sink.close()
    assert dead_letters == []
