"""The records that travel between Faust agents (JSON on Kafka), each a thin envelope around the data contract."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, TypeAdapter

from extractors.schema import Article, ExtractionResult, IncidentReport


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UniqueArticle(_Message):
    """An article after dedup; a copy names its canonical article, and an identical copy reuses its extraction."""

    article: Article
    arrived_at: dt.datetime
    duplicate_of: str | None = None
    identical: bool = False

    @property
    def canonical_id(self) -> str:
        return self.duplicate_of or self.article.id


class ExtractedArticle(_Message):
    article: Article
    duplicate_of: str | None = None
    extraction: ExtractionResult


class ReportMessage(_Message):
    """One incident report of one article, keyed by its merge key so that reports which may merge meet."""

    merge_key: str
    article_id: str
    source: str | None
    url: str | None
    published: dt.datetime | None
    arrived_at: dt.datetime
    report: IncidentReport
    title: str | None = None  # absent in records from before alerts quoted titles
    language: str | None = None
    text_matches: list[str] = []  # watches whose text query the article satisfied (WatchIndex.text_matches)


# An incident update names, in this header, the watches whose text query the article behind it satisfied:
# the article's text stops at extraction, and the incident itself is the contract other consumers read.
TEXT_MATCHES_HEADER = "newswatch-text-matches"
_WATCH_IDS = TypeAdapter(list[str])


def text_matches_header(watch_ids: list[str]) -> dict[str, bytes] | None:
    return {TEXT_MATCHES_HEADER: _WATCH_IDS.dump_json(watch_ids)} if watch_ids else None


def text_matches_in(headers: Mapping[str, bytes]) -> list[str]:
    """The watch ids of an incident update's header (none without it); ValueError when it is not a JSON list of ids."""
    raw = headers.get(TEXT_MATCHES_HEADER)
    return [] if raw is None else _WATCH_IDS.validate_json(raw)


# A dead letter must itself fit in a Kafka message (1 MB) when every kept byte is invalid UTF-8 and so
# becomes an escaped replacement character (6 bytes of JSON): it keeps the head of the payload, its size and hash.
DEAD_LETTER_PAYLOAD_BYTES = 64 * 1024
DEAD_LETTER_ERROR_CHARS = 4000


class DeadLetter(_Message):
    stage: str
    error: str
    payload: str
    payload_bytes: int
    payload_sha256: str
    truncated: bool = False
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    at: dt.datetime

    @classmethod
    def of(cls, stage: str, error: str, payload: bytes, *, at: dt.datetime, topic: str | None = None,
           partition: int | None = None, offset: int | None = None) -> DeadLetter:
        """The dead letter for `payload` (the record as it arrived), cut to a size that always fits a message."""
        kept = payload[:DEAD_LETTER_PAYLOAD_BYTES]
        if len(error) > DEAD_LETTER_ERROR_CHARS:
            error = error[:DEAD_LETTER_ERROR_CHARS] + "…"
        return cls(stage=stage, error=error, payload=kept.decode("utf-8", errors="replace"), payload_bytes=len(payload),
                   payload_sha256=hashlib.sha256(payload).hexdigest(), truncated=len(kept) < len(payload),
                   topic=topic, partition=partition, offset=offset, at=at)


# How far ahead of its arrival an article's own time may be (clock skew, a misread zone) before it is
# capped: one article dated years ahead would otherwise expire all dedup state and open incidents.
FUTURE_TOLERANCE = dt.timedelta(days=1)


def article_time(article: Article, arrival: dt.datetime) -> dt.datetime:
    """The time an article entered the system (UTC): when it was fetched, else published, else `arrival`
    (when Kafka got it), and never more than FUTURE_TOLERANCE after `arrival`.

    Stream and replay both use it, so age bounds and merge windows agree between them.
    """
    own = article.fetched_at or article.published or arrival
    own = own if own.tzinfo else own.replace(tzinfo=dt.timezone.utc)
    return min(own, arrival + FUTURE_TOLERANCE)
