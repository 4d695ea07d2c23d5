"""Scoring against dev-set labels: each figure counts what FORMAT.md says it counts."""

from __future__ import annotations

import datetime as dt

from extractors.evaluation import bcubed, canonical_group, city_matches, counts_equal, evaluate, is_promoted
from extractors.schema import Count, ExtractionResult, IncidentReport, Location, Perpetrator

TRUTH = {"country": "PK", "admin1": "Balochistan", "city": "Quetta", "lat": 30.18, "lon": 67.0,
         "date": "2016-10-24", "killed": {"value": 59, "qualifier": "at_least"},
         "injured": {"value": 100, "qualifier": "more_than"}, "attack_types": ["armed_assault", "bombing"],
         "claimed": ["Islamic State"], "suspected": ["Lashkar-e-Jhangvi"]}
BACKGROUND = {"date": "2015-09", "city": "Peshawar", "country": "PK", "killed": {"value": 29, "qualifier": "at_least"}}


def report(**changes) -> IncidentReport:
    values = dict(role="main", location=Location(city="Quetta", country="PK", lat=30.19, lon=67.01),
                  date=dt.date(2016, 10, 24), killed=Count(value=59, qualifier="at_least"),
                  injured=Count(value=100, qualifier="more_than"), attack_types=["bombing", "armed_assault"],
                  perpetrators=[Perpetrator(name="Islamic State", role="claimed")])
    values.update(changes)
    return IncidentReport(**values)


def label(article_id: str, main: dict | None, background=()) -> dict:
    return {"id": article_id, "is_attack_report": main is not None, "main": main, "background": list(background)}


def test_perfect_result_scores_one_everywhere():
    labels = [label("a", TRUTH, [BACKGROUND]), label("n", None)]
    results = {"a": ExtractionResult(id="a", is_attack_report=True, incidents=[report()]),
               "n": ExtractionResult(id="n", is_attack_report=False)}
    summary = evaluate(results, labels, prefilter_passed={"a"}).as_dict()
    for name in ("detection_precision", "detection_recall", "detection_f1", "country", "city", "date", "killed",
                 "injured", "claimed_group_recall", "attack_type_accuracy", "prefilter_recall"):
        assert summary[name] == 1.0, name
    assert summary["background_promoted_to_main"] == 0
    assert summary["mistakes"] == {}


def test_missed_and_false_detections_and_missing_results():
    labels = [label("a", TRUTH), label("b", TRUTH), label("n", None)]
    results = {"a": ExtractionResult(id="a", is_attack_report=True, incidents=[report()]),
               "n": ExtractionResult(id="n", is_attack_report=True, incidents=[report()])}
    summary = evaluate(results, labels, prefilter_passed={"a"}).as_dict()
    assert (summary["detection_precision"], summary["detection_recall"]) == (0.5, 0.5)
    assert summary["killed"] == 0.5 and summary["prefilter_recall"] == 0.5
    assert summary["mistakes"]["detection"] == ["b: missed", "n: false positive"]


def test_city_matches_by_name_or_within_25_km():
    assert city_matches(TRUTH, report(location=Location(city="QUETTA")))
    assert city_matches(TRUTH, report(location=Location(city="Kwatah", lat=30.25, lon=67.05)))
    assert not city_matches(TRUTH, report(location=Location(city="Mastung", lat=29.8, lon=66.85)))
    assert city_matches({**TRUTH, "city": None}, report(location=Location(admin1="Balochistan")))
    assert not city_matches({**TRUTH, "city": None}, report())


def test_counts_need_value_and_qualifier():
    assert counts_equal({"value": 59, "qualifier": "at_least"}, Count(value=59, qualifier="at_least"))
    assert not counts_equal({"value": 59, "qualifier": "at_least"}, Count(value=59))
    assert counts_equal(None, None) and not counts_equal(None, Count(value=0))


def test_a_recap_taken_as_main_is_counted_as_promoted():
    assert is_promoted(BACKGROUND, TRUTH, report(killed=Count(value=29, qualifier="at_least")))
    assert is_promoted(BACKGROUND, TRUTH, report(date=dt.date(2015, 9, 1)))
    assert is_promoted(BACKGROUND, TRUTH, report(location=Location(city="Peshawar")))
    assert not is_promoted(BACKGROUND, TRUTH, report())


def realnews_label(article_id: str, **changes) -> dict:
    values = {"id": article_id, "kind": "attack", "group": "quetta", "incident_date": None, "country": "PK",
              "admin1": "Balochistan", "city": None, "lat": None, "lon": None, "attack_types": ["bombing"],
              "killed": 59, "killed_qualifier": "at_least", "injured": None, "injured_qualifier": None,
              "perpetrator_claimed": [], "perpetrator_suspected": []}
    return values | changes


def test_real_news_labels_score_only_what_they_label():
    results = {"a": ExtractionResult(id="a", is_attack_report=True, incidents=[report(killed=Count(value=59))]),
               "n": ExtractionResult(id="n", is_attack_report=False)}
    labels = [realnews_label("a"), {"id": "n", "kind": "negative", "why": "an earthquake"}]
    summary = evaluate(results, labels, prefilter_passed={"a"}).as_dict()
    assert summary["detection_f1"] == 1.0 and summary["country"] == 1.0
    assert summary["killed"] == 1.0, "counts by value, whatever the qualifier"
    assert summary["scored"]["city"] == summary["scored"]["date"] == summary["scored"]["injured"] == 0
    assert summary["scored"]["claimed_group_recall"] == 0
    assert summary["attack_type_accuracy"] == 1.0, "one type in common is enough"


def test_real_news_zero_toll_is_met_by_no_count():
    assert counts_equal({"value": 0, "qualifier": None}, None, value_only=True)
    assert not counts_equal({"value": 0, "qualifier": "exact"}, None)


def test_real_news_claims_count_per_article_and_by_alias():
    claimed = [Perpetrator(name="Islamic State", role="claimed")]
    results = {"a": ExtractionResult(id="a", is_attack_report=True, incidents=[report(perpetrators=claimed)]),
               "b": ExtractionResult(id="b", is_attack_report=True, incidents=[report(perpetrators=claimed)])}
    labels = [realnews_label("a", perpetrator_claimed=["ISIS"]),
              realnews_label("b", perpetrator_claimed=["Islamic State's branch in the region", "Boko Haram"])]
    summary = evaluate(results, labels, prefilter_passed=set()).as_dict()
    assert summary["scored"]["claimed_group_recall"] == 2 and summary["claimed_group_recall"] == 0.5
    assert canonical_group("Tehreek e Taliban") != "Taliban", "an alias inside the name is another group"


def test_a_place_without_a_city_matches_real_news_labels_by_name():
    village = report(location=Location(name="Tchamba", country="TG", lat=9.9, lon=1.2, precision="admin1"))
    truth = {"city": "Tchamba", "lat": 9.03, "lon": 1.42}
    assert city_matches(truth, village, any_place_name=True)
    assert not city_matches(truth, village)


def test_bcubed_of_clusters_against_groups():
    groups = {"a": "x", "b": "x", "c": "y"}
    assert bcubed({"a": 1, "b": 1, "c": 2}, groups) == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "groups": 2}
    split = bcubed({"a": 1, "b": 2, "c": 3}, groups)
    assert split["precision"] == 1.0 and split["recall"] == round((0.5 + 0.5 + 1) / 3, 3)
    lumped = bcubed({"a": 1, "b": 1, "c": 1}, groups)
    assert lumped["recall"] == 1.0 and lumped["precision"] == round((2 / 3 + 2 / 3 + 1 / 3) / 3, 3)
    assert bcubed({}, groups)["recall"] == round((0.5 + 0.5 + 1) / 3, 3), "an unclustered report stands alone"
