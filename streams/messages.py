"""The records that travel between Faust agents (JSON on Kafka), each a thin envelope around the data contract."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

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


class DeadLetter(_Message):
    stage: str
    error: str
    payload: str
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    at: dt.datetime


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
