"""Which open incident an incident report describes: the evidence that two accounts are of one real event.

Scores facts (place, date, attack types, perpetrators, sites, tolls) so that `best_match` can pick an incident or
decide the report opens a new one; how the chosen incident then changes is merge.py's concern. Plain functions of
their inputs (time is passed in). The rules are in docs/architecture.md, "Incident merging".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from extractors.places import distance_km, name_key
from extractors.schema import Incident, IncidentFields, IncidentReport, Location

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

# Words that say what kind of region a name is, not which one.
PROVINCE_WORDS = frozenset(
    "al el the of and state province region governorate division district prefecture department county".split())
COMPASS_WORDS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast southwest far upper lower"
    .split())

_DATE_RANK = {"day": 3, "month": 2, "year": 1}


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
    score = place + date + _overlap_score(known_attack_types(incident.attack_types),
                                          known_attack_types(report.attack_types), 1.0, -1.0)
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
    if date_rank(incident) < 3 or date_rank(report) < 3:
        coarser = incident if date_rank(incident) <= date_rank(report) else report
        other = report if coarser is incident else incident
        same_year = coarser.date.year == other.date.year
        same_month = coarser.date.month == other.date.month
        return 0.5 if same_year and (date_rank(coarser) == 1 or same_month) else None
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
    if published is None or date_rank(dated) < 3:
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


def date_rank(fields: IncidentFields) -> int:
    """How precise the date is (day 3, month 2, year 1, none 0): matching compares, merging keeps, the finer one."""
    return _DATE_RANK[fields.date_precision or "day"] if fields.date else 0


def known_attack_types(attack_types: list[str]) -> set[str]:
    """The attack types that say something ("unknown" neither agrees nor disagrees, nor tells incidents apart)."""
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
