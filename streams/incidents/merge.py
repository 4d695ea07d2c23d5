"""Which incident reports describe the same real event, and how one more report updates the merged incident.

Plain functions of their inputs (time is passed in), shared by the merge agent and `newswatch replay`.
The rules are in docs/architecture.md, "Incident merging".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.places import distance_km, name_key
from extractors.schema import (Article, Count, Evidence, Incident, IncidentFields, IncidentReport, Location, Perpetrator,
                               Title, TollChange, stable_id)

NO_COUNTRY = "unknown"
MATCH_THRESHOLD = 3.5
SAME_PLACE_KM = 25.0
NEARBY_KM = 50.0
DIFFERENT_PLACE_KM = 100.0
DATE_WINDOW_DAYS = 2
# An undated report is usually about something that happened in the days just before its article (a day's
# slack the other way: publication times are UTC, attack dates local).
REPORTED_WITHIN_DAYS = 3
REPORTED_BEFORE_SLACK_DAYS = 1
# What that says when a date is missing: between a date a day off (1) and the same day (2); against when far apart.
PUBLISHED_CLOSE = 1.5
PUBLISHED_APART = -1.0
# Dated a day or two after the other side was already in the news: more likely a second attack than a slip.
ALREADY_NEWS = -1.0
# Two reports giving the same death toll (within this share, from this many up) rarely describe two events.
TOLL_AGREEMENT_SHARE = 0.1
TOLL_AGREEMENT_FROM = 5
# A report that fits two open incidents about equally well joins neither: which one it describes is a guess,
# unless only one of them lies in the report's own town (SAME_TOWN; the others match by province or country).
AMBIGUITY_MARGIN = 1.0
SAME_TOWN = 2.0
# A toll may rise tenfold (early reports are low); beyond that, from at least this many, it is an extraction slip.
CREDIBLE_RISE_FACTOR = 10
CREDIBLE_RISE_FROM = 10
MAX_EVIDENCE_PER_FIELD = 3
MAX_EVIDENCE = 24
# Titles kept for alerts to quote: the first few, and the first in each further language.
MAX_TITLES = 3
MAX_MENTIONS = 5
# An incident names its first members, sources and links, and counts the rest: an update of an incident that
# thousands of articles report stays far below Kafka's 1 MB record limit (6,000 listed articles reached it).
# A redelivered report of an article past the first MAX_ARTICLE_IDS is not known as counted: it adds 1 to
# article_count again, and changes nothing else (tolls only rise, the other lists hold each item once).
MAX_ARTICLE_IDS = 1000
MAX_SOURCES = 500
MAX_SOURCE_URLS = 200

# Words that say what kind of region a name is, not which one.
PROVINCE_WORDS = frozenset(
    "al el the of and state province region governorate division district prefecture department county".split())
COMPASS_WORDS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast southwest far upper lower"
    .split())

_PRECISION_RANK = {"city": 3, "admin1": 2, "country": 1, None: 0}
_DATE_RANK = {"day": 3, "month": 2, "year": 1}
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


def match(incident: Incident, report: IncidentReport, reported_on: dt.date | None = None) -> float:
    """How strongly the evidence says both describe one event: 0 when a fact rules it out, same event at MATCH_THRESHOLD or more.

    Place (same town 2, nearby or same province 1, same country 0.5) and date (same day 2, a day apart 1,
    two days 0, but -1 when the earlier-dated side was already published before the later date; an undated
    side published in the few days after the other's date, or both undated and published within days of
    each other, 1.5, published outside that window -1) carry most weight; shared
    attack types (1), perpetrators (2), distinctive places or targets (1), death tolls (1) and target types
    (0.5) add to it, contradicting types and perpetrators take away. `reported_on` is the day the report's
    article says it was published.
    """
    place = _place_score(incident.location, report.location)
    date = _date_score(incident, report, reported_on)
    if place is None or date is None:
        return 0.0
    score = place + date + _overlap_score(_known(incident.attack_types), _known(report.attack_types), 1.0, -1.0)
    score += _overlap_score({name_key(p.name) for p in incident.perpetrators},
                            {name_key(p.name) for p in report.perpetrators}, 2.0, -0.5)
    score += _distinctive_score(incident, report) + _toll_score(incident, report)
    score += _overlap_score({incident.target.type} - {"unknown"}, {report.target.type} - {"unknown"}, 0.5, 0.0)
    return max(score, 0.0)


def best_match(candidates: list[Incident], report: IncidentReport, reported_on: dt.date | None = None) -> Incident | None:
    """The open incident the report describes, or None for a new one.

    A news report looks first among news incidents, a background mention among historical ones, then at the
    rest. The best match at MATCH_THRESHOLD or more wins (ties: earlier first seen, then id), unless another
    incident of the same standing comes within AMBIGUITY_MARGIN of it: then which one it describes is a guess,
    unless only one of them lies in the report's town.
    """
    wants_historical = report.role == "background"
    for standing in (wants_historical, not wants_historical):
        passing = sorted(((score, incident) for incident in candidates if incident.historical == standing
                          if (score := match(incident, report, reported_on)) >= MATCH_THRESHOLD),
                         key=lambda pair: (-pair[0], pair[1].first_seen, pair[1].id))
        if passing:
            best_score = passing[0][0]
            tied = [incident for score, incident in passing if best_score - score < AMBIGUITY_MARGIN]
            return tied[0] if len(tied) == 1 else _only_one_in_the_same_town(tied, report)
    return None


def _only_one_in_the_same_town(tied: list[Incident], report: IncidentReport) -> Incident | None:
    """Of incidents a report fits about equally well, the only one in the report's own town (an undated report of
    a town's attack against a dated one placed by province only); None when none or several are."""
    same_town = [incident for incident in tied if _place_score(incident.location, report.location) == SAME_TOWN]
    return same_town[0] if len(same_town) == 1 else None


def compatible(incident: Incident, report: IncidentReport) -> bool:
    """No fact (place, date) rules out that the report is about this incident."""
    return _place_score(incident.location, report.location) is not None and _date_score(incident, report, None) is not None


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
        ",".join(sorted(_known(report.attack_types))),
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
    if report.date is not None and (incident.date is None or _date_rank(report) > _date_rank(incident)):
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


def _place_score(a: Location, b: Location) -> float | None:
    """Towns with their own coordinates compare by distance; a town known only by name (a village placed at its
    province's or country's coordinates) by name; otherwise the province decides, and the country alone gives little.
    """
    if a.country and b.country and a.country != b.country:
        return None
    other_province = bool(a.admin1 and b.admin1 and not _same_province(a.admin1, b.admin1))
    if _has_own_coordinates(a) and _has_own_coordinates(b):
        distance = distance_km(a.lat, a.lon, b.lat, b.lon)
        if distance <= SAME_PLACE_KM:
            return SAME_TOWN
        if distance <= NEARBY_KM:
            return 1.0
        return None if distance > DIFFERENT_PLACE_KM or other_province else 0.0
    if other_province:
        return None
    if a.city and b.city and name_key(a.city) == name_key(b.city):
        return SAME_TOWN
    if a.admin1 and b.admin1:
        return 1.0
    return 0.5 if a.country and b.country else 0.0


@lru_cache(maxsize=16_384)  # every open incident of a country is compared with each report: the pairs recur
def _same_province(a: str, b: str) -> bool:
    """One name, or one's distinctive words within the other's ('Kashmir' in 'Jammu and Kashmir', 'Minya' in
    'Al Minya', 'Borno' in 'Borno State'); compass words alone never make a province ('West' and 'North-West').
    """
    if name_key(a) == name_key(b):
        return True
    words_a, words_b = _province_words(a), _province_words(b)
    shorter, longer = sorted((words_a, words_b), key=len)
    return bool(shorter - COMPASS_WORDS) and shorter <= longer


def _province_words(name: str) -> set[str]:
    return {key for word in re.split(r"[\s\-–]+", name) if (key := name_key(word))} - PROVINCE_WORDS


def _has_own_coordinates(location: Location) -> bool:
    return location.precision == "city" and location.lat is not None and location.lon is not None


def _date_score(incident: Incident, report: IncidentReport, reported_on: dt.date | None) -> float | None:
    if incident.date is None or report.date is None:
        return _publication_score(incident, report, reported_on)
    if _date_rank(incident) < 3 or _date_rank(report) < 3:
        coarser = incident if _date_rank(incident) <= _date_rank(report) else report
        other = report if coarser is incident else incident
        same_year = coarser.date.year == other.date.year
        same_month = coarser.date.month == other.date.month
        return 0.5 if same_year and (_date_rank(coarser) == 1 or same_month) else None
    gap = abs((incident.date - report.date).days)
    if gap > DATE_WINDOW_DAYS:
        return None
    if gap == 0:
        return 2.0
    earlier_published = incident.first_published if incident.date < report.date else reported_on
    if earlier_published is not None and earlier_published < max(incident.date, report.date):
        return ALREADY_NEWS
    return 1.0 if gap == 1 else 0.0


def _publication_score(incident: Incident, report: IncidentReport, reported_on: dt.date | None) -> float:
    """With a date missing, the day the undated side was published stands in for it: in the few days after the other
    side's date (or, both undated, within days of the other's publication) PUBLISHED_CLOSE, outside them
    PUBLISHED_APART, unknown 0.
    """
    first_published = incident.first_published
    if incident.date is None and report.date is None:
        if reported_on is None or first_published is None:
            return 0.0
        return PUBLISHED_CLOSE if abs((reported_on - first_published).days) <= REPORTED_WITHIN_DAYS else PUBLISHED_APART
    dated, published = (incident, reported_on) if report.date is None else (report, first_published)
    if published is None or _date_rank(dated) < 3:
        return 0.0
    return PUBLISHED_CLOSE if -REPORTED_BEFORE_SLACK_DAYS <= (published - dated.date).days <= REPORTED_WITHIN_DAYS else PUBLISHED_APART


def _toll_score(incident: Incident, report: IncidentReport) -> float:
    """The report's death toll is one the incident has had (within TOLL_AGREEMENT_SHARE), from a few deaths up."""
    if report.killed is None or report.killed.value < TOLL_AGREEMENT_FROM:
        return 0.0
    tolls = {change.current.value for change in incident.toll_history if change.field == "killed"}
    tolls |= {incident.killed.value} if incident.killed else set()
    reported = report.killed.value
    return 1.0 if any(abs(toll - reported) <= TOLL_AGREEMENT_SHARE * max(toll, reported) for toll in tolls) else 0.0


def _date_rank(fields: IncidentFields) -> int:
    return _DATE_RANK[fields.date_precision or "day"] if fields.date else 0


def _known(attack_types: list[str]) -> set[str]:
    return set(attack_types) - {"unknown"}


def _overlap_score(a: set[str], b: set[str], shared: float, disjoint: float) -> float:
    if not a or not b:
        return 0.0
    return shared if a & b else disjoint


def _distinctive_score(incident: IncidentFields, report: IncidentReport) -> float:
    """A named site (a hospital, a market) or target both reports name, beyond the town itself."""
    def sites(fields: IncidentFields) -> set[str]:
        location = fields.location
        names = {name_key(location.name)} if location.name and location.name != location.city else set()
        if fields.target.text:
            names.add(name_key(fields.target.text))
        return names - {""}

    return 1.0 if sites(incident) & sites(report) else 0.0


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
