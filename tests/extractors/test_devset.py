"""Regression guards: the extractor on the whole dev set (100 invented articles) meets the four targets, and on the
French self-written sets keeps the figures it reached (docs/extraction.md, "Evaluation")."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract_batch
from extractors.evaluation import TARGETS, evaluate
from extractors.pipeline import screen
from extractors.records import RecordError, read_articles, read_jsonl

DATA = Path(__file__).resolve().parents[1] / "data"
DEVSET = DATA / "devset"
# Floors at the figures reached: devset-fr written alongside the French rules, fresh-fr written blind and then
# used to fix the kinds of mistakes it showed (its blind figures are in its README).
FRENCH_FLOORS = {
    "devset-fr": {"detection_f1": 1.0, "country": 1.0, "city": 0.944, "date": 1.0, "killed": 1.0, "injured": 0.917,
                  "claimed_group_recall": 1.0, "attack_type_accuracy": 1.0},
    "fresh-fr": {"detection_f1": 1.0, "country": 1.0, "city": 1.0, "date": 1.0, "killed": 1.0, "injured": 1.0,
                 "claimed_group_recall": 1.0, "attack_type_accuracy": 0.952},
}


def test_devset_meets_targets(nlp):
    articles = list(read_articles(DEVSET / "devset-articles.jsonl"))
    assert not [a for a in articles if isinstance(a, RecordError)]
    labels = read_jsonl(DEVSET / "devset-labels.jsonl")
    assert len(articles) == len(labels) == 100
    results = {r.id: r for r in extract_batch(articles, nlp)}
    passed = {a.id for a in articles if screen(a)[1]}
    summary = evaluate(results, labels, passed).as_dict()
    failing = {name: summary[name] for name, target in TARGETS.items() if summary[name] < target}
    assert not failing, (failing, {name: summary["mistakes"].get(name) for name in ("detection", *failing)})
    assert summary["background_promoted_to_main"] == 0, summary["mistakes"].get("background")


@pytest.mark.parametrize("name", sorted(FRENCH_FLOORS))
def test_french_sets_keep_their_figures(french_nlp, name):
    articles = list(read_articles(DATA / name / f"{name}-articles.jsonl"))
    assert not [a for a in articles if isinstance(a, RecordError)]
    labels = read_jsonl(DATA / name / f"{name}-labels.jsonl")
    results = {r.id: r for r in extract_batch(articles, french_nlp)}
    passed = {a.id for a in articles if screen(a)[1]}
    summary = evaluate(results, labels, passed).as_dict()
    below = {field: summary[field] for field, floor in FRENCH_FLOORS[name].items() if summary[field] < floor}
    assert not below, (below, summary["mistakes"])
    assert summary["background_promoted_to_main"] == 0, summary["mistakes"].get("background")
