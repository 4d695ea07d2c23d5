"""article_time: the clock that dedup and merging run on, the same in the stream and in a replay; the text-matches
header of incident updates."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.schema import Article
from streams.runtime.messages import FUTURE_TOLERANCE, TEXT_MATCHES_HEADER, article_time, text_matches_header, text_matches_in

ARRIVAL = dt.datetime(2021, 3, 2, 12, 0, tzinfo=dt.timezone.utc)


def article(**times) -> Article:
    return Article(id="a1", text="Gunmen attacked a checkpoint.", **times)


def test_fetch_time_wins_then_publication_then_arrival():
    fetched = ARRIVAL - dt.timedelta(minutes=5)
    published = ARRIVAL - dt.timedelta(hours=3)
    assert article_time(article(fetched_at=fetched, published=published), ARRIVAL) == fetched
    assert article_time(article(published=published), ARRIVAL) == published
    assert article_time(article(), ARRIVAL) == ARRIVAL


def test_a_naive_time_is_read_as_utc():
    assert article_time(article(published=dt.datetime(2021, 3, 1, 8, 0)), ARRIVAL) == dt.datetime(
        2021, 3, 1, 8, 0, tzinfo=dt.timezone.utc)


def test_an_article_dated_ahead_of_its_arrival_is_capped():
    far_ahead = article(published=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    assert article_time(far_ahead, ARRIVAL) == ARRIVAL + FUTURE_TOLERANCE
    slightly_ahead = ARRIVAL + dt.timedelta(hours=2)
    assert article_time(article(published=slightly_ahead), ARRIVAL) == slightly_ahead


def test_text_matches_travel_in_a_header_only_when_there_are_some():
    header = text_matches_header(["pk-college", "watch, with a comma"])
    assert text_matches_in(header) == ["pk-college", "watch, with a comma"]
    assert text_matches_header([]) is None
    assert text_matches_in({}) == [] and text_matches_in({"other": b"x"}) == []


@pytest.mark.parametrize("raw", [b"pk-college", b'{"id": "x"}', b"[1, 2]", b"\xff"])
def test_a_malformed_text_matches_header_is_an_error(raw):
    with pytest.raises(ValueError):
        text_matches_in({TEXT_MATCHES_HEADER: raw})
