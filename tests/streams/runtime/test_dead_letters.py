"""Dead letters always fit in a Kafka message, and only errors that lie in the record park it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError
from faust.exceptions import ProducerSendError
from faust.serializers import codecs
from pydantic import ValidationError

from extractors.schema import Article
from streams.runtime.app import is_record_error
from streams.runtime.messages import DEAD_LETTER_PAYLOAD_BYTES, DeadLetter

AT = dt.datetime(2021, 3, 2, 12, 0, tzinfo=dt.timezone.utc)
KAFKA_MESSAGE_LIMIT = 1024 * 1024


def serialized(letter: DeadLetter) -> bytes:
    """As the worker sends it: Faust's JSON codec, which escapes every non-ASCII character."""
    return codecs.dumps("json", letter.model_dump(mode="json"))


def test_binary_payload_is_cut_to_fit_and_keeps_its_size_and_hash():
    payload = os.urandom(300 * 1024)
    letter = DeadLetter.of("dedup", "ValidationError: invalid JSON", payload, at=AT, topic="raw", partition=0, offset=7)
    assert len(serialized(letter)) < KAFKA_MESSAGE_LIMIT
    assert letter.truncated and letter.payload_bytes == 300 * 1024
    assert letter.payload_sha256 == hashlib.sha256(payload).hexdigest()
    assert (letter.topic, letter.partition, letter.offset) == ("raw", 0, 7)


def test_the_worst_case_payload_and_error_still_fit():
    letter = DeadLetter.of("dedup", "\ufffd" * 1_000_000, b"\xff" * 5_000_000, at=AT)
    assert len(serialized(letter)) < KAFKA_MESSAGE_LIMIT
    assert len(letter.payload) == DEAD_LETTER_PAYLOAD_BYTES


def test_a_small_payload_is_kept_whole():
    payload = '{"id": "a1", "text": "Gunmen attacked a checkpoint in Kano."}'.encode()
    letter = DeadLetter.of("dedup", "ValueError: no", payload, at=AT)
    assert letter.payload == payload.decode() and not letter.truncated and letter.payload_bytes == len(payload)


def test_record_errors_are_the_records_fault_and_outages_are_not():
    try:
        Article(id="x" * 600, text="A bomb exploded.")
    except ValidationError as error:
        invalid = error
    too_large = ProducerSendError("Error while sending")
    too_large.__cause__ = MessageSizeTooLargeError()
    unreachable = ProducerSendError("Error while sending")
    unreachable.__cause__ = KafkaConnectionError()
    assert is_record_error(invalid) and is_record_error(OverflowError("date value out of range"))
    assert is_record_error(too_large) and is_record_error(MessageSizeTooLargeError())
    assert not is_record_error(unreachable) and not is_record_error(ConnectionError("refused"))
