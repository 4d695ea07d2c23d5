"""Regression guard: the extractor on the whole dev set (100 invented articles) meets the four targets."""

from __future__ import annotations

from pathlib import Path

from extractors import extract_batch
from extractors.evaluation import TARGETS, evaluate
from extractors.pipeline import screen
from extractors.records import RecordError, read_articles, read_jsonl

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset"


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
