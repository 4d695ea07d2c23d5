import json
import time

import pytest

from extractors.schema import Alert
from streams.alerting.sinks import build_sinks
from streams.alerting.sinks.signing import ALERT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify
from tests.streams.alerting.sinks.receivers import DeadLetters, http_receiver
from tests.streams.alerting.sinks.sample import sample_alert

SECRET = "a shared secret"


def webhook(url: str, dead_letters: DeadLetters, **options):
    options = {"type": "webhook", "url": url, "secret": SECRET, "backoff_seconds": 0.01, "max_backoff_seconds": 0.05, **options}
    return build_sinks({"hook": options}, {"dead_letter": dead_letters})["hook"]


async def test_the_alert_arrives_as_signed_json():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        sink = webhook(receiver.url, dead_letters, headers={"X-Team": "ops"})
        await sink.send(sample_alert())
        await sink.close()
    [request] = receiver.requests
    assert Alert.model_validate(json.loads(request.body)) == sample_alert()
    headers = request.headers
    assert headers["Content-Type"] == "application/json" and headers["X-Team"] == "ops"
    assert headers[ALERT_ID_HEADER] == sample_alert().id
    assert verify(SECRET, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], request.body, now=time.time())
    assert not verify("another secret", headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], request.body, now=time.time())
    assert not verify(SECRET, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], request.body + b" ", now=time.time())
    assert dead_letters == []


def test_signatures_bind_the_timestamp_and_expire():
    body = b'{"id":"x"}'
    signature = sign(SECRET, 1_000_000, body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify(SECRET, "1000000", signature, body, now=1_000_100)
    assert not verify(SECRET, "1000001", signature, body, now=1_000_100)
    assert not verify(SECRET, "1000000", signature, body, now=1_000_000 + 301)
    assert not verify(SECRET, "soon", signature, body, now=1_000_000)


async def test_transient_failures_are_retried_until_delivered():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script = [503, 429, 500]
        sink = webhook(receiver.url, dead_letters, max_attempts=4)
        await sink.send(sample_alert())
        await sink.close()
    assert len(receiver.requests) == 4 and dead_letters == []
    assert len({r.headers[ALERT_ID_HEADER] for r in receiver.requests}) == 1


async def test_retry_after_is_honoured_within_the_backoff_cap():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script, receiver.retry_after = [429], "0.3"
        sink = webhook(receiver.url, dead_letters, max_backoff_seconds=1.0)
        started = time.monotonic()
        await sink.send(sample_alert())
        await sink.close()
    assert time.monotonic() - started >= 0.3 and len(receiver.requests) == 2


async def test_a_receiver_that_keeps_failing_gets_a_dead_letter():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script = [503] * 10
        sink = webhook(receiver.url, dead_letters, max_attempts=3)
        await sink.send(sample_alert())
        await sink.close()
    assert len(receiver.requests) == 3
    [(stage, error, payload)] = dead_letters
    assert stage == "sink:hook"
    assert error.startswith("still failing after 3 attempts: HTTP 503 from http://127.0.0.1:") and error.endswith("(3 attempt(s))")
    assert Alert.model_validate(payload) == sample_alert()


async def test_a_rejection_is_dead_lettered_without_retrying():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script = [400]
        sink = webhook(receiver.url, dead_letters)
        await sink.send(sample_alert())
        await sink.close()
    assert len(receiver.requests) == 1
    assert dead_letters[0][1].startswith("rejected: HTTP 400")


async def test_timeouts_and_refused_connections_are_transient():
    dead_letters = DeadLetters()
    async with http_receiver() as receiver:
        receiver.script = [1.0]
        sink = webhook(receiver.url, dead_letters, timeout_seconds=0.2, max_attempts=2)
        await sink.send(sample_alert())
        await sink.close()
        closed_url = receiver.url
    assert len(receiver.requests) == 2 and dead_letters == []
    refused = webhook(closed_url, dead_letters, max_attempts=2)
    await refused.send(sample_alert())
    await refused.close()
    assert "ClientConnectorError" in dead_letters[0][1]


def test_an_unsigned_webhook_is_refused_at_start_up():
    with pytest.raises(ValueError, match="sink 'hook' \\(webhook\\) needs secret"):
        build_sinks({"hook": {"type": "webhook", "url": "http://127.0.0.1:1/hook"}}, {"dead_letter": DeadLetters()})
    with pytest.raises(ValueError, match="url 'ftp://x' is not an http"):
        build_sinks({"hook": {"type": "webhook", "url": "ftp://x", "secret": "s"}}, {"dead_letter": DeadLetters()})
