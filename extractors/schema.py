"""The data contract shared by every stage: articles in, incident reports, merged incidents, watches and alerts out.

Every model round-trips through JSON (`model_dump(mode="json")` / `model_validate`), which is how
they travel on Kafka topics and into Elasticsearch.
"""

from __future__ import annotations

import hashlib
import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AttackType = Literal[
    "assassination",
    "armed_assault",
    "bombing",
    "hijacking",
    "hostage_barricade",
    "kidnapping",
    "facility_attack",
    "unarmed_assault",
    "unknown",
]
TargetType = Literal[
    "civilians",
    "military",
    "police",
    "government",
    "business",
    "religious",
    "educational",
    "transport",
    "journalists",
    "diplomatic",
    "utilities",
    "tourists",
    "ngo",
    "unknown",
]
Weapon = Literal["firearms", "explosives", "vehicle", "melee", "incendiary", "unknown"]
Qualifier = Literal["exact", "at_least", "more_than", "about"]
Precision = Literal["city", "admin1", "country"]
DatePrecision = Literal["day", "month", "year"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def stable_id(*parts: str, length: int = 20) -> str:
    """A short deterministic id, so replays and restarts produce the same keys and documents."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


# Elasticsearch refuses a whole bulk request over one `_id` longer than this.
MAX_ID_BYTES = 512
# Title, summary and text together: every message that carries an article (JSON with non-ASCII characters
# escaped, up to 6 bytes each, plus its extraction) must stay under Kafka's 1 MB message limit.
MAX_ARTICLE_CHARS = 100_000
# Article dates outside these bounds are errors of the source (year 1, year 9999), and date arithmetic
# (ages, merge windows) near the ends of the calendar overflows.
EARLIEST_DATE = dt.datetime(1900, 1, 1, tzinfo=dt.timezone.utc)
LATEST_DATE = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)


class Article(_Model):
    id: str = Field(min_length=1)
    url: str | None = None
    canonical_url: str | None = None
    source: str | None = None
    title: str | None = None
    text: str
    summary: str | None = None
    published: dt.datetime | None = None
    fetched_at: dt.datetime | None = None
    language: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_fits_elasticsearch(cls, value: str) -> str:
        size = len(value.encode("utf-8"))
        if size > MAX_ID_BYTES:
            raise ValueError(f"id is {size} bytes long; at most {MAX_ID_BYTES} (Elasticsearch's limit for a document id)")
        return value

    @field_validator("text")
    @classmethod
    def _text_has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty or only whitespace")
        return value

    @field_validator("published", "fetched_at")
    @classmethod
    def _date_is_plausible(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None:
            aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
            if not EARLIEST_DATE <= aware < LATEST_DATE:
                raise ValueError(f"{value.isoformat()} is outside {EARLIEST_DATE.year}-{LATEST_DATE.year - 1}")
        return value

    @model_validator(mode="after")
    def _fits_a_message(self) -> Article:
        size = len(self.text) + len(self.title or "") + len(self.summary or "")
        if size > MAX_ARTICLE_CHARS:
            raise ValueError(f"title, summary and text hold {size:,} characters; at most {MAX_ARTICLE_CHARS:,}")
        return self

    @staticmethod
    def id_for(canonical_url: str | None, text: str) -> str:
        """The article id: a hash of the canonical URL, or of the text when there is no URL (file input)."""
        if canonical_url:
            return stable_id("url", canonical_url)
        return stable_id("text", " ".join(text.split()))


class Count(_Model):
    value: int = Field(ge=0)
    qualifier: Qualifier = "exact"


class Location(_Model):
    """Where an incident happened. `precision` is that of the point (lat, lon): a village no gazetteer lists
    keeps its name in `city` with its region's point (`admin1`) or its country's (`country`)."""

    name: str | None = None
    city: str | None = None
    admin1: str | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    precision: Precision | None = None
    gazetteer_id: str | None = None


class Perpetrator(_Model):
    name: str
    role: Literal["claimed", "suspected"]
    branch: str | None = None
    mentions: list[str] = Field(default_factory=list)


class Target(_Model):
    type: TargetType = "unknown"
    text: str | None = None
    language: str | None = None  # of `text` (ISO 639-1); None in records from before languages were read


class Evidence(_Model):
    field: str
    sentence: str
    char_start: int = Field(ge=0)
    char_end: int = Field(ge=0)
    language: str | None = None  # of `sentence` (ISO 639-1); None in records from before languages were read


class Title(_Model):
    """A member article's own title, in its own language, so an alert can quote it beside the English summary."""

    article_id: str
    text: str
    language: str | None = None


class IncidentFields(_Model):
    """What is known about one incident; shared by a single article's report and the merged incident."""

    attack_types: list[AttackType] = Field(default_factory=list)
    suicide: bool | None = None
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    location: Location = Field(default_factory=Location)
    killed: Count | None = None
    injured: Count | None = None
    attackers: Count | None = None
    attackers_killed: Count | None = None
    perpetrators: list[Perpetrator] = Field(default_factory=list)
    target: Target = Field(default_factory=Target)
    weapons: list[Weapon] = Field(default_factory=list)


class IncidentReport(IncidentFields):
    """One incident as one article describes it."""

    role: Literal["main", "background"]
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class ExtractionResult(_Model):
    """`language` is the article's ISO 639-1 code; `read` is False when the extractor cannot read that language
    yet, and then `is_attack_report` False means "not read", not "no attack"."""

    id: str
    is_attack_report: bool
    incidents: list[IncidentReport] = Field(default_factory=list)
    language: str | None = None
    read: bool = True

    @property
    def main(self) -> IncidentReport | None:
        return next((i for i in self.incidents if i.role == "main"), None)


class TollChange(_Model):
    field: Literal["killed", "injured"]
    previous: Count | None
    current: Count
    article_id: str
    at: dt.datetime


class Incident(IncidentFields):
    """The merged, multi-article record of one real event."""

    id: str
    historical: bool = False
    first_seen: dt.datetime
    last_updated: dt.datetime
    first_published: dt.date | None = None  # the earliest day one of its articles says it was published
    version: int = Field(default=1, ge=1)
    # The first members, sources and links (MAX_ARTICLE_IDS, MAX_SOURCES, MAX_SOURCE_URLS in streams.incidents.merge);
    # article_count counts every member article.
    article_ids: list[str] = Field(default_factory=list)
    article_count: int = 0
    sources: list[str] = Field(default_factory=list)
    source_urls: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    titles: list[Title] = Field(default_factory=list)  # the first few member articles' (MAX_TITLES in streams.incidents)
    toll_history: list[TollChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _counts_its_listed_members(self) -> Incident:
        """Records from before the count was kept list every member."""
        self.article_count = max(self.article_count, len(self.article_ids))
        return self


class Region(_Model):
    """Where a watch looks; an incident matches when any given part matches."""

    countries: list[str] = Field(default_factory=list)
    admin1: list[str] = Field(default_factory=list)
    geojson: dict | None = None
    point: tuple[float, float] | None = None  # (lat, lon)
    radius_km: float | None = Field(default=None, gt=0)
    bbox: tuple[float, float, float, float] | None = None  # (min_lon, min_lat, max_lon, max_lat)


class Rule(_Model):
    min_killed: int = 0
    min_injured: int = 0
    attack_types: list[AttackType] = Field(default_factory=list)
    perpetrators: list[str] = Field(default_factory=list)
    text_query: str | None = None


class Watch(_Model):
    id: str
    name: str
    region: Region
    rule: Rule = Field(default_factory=Rule)
    sinks: list[str] = Field(default_factory=lambda: ["log"])
    throttle_minutes: int = Field(default=0, ge=0)
    quiet_hours: tuple[int, int] | None = None  # [start, end) hours in `timezone`; may wrap midnight
    timezone: str = "UTC"


class Alert(_Model):
    id: str
    kind: Literal["new", "escalation"]
    watch_id: str
    watch_name: str
    incident_id: str
    incident_version: int
    threshold: str
    summary: str
    incident: Incident
    created_at: dt.datetime

    @staticmethod
    def id_for(watch_id: str, incident_id: str, kind: str, threshold: str) -> str:
        """One alert per (watch, incident, kind, threshold), whoever computes it and however often."""
        return stable_id("alert", watch_id, incident_id, kind, threshold)
