"""ExtractorProcess: the extractor runs in a child process; a failing article or a dying child costs one article."""

from __future__ import annotations

import asyncio
import os

import pytest

from extractors.schema import Article
from streams.extraction.extractor_process import ExtractorProcess
from tests.streams import rule_extractor


def article(article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text)


@pytest.fixture
def extractor():
    process = ExtractorProcess(rule_extractor.extract_batch)
    yield process
    process.close()


def run(coroutine):
    return asyncio.run(coroutine)


def test_extracts_in_another_process(extractor):
    batch = [article("a1", "A bomb in Quetta killed 4 people."), article("a2", "Markets rose on Tuesday.")]
    results, failures = run(extractor.extract(batch))
    assert failures == []
    assert [r.is_attack_report for r in results] == [True, False]
    assert results[0].incidents[0].killed.value == 4
    assert rule_extractor.calls == []  # the calls were recorded in the child, not here
    assert all(child.pid != os.getpid() for child in extractor._pool._processes.values())


def test_an_article_that_makes_the_extractor_raise_fails_alone(extractor):
    batch = [article("a1", "A bomb in Quetta killed 4 people."), article("bad", "POISON text"),
             article("a3", "Gunmen in Peshawar killed 2 guards.")]
    results, failures = run(extractor.extract(batch))
    assert [r is None for r in results] == [False, True, False]
    assert [(a.id, type(e).__name__) for a, e in failures] == [("bad", "RuntimeError")]


def test_an_article_that_kills_the_process_fails_alone_and_a_new_process_takes_over(extractor):
    batch = [article("a1", "A bomb in Quetta killed 4 people."), article("crash", "CRASH text"),
             article("a3", "Gunmen in Peshawar killed 2 guards.")]
    results, failures = run(extractor.extract(batch))
    assert [r is None for r in results] == [False, True, False]
    assert [a.id for a, _ in failures] == ["crash"]
    assert "died" in str(failures[0][1])
    again, _ = run(extractor.extract([article("a4", "A bomb in Quetta killed 7 people.")]))
    assert again[0].incidents[0].killed.value == 7
