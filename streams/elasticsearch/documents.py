"""Elasticsearch documents (ECS-style field names) for articles, incidents and alerts."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pycountry

from extractors.language import ENGLISH, english_or_undetermined
from extractors.schema import Alert, Article, ExtractionResult, Incident


def article_document(article: Article, extraction: ExtractionResult | None, duplicate_of: str | None,
                     now: dt.datetime) -> dict:
    timestamp = article.published or article.fetched_at or now
    language, read = language_and_read(article, extraction)
    return {
        "@timestamp": timestamp.isoformat(),
        "message": article.title or article.text[:200],
        "event": {"kind": "event", "dataset": "newswatch.article", "id": article.id,
                  "created": (article.fetched_at or now).isoformat(), "ingested": now.isoformat()},
        "url": _url(article.canonical_url or article.url),
        "article": {
            "id": article.id,
            "title": article.title,
            "text": article.text,
            "summary": article.summary,
            "source": article.source,
            "language": language,  # what the text is in; the source's claim is kept beside it
            "declared_language": article.language,
            "read": read,
            "tags": article.tags,
            "published": article.published.isoformat() if article.published else None,
            "duplicate_of": duplicate_of,
            "is_attack_report": extraction.is_attack_report if extraction and read else None,  # None: not read
        },
    }


def language_and_read(article: Article, extraction: ExtractionResult | None) -> tuple[str, bool | None]:
    """The extractor's language and whether it read the article. A result from an earlier version (no language,
    still in the extractions topic) was read only if English prose: that test decides, so the event loop's
    process never loads the language model."""
    if extraction is not None and extraction.language:
        return extraction.language, extraction.read
    language = english_or_undetermined(article.text)
    return language, (language == ENGLISH) if extraction is not None else None


def incident_fields(incident: Incident) -> dict:
    """The searchable `incident.*` and `geo.*` fields, shared by incident and alert documents."""
    claimed = [p.name for p in incident.perpetrators if p.role == "claimed"]
    suspected = [p.name for p in incident.perpetrators if p.role == "suspected"]
    location = incident.location
    return {
        "geo": {
            "location": {"lat": location.lat, "lon": location.lon} if location.lat is not None and location.lon is not None else None,
            "name": location.name,
            "city_name": location.city,
            "region_name": location.admin1,
            "country_iso_code": location.country,
            "country_name": country_name(location.country),
            "precision": location.precision,
        },
        "incident": {
            "id": incident.id,
            "version": incident.version,
            "historical": incident.historical,
            "date": incident.date.isoformat() if incident.date else None,
            "date_precision": incident.date_precision,
            "attack_types": incident.attack_types,
            "suicide": incident.suicide,
            "killed": incident.killed.value if incident.killed else None,
            "killed_qualifier": incident.killed.qualifier if incident.killed else None,
            "injured": incident.injured.value if incident.injured else None,
            "injured_qualifier": incident.injured.qualifier if incident.injured else None,
            "attackers": incident.attackers.value if incident.attackers else None,
            "attackers_killed": incident.attackers_killed.value if incident.attackers_killed else None,
            "perpetrators": sorted({p.name for p in incident.perpetrators}),
            "claimed_by": claimed,
            "suspected": suspected,
            "target_type": incident.target.type,
            "target_text": incident.target.text,
            "weapons": incident.weapons,
            "article_ids": incident.article_ids,
            "article_count": incident.article_count,
            "sources": incident.sources,
            "source_urls": incident.source_urls,
            "first_seen": incident.first_seen.isoformat(),
            "last_updated": incident.last_updated.isoformat(),
            "evidence": [e.model_dump(mode="json") for e in incident.evidence],
            "record": incident.model_dump(mode="json"),
        },
    }


def incident_document(incident: Incident, summary: str, now: dt.datetime) -> dict:
    event_day = dt.datetime.combine(incident.date, dt.time(), dt.timezone.utc) if incident.date else None
    return {
        "@timestamp": (event_day or incident.first_seen).isoformat(),
        "message": summary,
        "event": {"kind": "event", "category": ["threat"], "type": ["indicator"], "dataset": "newswatch.incident",
                  "id": incident.id, "start": event_day.isoformat() if event_day else None,
                  "created": incident.first_seen.isoformat(), "ingested": now.isoformat()},
        **incident_fields(incident),
    }


def alert_document(alert: Alert, now: dt.datetime) -> dict:
    return {
        "@timestamp": alert.created_at.isoformat(),
        "message": alert.summary,
        "event": {"kind": "alert", "dataset": "newswatch.alert", "id": alert.id,
                  "created": alert.created_at.isoformat(), "ingested": now.isoformat()},
        "rule": {"id": alert.watch_id, "name": alert.watch_name},
        "alert": {"id": alert.id, "kind": alert.kind, "threshold": alert.threshold,
                  "incident_version": alert.incident_version},
        **incident_fields(alert.incident),
    }


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    # The name people use ("Iran", not "Iran, Islamic Republic of"), in reading order ("The Democratic Republic of
    # the Congo", which has no common name): it is read in alert summaries.
    name = getattr(country, "common_name", None) or country.name
    head, comma, tail = name.partition(", ")
    return f"{tail} {head}" if comma else name


def _url(url: str | None) -> dict | None:
    if not url:
        return None
    return {"full": url, "domain": urlsplit(url).hostname}
