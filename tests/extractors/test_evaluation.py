"""Scoring against dev-set labels: each figure counts what FORMAT.md says it counts."""

from __future__ import annotations

import datetime as dt

from extractors.evaluation import city_matches, counts_equal, evaluate, format_table, is_promoted
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


def test_table_lists_every_field():
    summary = evaluate({}, [label("a", TRUTH)], prefilter_passed=set()).as_dict()
    table = format_table(summary)
    for name in ("detection F1", "city accuracy", "date accuracy", "killed exact", "claimed-group recall",
                 "background promoted to main", "prefilter recall"):
        assert name in table
