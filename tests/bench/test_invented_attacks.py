"""The benchmarks' invented attack reports: the extractor reads each as a new attack where and when it was meant."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from invented_attacks import attack_article, attack_stream, attack_watches  # noqa: E402

import extractors  # noqa: E402
from extractors.gazetteer import name_key  # noqa: E402
from streams.dedup import DedupIndex  # noqa: E402
from streams.incidents.merge import ArticleRef  # noqa: E402
from streams.incidents.store import IncidentStore, record_report  # noqa: E402
from streams.watches.index import WatchIndex  # noqa: E402

START = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def reports():
    rng = random.Random(7)
    pairs = [attack_article(rng, f"attack-{n}", START + dt.timedelta(hours=29 * n)) for n in range(40)]
    return pairs, extractors.extract_batch([article for article, _ in pairs])


def test_reports_are_read_as_the_attacks_they_invent(reports):
    pairs, results = reports
    read_as_meant = 0
    for (_, attack), result in zip(pairs, results, strict=True):
        assert result.is_attack_report
        main = result.main
        read_as_meant += (main.location.country == attack.town.country
                          and name_key(main.location.city or "") == name_key(attack.town.name)
                          and main.date == attack.date and attack.attack_type in main.attack_types
                          and main.killed is not None and main.killed.value == attack.killed)
    assert read_as_meant >= 36, f"only {read_as_meant} of 40 invented reports read as invented"


def test_every_report_is_a_place_and_day_of_its_own(reports):
    pairs, _ = reports
    assert len({(attack.town, attack.date) for _, attack in pairs}) == len(pairs)
    assert len({attack.town.country for _, attack in pairs}) >= 15


def test_dedup_takes_no_report_for_a_copy_of_another():
    stream = attack_stream(400, attack_share=1.0, event_days=2, end=START)
    index = DedupIndex({})  # the worker's defaults
    copies = [a.id for a in stream if index.check_and_add(a.id, a.text, now=a.fetched_at).duplicate_of]
    assert copies == []


def test_stream_mixes_attacks_into_filler_over_its_event_time():
    stream = attack_stream(1000, attack_share=0.1, event_days=30, end=START)
    attacks = sum(article.source == "invented-attacks" for article in stream)
    assert 70 <= attacks <= 130
    assert stream[-1].fetched_at <= START
    assert (stream[-1].fetched_at - stream[0].fetched_at).days == 29
    assert [a.fetched_at for a in stream] == sorted(a.fetched_at for a in stream)


def test_most_invented_attacks_match_a_few_of_the_watches(reports):
    pairs, results = reports
    index = WatchIndex.build(attack_watches(1000))
    store = IncidentStore({})
    matched = []
    for (article, _), result in zip(pairs, results, strict=True):
        outcome = record_report(store, result.main, ArticleRef.of(article), article.fetched_at)
        matched.append(len(index.matching(outcome.incident)))
    assert sum(1 for count in matched if count) >= 30
    assert sorted(matched)[len(matched) // 2] <= 20
