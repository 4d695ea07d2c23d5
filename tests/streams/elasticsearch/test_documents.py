"""Article documents carry the extractor's language and whether it read the article."""

from __future__ import annotations

import datetime as dt

from extractors.schema import Article, ExtractionResult
from streams.elasticsearch.documents import article_document

NOW = dt.datetime(2024, 3, 6, 12, tzinfo=dt.timezone.utc)
FRENCH = Article(id="f1", source="Le Sahel", language="fr", title="Attaque contre un marché",
                 text="Des hommes armés ont attaqué un marché mardi soir, faisant six morts, selon la gendarmerie.")
ENGLISH = Article(id="e1", text="Gunmen attacked a market on Tuesday evening, killing six people, police said.")


def test_an_unread_language_is_said_so_not_no_attack():
    result = ExtractionResult(id="f1", is_attack_report=False, language="fr", read=False)
    article = article_document(FRENCH, result, None, NOW)["article"]
    assert (article["language"], article["declared_language"], article["read"], article["is_attack_report"]) == (
        "fr", "fr", False, None)


def test_a_read_article_keeps_its_verdict():
    result = ExtractionResult(id="e1", is_attack_report=True, language="en")
    article = article_document(ENGLISH, result, None, NOW)["article"]
    assert (article["language"], article["read"], article["is_attack_report"]) == ("en", True, True)


def test_a_result_from_before_identification_gets_what_that_version_decided():
    """Old results carry no language: English prose was read, anything else was not."""
    old = ExtractionResult(id="f1", is_attack_report=False)
    article = article_document(FRENCH, old, None, NOW)["article"]
    assert (article["language"], article["read"], article["is_attack_report"]) == ("und", False, None)
    english = article_document(ENGLISH, ExtractionResult(id="e1", is_attack_report=False), None, NOW)["article"]
    assert (english["language"], english["read"], english["is_attack_report"]) == ("en", True, False)
