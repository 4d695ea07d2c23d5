"""The acceptance test: the one real article the user gave us, every field of every incident."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract
from extractors.places import distance_km
from extractors.schema import Article, Count


@pytest.fixture(scope="module")
def result(seed_path, nlp):
    title, _, body = seed_path.read_text(encoding="utf-8").partition("\n")
    article = Article(id="seed", title=title, text=body.lstrip("\n"), published=dt.datetime(2016, 10, 25))
    return article, extract(article, nlp)


def evidence_text(article, incident, field):
    return [article.text[e.char_start:e.char_end] for e in incident.evidence if e.field == field]


def test_seed_is_an_attack_report_with_one_main_and_two_background_incidents(result):
    _, extraction = result
    assert extraction.id == "seed"
    assert extraction.is_attack_report is True
    assert [i.role for i in extraction.incidents] == ["main", "background", "background"]


def test_seed_main_incident_place_is_quetta_not_the_islamabad_dateline(result):
    article, extraction = result
    location = extraction.main.location
    assert (location.city, location.admin1, location.country, location.precision) == (
        "Quetta", "Balochistan", "PK", "city")
    assert distance_km(location.lat, location.lon, 30.18, 67.00) < 5
    assert evidence_text(article, extraction.main, "location") == ["Quetta"]
    assert distance_km(location.lat, location.lon, 33.72, 73.04) > 500  # Islamabad, the dateline


def test_seed_main_incident_date_counts_and_attackers(result):
    article, extraction = result
    main = extraction.main
    assert (main.date, main.date_precision) == (dt.date(2016, 10, 24), "day")
    assert evidence_text(article, main, "date") == ["Monday"]
    assert main.killed == Count(value=59, qualifier="at_least")
    assert main.injured == Count(value=100, qualifier="more_than")
    assert main.attackers == Count(value=3, qualifier="at_least")
    assert main.attackers_killed is None
    assert evidence_text(article, main, "killed") == ["at least 59 people"]
    assert evidence_text(article, main, "injured") == ["more than 100 people"]
    assert evidence_text(article, main, "attackers") == ["at least three attackers"]


def test_seed_main_incident_types_target_and_perpetrators(result):
    article, extraction = result
    main = extraction.main
    assert main.attack_types == ["armed_assault", "bombing"]
    assert main.suicide is True
    assert set(main.weapons) == {"firearms", "explosives"}
    assert main.target.type == "police"
    assert "Training College" in main.target.text
    claimed = [p for p in main.perpetrators if p.role == "claimed"]
    suspected = [p for p in main.perpetrators if p.role == "suspected"]
    assert [p.name for p in claimed] == ["Islamic State"]
    assert claimed[0].branch == "Khorasan Province"
    assert "Khorasan Province" in claimed[0].mentions
    assert [p.name for p in suspected] == ["Lashkar-e-Jhangvi"]
    assert "Taliban" not in {p.name for p in main.perpetrators}
    assert 0.0 <= main.confidence <= 1.0 and main.confidence >= 0.8


def test_seed_every_filled_main_field_has_evidence_pointing_into_the_text(result):
    article, extraction = result
    main = extraction.main
    fields = {e.field for e in main.evidence}
    assert fields >= {"location", "date", "killed", "injured", "attackers", "perpetrators", "attack_types",
                      "suicide", "target", "weapons"}
    for item in main.evidence:
        assert 0 <= item.char_start < item.char_end <= len(article.text)
        assert article.text[item.char_start:item.char_end] in item.sentence


def test_seed_background_incidents_keep_their_own_facts(result):
    _, extraction = result
    peshawar, lawyers = extraction.incidents[1:]
    assert (peshawar.location.city, peshawar.location.country) == ("Peshawar", "PK")
    assert (peshawar.date, peshawar.date_precision) == (dt.date(2015, 9, 1), "month")
    assert peshawar.killed == Count(value=29, qualifier="at_least")
    assert peshawar.target.type == "military"
    assert (lawyers.location.city, lawyers.location.country) == ("Quetta", "PK")
    assert (lawyers.date, lawyers.date_precision) == (dt.date(2016, 8, 1), "month")
    assert lawyers.killed == Count(value=70, qualifier="more_than")
    assert lawyers.suicide is True and "bombing" in lawyers.attack_types
    for background in (peshawar, lawyers):
        assert background.confidence < extraction.main.confidence


def test_seed_background_numbers_never_leak_into_the_main_incident(result):
    _, extraction = result
    main = extraction.main
    assert main.killed.value not in (29, 70)
    assert main.date.year == 2016 and main.date.month == 10
    assert main.location.city != "Peshawar"
