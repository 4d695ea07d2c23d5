"""The stream's dedup -> extract -> merge, in-process and in order, over a sequence of articles.

The same functions as the agents (DedupIndex, RecentExtractions, extract_isolating_failures,
record_report) over dicts instead of Faust tables, with time taken from the articles, so the output is
deterministic and matches what a stream makes of the same articles.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal

from extractors.schema import Article, ExtractionResult, Incident
from streams.dedup import DedupIndex
from streams.extraction import extract_isolating_failures
from streams.incident_store import IncidentStore, record_report
from streams.incidents import ArticleRef
from streams.ingest.files import BadRecord, read_jsonl_articles
from streams.messages import article_time
from streams.recent_extractions import RecentExtractions

ExtractBatch = Callable[[list[Article]], list[ExtractionResult]]
Clock = Literal["arrival", "published"]


@dataclass
class ReplayResult:
    incidents: list[Incident] = field(default_factory=list)  # the latest version of each, in order of creation
    articles: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (article id or file:line, what went wrong)


def replay(articles: Iterable[Article], arrival: dt.datetime, *, extract: ExtractBatch | None = None,
           dedup: DedupIndex | None = None, store: IncidentStore | None = None, batch_size: int = 16) -> ReplayResult:
    """Every article through dedup, extraction (in batches) and merging; `arrival` is when they arrive (see article_time)."""
    extract = extract or _extract_with_spacy
    dedup = dedup if dedup is not None else DedupIndex({})
    store = store if store is not None else IncidentStore({})
    recent = RecentExtractions()
    result = ReplayResult()
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
            result.articles += 1
            result.duplicates += verdicts[article.id].duplicate_of is not None
            extraction = reused.get(article.id) or extracted.get(article.id)
            if extraction is None:
                continue
            if verdicts[article.id].duplicate_of is None:
                recent.put(article.id, extraction)
            reference = ArticleRef.of(article)
            for report in extraction.incidents:
                outcome = record_report(store, report, reference, now)
                if outcome.status != "unchanged":
                    incidents[outcome.incident.id] = outcome.incident
    result.incidents = list(incidents.values())
    return result


def replay_file(path: Path, out: Path, *, now: dt.datetime | None = None, clock: Clock = "arrival",
                extract: ExtractBatch | None = None, dedup: DedupIndex | None = None,
                store: IncidentStore | None = None, batch_size: int = 16) -> ReplayResult:
    """Replay a JSON Lines file of articles and write one incident per line to `out`.

    clock="arrival": every article arrives at `now`, as `newswatch ingest` stamps a file it sends, so the
    result equals a stream fed that file. clock="published": each article arrives at its published time
    (for archives in date order, where age bounds should apply). `now` defaults to the latest published time.
    """
    if now is None:
        now = latest_published(path)
    now = _utc(now)
    bad: list[tuple[str, str]] = []

    def articles() -> Iterator[Article]:
        for record in read_jsonl_articles(path, now if clock == "arrival" else None):
            if isinstance(record, BadRecord):
                bad.append((str(record).split(": ", 1)[0], str(record)))
                continue
            yield record

    result = replay(articles(), now, extract=extract, dedup=dedup, store=store, batch_size=batch_size)
    result.failures = bad + result.failures
    with out.open("w", encoding="utf-8") as lines:
        for incident in result.incidents:
            lines.write(json.dumps(incident.model_dump(mode="json"), ensure_ascii=False) + "\n")
    return result


def latest_published(path: Path) -> dt.datetime:
    """The latest published time among the file's articles: a deterministic 'now' for a replay."""
    times = [_utc(record.published) for record in read_jsonl_articles(path)
             if not isinstance(record, BadRecord) and record.published is not None]
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
