"""How one more incident report updates the incident it describes, or opens a new one.

Which incident that is, is matching.py's concern; this module decides what the merged incident keeps (the most
precise place and date, credible toll rises, bounded evidence and titles) and its stable id. Plain functions of
their inputs (time is passed in), shared by the merge agent and `newswatch replay`. The rules are in
docs/architecture.md, "Incident merging".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extractors.places import name_key
from extractors.schema import (Article, Count, Evidence, Incident, IncidentFields, IncidentReport, Perpetrator, Title,
                               TollChange, stable_id)
from streams.incidents.matching import date_rank, known_attack_types

NO_COUNTRY = "unknown"
# A toll may rise tenfold (early reports are low); beyond that, from at least this many, it is an extraction slip.
CREDIBLE_RISE_FACTOR = 10
CREDIBLE_RISE_FROM = 10
MAX_EVIDENCE_PER_FIELD = 3
MAX_EVIDENCE = 24
# Titles kept for alerts to quote: the first few, and the first in each further language.
MAX_TITLES = 3
MAX_MENTIONS = 5
# An incident names its first members, sources and links, and counts the rest: an update of an incident that
# thousands of articles report stays far below Kafka's 1 MB record limit (bench/bench_incident_size.py).
# A redelivered report of an article past the first MAX_ARTICLE_IDS is not known as counted: it adds 1 to
# article_count again, and changes nothing else (tolls only rise, the other lists hold each item once).
MAX_ARTICLE_IDS = 1000
MAX_SOURCES = 500
MAX_SOURCE_URLS = 200

_PRECISION_RANK = {"city": 3, "admin1": 2, "country": 1, None: 0}
_TOLL_FIELDS = ("killed", "injured")


@dataclass(frozen=True)
class ArticleRef:
    """What an incident keeps of a member article."""

    id: str
    source: str | None = None
    url: str | None = None
    published: dt.datetime | None = None
    title: str | None = None
    language: str | None = None  # the one the extractor identified (ISO 639-1)

    @property
    def published_on(self) -> dt.date | None:
        return self.published.date() if self.published else None

    @classmethod
    def of(cls, article: Article, language: str | None = None) -> ArticleRef:
        return cls(article.id, article.source, article.canonical_url or article.url, article.published, article.title,
                   language)


def merge_key(report: IncidentReport) -> str:
    """The partition key: reports that may merge share it (the country; reports without one meet each other only)."""
    return report.location.country or NO_COUNTRY


def incident_id_for(report: IncidentReport, article: ArticleRef, now: dt.datetime) -> str:
    """A stable id from the article that opened the incident and its report's key facts (with no date, the day the
    article was published, or seen, stands in).

    The article makes the id one incident's: an event that is reported again after its incident closed
    opens a new incident under a new id, which Elasticsearch indexes from version 1, instead of the closed
    incident's id, where external versioning refuses version 1 as older than the document's."""
    location = report.location
    day = report.date or (article.published or now).date()
    return stable_id(
        "incident",
        article.id,
        location.country or "",
        name_key(location.admin1 or ""),
        name_key(location.city or location.name or ""),
        day.isoformat(),
        ",".join(sorted(known_attack_types(report.attack_types))),
    )


def merge(incident: Incident | None, report: IncidentReport, article: ArticleRef, now: dt.datetime,
          incident_id: str | None = None) -> Incident:
    """The incident after this report; the same object back when the report changes nothing.

    A new incident takes `incident_id` (default: `incident_id_for`) and is historical when it comes from a
    background mention. A background mention never changes a news incident, and an article counts once.
    """
    if incident is None:
        return _create(report, article, now, incident_id or incident_id_for(report, article, now))
    if article.id in incident.article_ids or (report.role == "background" and not incident.historical):
        return incident
    updated = _combine(incident, report, article, now)
    return updated.model_copy(update={"version": incident.version + 1, "last_updated": max(now, incident.last_updated)})


def _create(report: IncidentReport, article: ArticleRef, now: dt.datetime, incident_id: str) -> Incident:
    facts = report.model_dump(include=set(IncidentFields.model_fields))
    facts["attack_types"] = _ordered_union(report.attack_types, [])
    return Incident(
        **facts,
        id=incident_id,
        historical=report.role == "background",
        first_seen=now,
        last_updated=now,
        first_published=article.published_on,
        article_ids=[article.id],
        article_count=1,
        sources=[article.source] if article.source else [],
        source_urls=[article.url] if article.url else [],
        evidence=_bounded_evidence([], report.evidence, set()),
        titles=_with_title([], article),
        toll_history=[
            TollChange(field=field, previous=None, current=getattr(report, field), article_id=article.id, at=now)
            for field in _TOLL_FIELDS if getattr(report, field) is not None
        ],
    )


def _combine(incident: Incident, report: IncidentReport, article: ArticleRef, now: dt.datetime) -> Incident:
    changes: dict = {
        "historical": incident.historical and report.role == "background",
        "attack_types": _ordered_union(incident.attack_types, report.attack_types),
        "weapons": _ordered_union(incident.weapons, report.weapons),
        "perpetrators": _merge_perpetrators(incident.perpetrators, report.perpetrators),
        "first_published": min(filter(None, (incident.first_published, article.published_on)), default=None),
        "article_ids": _append_new(incident.article_ids, article.id, MAX_ARTICLE_IDS),
        "article_count": incident.article_count + 1,
        "sources": _append_new(incident.sources, article.source, MAX_SOURCES),
        "source_urls": _append_new(incident.source_urls, article.url, MAX_SOURCE_URLS),
        "titles": _with_title(incident.titles, article),
    }
    if report.suicide is not None and incident.suicide is not True:
        changes["suicide"] = report.suicide
    if _PRECISION_RANK[report.location.precision] > _PRECISION_RANK[incident.location.precision] or (
            report.location.precision == incident.location.precision and incident.location.lat is None
            and report.location.lat is not None):
        changes["location"] = report.location
    if report.date is not None and (incident.date is None or date_rank(report) > date_rank(incident)):
        changes["date"], changes["date_precision"] = report.date, report.date_precision
    if incident.target.type == "unknown" and report.target.type != "unknown":
        changes["target"] = report.target
    for field in ("attackers", "attackers_killed"):
        if _credible_rise(getattr(incident, field), getattr(report, field)):
            changes[field] = getattr(report, field)
    history = list(incident.toll_history)
    for field in _TOLL_FIELDS:
        current, reported = getattr(incident, field), getattr(report, field)
        if _credible_rise(current, reported):
            changes[field] = reported
            history.append(TollChange(field=field, previous=current, current=reported, article_id=article.id, at=now))
    changes["toll_history"] = history
    changes["evidence"] = _bounded_evidence(incident.evidence, report.evidence, {f for f in _TOLL_FIELDS if f in changes})
    return incident.model_copy(update=changes)


def _credible_rise(current: Count | None, reported: Count | None) -> bool:
    if reported is None:
        return False
    if current is None:
        return True
    if reported.value <= current.value:
        return False
    return current.value < CREDIBLE_RISE_FROM or reported.value <= current.value * CREDIBLE_RISE_FACTOR


def _ordered_union(first: list, second: list) -> list:
    combined = list(dict.fromkeys([*first, *second]))
    return [item for item in combined if item != "unknown"] or combined


def _append_new(items: list[str], item: str | None, limit: int) -> list[str]:
    return items + [item] if item and item not in items and len(items) < limit else list(items)


def _with_title(titles: list[Title], article: ArticleRef) -> list[Title]:
    """The titles with the article's, while fewer than MAX_TITLES are kept or when its language has none yet."""
    title = (article.title or "").strip()
    if not title or (len(titles) >= MAX_TITLES and any(t.language == article.language for t in titles)):
        return list(titles)
    return titles + [Title(article_id=article.id, text=title, language=article.language)]


def _merge_perpetrators(known: list[Perpetrator], reported: list[Perpetrator]) -> list[Perpetrator]:
    """One entry per group; a claim outranks a suspicion, mentions accumulate up to MAX_MENTIONS."""
    merged = {name_key(p.name): p for p in known}
    for perpetrator in reported:
        key = name_key(perpetrator.name)
        previous = merged.get(key)
        if previous is None:
            merged[key] = perpetrator
            continue
        merged[key] = previous.model_copy(update={
            "role": "claimed" if "claimed" in (previous.role, perpetrator.role) else "suspected",
            "branch": previous.branch or perpetrator.branch,
            "mentions": list(dict.fromkeys(previous.mentions + perpetrator.mentions))[:MAX_MENTIONS],
        })
    return list(merged.values())


def _bounded_evidence(kept: list[Evidence], new: list[Evidence], changed_fields: set[str]) -> list[Evidence]:
    """Evidence for a figure that just changed first, then what was kept, then the rest; a few sentences per field."""
    ordered = [e for e in new if e.field in changed_fields] + kept + [e for e in new if e.field not in changed_fields]
    result: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    per_field: dict[str, int] = {}
    for evidence in ordered:
        key = (evidence.field, evidence.sentence)
        if key in seen or per_field.get(evidence.field, 0) >= MAX_EVIDENCE_PER_FIELD:
            continue
        seen.add(key)
        per_field[evidence.field] = per_field.get(evidence.field, 0) + 1
        result.append(evidence)
    return result[:MAX_EVIDENCE]
