"""The data contract round-trips through JSON unchanged, and rejects what no stage should ever emit."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from extractors.schema import (
    MAX_ARTICLE_CHARS,
    Alert,
    Article,
    Count,
    Evidence,
    ExtractionResult,
    Incident,
    IncidentReport,
    Location,
    Perpetrator,
    Region,
    Rule,
    Target,
    TollChange,
    Watch,
)

NOW = dt.datetime(2016, 10, 25, 6, 0, tzinfo=dt.timezone.utc)


def quetta_report() -> IncidentReport:
    return IncidentReport(
        role="main",
        attack_types=["armed_assault", "bombing"],
        suicide=True,
        date=dt.date(2016, 10, 24),
        date_precision="day",
        location=Location(name="Quetta", city="Quetta", admin1="Balochistan", country="PK", lat=30.18, lon=67.0,
                          precision="city", gazetteer_id="1167528"),
        killed=Count(value=59, qualifier="at_least"),
        injured=Count(value=100, qualifier="more_than"),
        attackers=Count(value=3, qualifier="at_least"),
        perpetrators=[Perpetrator(name="Islamic State", role="claimed", branch="Khorasan Province", mentions=["Islamic State"])],
        target=Target(type="police", text="police training college"),
        weapons=["firearms", "explosives"],
        evidence=[Evidence(field="killed", sentence="Gunmen ... killed at least 59 people", char_start=0, char_end=36)],
        confidence=0.9,
    )


def round_trip(model):
    return type(model).model_validate_json(model.model_dump_json())


def test_every_model_round_trips_through_json():
    report = quetta_report()
    incident = Incident(id="i1", first_seen=NOW, last_updated=NOW, article_ids=["a1"], sources=["wire"],
                        toll_history=[TollChange(field="killed", previous=None, current=report.killed, article_id="a1", at=NOW)],
                        **report.model_dump(exclude={"role", "evidence", "confidence"}))
    watch = Watch(id="pk", name="Pakistan", region=Region(countries=["PK"], point=(30.18, 67.0), radius_km=100),
                  rule=Rule(min_killed=1))
    alert = Alert(id=Alert.id_for("pk", "i1", "new", "match"), kind="new", watch_id="pk", watch_name="Pakistan",
                  incident_id="i1", incident_version=1, threshold="match", summary="s", incident=incident, created_at=NOW)
    models = [
        Article(id="a1", text="t", published=NOW, tags=["south-asia"]),
        ExtractionResult(id="a1", is_attack_report=True, incidents=[report]),
        incident, watch, alert,
    ]
    for model in models:
        assert round_trip(model) == model


def test_main_is_the_main_incident_not_a_background_one():
    background = quetta_report().model_copy(update={"role": "background"})
    result = ExtractionResult(id="a", is_attack_report=True, incidents=[background, quetta_report()])
    assert result.main.role == "main"
    assert ExtractionResult(id="a", is_attack_report=False).main is None


def test_ids_are_stable_and_distinct():
    assert Article.id_for("https://x.test/a", "text") == Article.id_for("https://x.test/a", "other text")
    assert Article.id_for(None, "same  words\n here") == Article.id_for(None, "same words here")
    assert Article.id_for(None, "one text") != Article.id_for(None, "another text")
    assert Alert.id_for("w", "i", "new", "match") != Alert.id_for("w", "i", "escalation", "match")


@pytest.mark.parametrize("bad", [
    {"role": "main", "attack_types": ["riot"]},
    {"role": "main", "killed": {"value": -1}},
    {"role": "main", "killed": {"value": 3, "qualifier": "roughly"}},
    {"role": "sideline"},
    {"role": "main", "location": {"country": "PAK"}},
    {"role": "main", "location": {"lat": 91}},
    {"role": "main", "unexpected": 1},
])
def test_invalid_reports_are_rejected(bad):
    with pytest.raises(ValidationError):
        IncidentReport.model_validate(bad)


def test_an_article_id_must_fit_elasticsearch():
    assert Article(id="é" * 256, text="Gunmen attacked a checkpoint.").id  # 512 bytes: the limit itself
    with pytest.raises(ValidationError, match="id is 513 bytes long; at most 512"):
        Article(id="é" * 256 + "x", text="Gunmen attacked a checkpoint.")
    with pytest.raises(ValidationError, match="id"):
        Article(id="", text="Gunmen attacked a checkpoint.")


@pytest.mark.parametrize("text", ["", " ", "\n\t \u00a0\n"])
def test_an_article_needs_words(text):
    with pytest.raises(ValidationError, match="text is empty or only whitespace"):
        Article(id="a1", text=text)


def test_an_article_must_fit_a_kafka_message():
    Article(id="a1", title="t" * 10, text="x" * (MAX_ARTICLE_CHARS - 10))
    with pytest.raises(ValidationError, match="hold 100,001 characters; at most 100,000"):
        Article(id="a1", title="t" * 10, summary="s", text="x" * (MAX_ARTICLE_CHARS - 10))


@pytest.mark.parametrize("field", ["published", "fetched_at"])
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "1899-12-31T23:59:59+00:00", "2100-01-01T00:00:00Z", "9999-12-31"])
def test_article_dates_outside_a_sane_range_are_refused(field, when):
    with pytest.raises(ValidationError, match="is outside 1900-2099"):
        Article.model_validate({"id": "a1", "text": "A bomb exploded.", field: when})


def test_article_dates_inside_the_range_are_kept_naive_or_aware():
    article = Article(id="a1", text="A bomb exploded.", published=dt.datetime(1900, 1, 1), fetched_at=NOW)
    assert article.published == dt.datetime(1900, 1, 1) and article.fetched_at == NOW
