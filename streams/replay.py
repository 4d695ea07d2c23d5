"""The stream's dedup -> extract -> merge -> alert, in-process and in order, over a sequence of articles.

The same functions as the agents (DedupIndex, RecentExtractions, extract_isolating_failures,
record_report, WatchIndex.text_matches, AlertStore, an outbox) over dicts instead of Faust tables, with
time taken from the articles, so the output is deterministic and matches what a stream makes of the same
articles. Alerts still held back at the end of the input (throttle window, quiet hours) are released at the
time the stream's release would send them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal

from extractors.records import RecordError, read_articles
from extractors.schema import Alert, Article, ExtractionResult, Incident
from streams.alerting.alert_store import AlertStore
from streams.alerting.outbox import InMemoryOutbox, Outbox
from streams.dedup import DedupIndex
from streams.extraction.extractor_process import extract_isolating_failures
from streams.extraction.recent_extractions import RecentExtractions
from streams.incidents.merge import ArticleRef
from streams.incidents.store import IncidentStore, record_report
from streams.runtime.messages import article_time
from streams.watches.index import WatchIndex
from streams.watches.text_query import query_text

log = logging.getLogger(__name__)

ExtractBatch = Callable[[list[Article]], list[ExtractionResult]]
Clock = Literal["arrival", "published"]


@dataclass
class ReplayResult:
    incidents: list[Incident] = field(default_factory=list)  # the latest version of each, in order of creation
    alerts: list[Alert] = field(default_factory=list)  # in the order the alerts topic would get them
    articles: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article id or file:line, what went wrong)


@dataclass
class Alerting:
    """The alerting stage of a replay: the watches, their state and the outbox (in memory unless given)."""

    watches: WatchIndex
    store: AlertStore = field(default_factory=lambda: AlertStore({}, {}))
    outbox: Outbox = field(default_factory=InMemoryOutbox)


def replay(articles: Iterable[Article], arrival: dt.datetime, *, extract: ExtractBatch | None = None,
           dedup: DedupIndex | None = None, store: IncidentStore | None = None, alerting: Alerting | None = None,
           batch_size: int = 16) -> ReplayResult:
    """Every article through dedup, extraction (in batches), merging and, with `alerting`, alerting; `arrival`
    is when they arrive (see article_time)."""
    return asyncio.run(_replay(articles, arrival, extract or _extract_with_spacy, dedup, store, alerting, batch_size))


async def _replay(articles: Iterable[Article], arrival: dt.datetime, extract: ExtractBatch, dedup: DedupIndex | None,
                  store: IncidentStore | None, alerting: Alerting | None, batch_size: int) -> ReplayResult:
    dedup = dedup if dedup is not None else DedupIndex({})
    store = store if store is not None else IncidentStore({})
    recent = RecentExtractions()
    result = ReplayResult()
    last = arrival
    incidents: dict[str, Incident] = {}
    for batch in _batches(articles, batch_size):
        timed = [(article, article_time(article, arrival)) for article in batch]
        verdicts = {article.id: dedup.check_and_add(article.id, article.text, now) for article, now in timed}
        reused = {article_id: recent.get(verdict.duplicate_of) for article_id, verdict in verdicts.items()
                  if verdict.duplicate_of and verdict.identical}
        pending = [article for article in batch if reused.get(article.id) is None]
        results, failures = extract_isolating_failures(extract, pending)
        result.failures += [(article.id, f"{type(error).__name__}: {error}") for article, error in failures]
        extracted = {article.id: extraction for article, extraction in zip(pending, results) if extraction is not None}
        for article, now in timed:
            last = now
            result.articles += 1
            result.duplicates += verdicts[article.id].duplicate_of is not None
            extraction = reused.get(article.id) or extracted.get(article.id)
            if extraction is None:
                continue
            if verdicts[article.id].duplicate_of is None:
                recent.put(article.id, extraction)
            reference = ArticleRef.of(article, extraction.language)
            text_matches = alerting.watches.text_matches(query_text(article.title, article.text)) \
                if alerting and extraction.incidents else []
            for report in extraction.incidents:
                outcome = record_report(store, report, reference, now)
                if outcome.to_send:
                    incidents[outcome.incident.id] = outcome.incident
                    if alerting:
                        decided = alerting.store.decide(outcome.incident, alerting.watches, text_matches, now)
                        result.alerts += (await alerting.outbox.create(decided, now)).to_publish
    if alerting:
        result.alerts += await _release_held(alerting, last)
    result.incidents = list(incidents.values())
    return result


async def _release_held(alerting: Alerting, now: dt.datetime) -> list[Alert]:
    """Every alert still held back, each released when the stream's release would send it, earliest first."""
    released: list[Alert] = []
    while held := alerting.store.held(alerting.watches, now):
        incident_id, at = min(held.items(), key=lambda item: (item[1], item[0]))
        alerts = alerting.store.release(incident_id, alerting.watches, at)
        if not alerts:
            log.warning("held alerts of incident %s not released at %s; left out of the replay", incident_id, at)
            break
        released += (await alerting.outbox.create(alerts, at)).to_publish
    return released


def replay_file(path: Path, out: Path, *, now: dt.datetime | None = None, clock: Clock = "arrival",
                extract: ExtractBatch | None = None, dedup: DedupIndex | None = None,
                store: IncidentStore | None = None, alerting: Alerting | None = None, alerts_out: Path | None = None,
                batch_size: int = 16) -> ReplayResult:
    """Replay a JSON Lines file of articles and write one incident per line to `out` (and, with `alerting`,
    one alert per line to `alerts_out`).

    clock="arrival": every article arrives at `now`, as `newswatch ingest` stamps a file it sends, so the
    result equals a stream fed that file. clock="published": each article arrives at its published time
    (for archives in date order, where age bounds should apply). `now` defaults to the latest published time.
    """
    if now is None:
        now = latest_published(path)
    now = _utc(now)
    bad: list[tuple[str, str]] = []

    def articles() -> Iterator[Article]:
        for record in read_articles(path, fetched_at=now if clock == "arrival" else None):
            if isinstance(record, RecordError):
                bad.append((str(record).split(": ", 1)[0], str(record)))
                continue
            yield record

    result = replay(articles(), now, extract=extract, dedup=dedup, store=store, alerting=alerting, batch_size=batch_size)
    result.failures = bad + result.failures
    write_jsonl(out, result.incidents)
    if alerts_out is not None:
        write_jsonl(alerts_out, result.alerts)
    return result


def write_jsonl(path: Path, records: Iterable[Incident | Alert]) -> None:
    with path.open("w", encoding="utf-8") as lines:
        for record in records:
            lines.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")


def latest_published(path: Path) -> dt.datetime:
    """The latest published time among the file's articles: a deterministic 'now' for a replay."""
    times = [_utc(record.published) for record in read_articles(path)
             if not isinstance(record, RecordError) and record.published is not None]
    if not times:
        raise ValueError(f"{path}: no article has a published time; pass --now to say when the articles arrive")
    return max(times)


def _utc(moment: dt.datetime) -> dt.datetime:
    """Naive times (a date-only `published`) are read as UTC, so results do not depend on the machine's zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(islice(iterator, size)):
        yield batch


def _extract_with_spacy(articles: list[Article]) -> list[ExtractionResult]:
    from extractors import extract_batch

    return extract_batch(articles)
