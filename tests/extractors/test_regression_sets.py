"""Regression guard: the self-written sets scored once before their mistakes were studied (tests/data/heldout,
tests/data/fresh-en) keep their figures. The floors sit at the figures the rules reach (docs/extraction.md,
"Evaluation"); a change that drops one has lost something a general rule had bought."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract_batch
from extractors.evaluation import evaluate
from extractors.pipeline import screen
from extractors.records import RecordError, read_articles, read_jsonl

DATA = Path(__file__).resolve().parents[1] / "data"
FIELDS = ("detection_f1", "country", "city", "date", "killed", "injured", "claimed_group_recall",
          "attack_type_accuracy")
FLOORS = {
    "heldout": dict(zip(FIELDS, (0.94, 1.0, 0.92, 0.96, 0.92, 0.96, 1.0, 0.76))),
    "fresh-en": dict(zip(FIELDS, (1.0, 1.0, 0.95, 0.95, 1.0, 1.0, 1.0, 1.0))),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_regression_set_keeps_its_floors(nlp, name):
    articles = list(read_articles(DATA / name / f"{name}-articles.jsonl"))
    assert not [a for a in articles if isinstance(a, RecordError)]
    labels = read_jsonl(DATA / name / f"{name}-labels.jsonl")
    assert len(articles) == len(labels)
    results = {r.id: r for r in extract_batch(articles, nlp)}
    passed = {a.id for a in articles if screen(a)[1]}
    summary = evaluate(results, labels, passed).as_dict()
    below = {field: summary[field] for field, floor in FLOORS[name].items() if summary[field] < floor}
    assert not below, (below, {field: summary["mistakes"].get(field) for field in below})
