"""Fixtures for the extractor tests: one spaCy pipeline per session, and Articles from invented text."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.schema import Article

WEDNESDAY = dt.date(2024, 3, 6)


@pytest.fixture(scope="session")
def nlp():
    from extractors import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def french_nlp():
    from extractors import load_nlp

    return load_nlp("fr")


@pytest.fixture
def make_article():
    """Article(text, published=a Wednesday, title=None, article_id="a1"), published at midnight."""

    def make(text: str, published: dt.date | None = WEDNESDAY, title: str | None = None,
             article_id: str = "a1") -> Article:
        when = dt.datetime.combine(published, dt.time()) if published else None
        return Article(id=article_id, title=title, text=text, published=when)

    return make
