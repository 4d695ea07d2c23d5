"""RecentExtractions: bounded, oldest out first, and reloaded from extraction records as a running worker holds it."""

from extractors.schema import Article, ExtractionResult
from streams.extraction.recent_extractions import RecentExtractions
from streams.runtime.messages import ExtractedArticle


def result(article_id: str, attack: bool = False) -> ExtractionResult:
    return ExtractionResult(id=article_id, is_attack_report=attack)


def extracted(article_id: str, duplicate_of: str | None = None) -> ExtractedArticle:
    return ExtractedArticle(article=Article(id=article_id, title="t", text="x"), duplicate_of=duplicate_of,
                            extraction=result(article_id))


def test_the_oldest_result_is_evicted_first():
    recent = RecentExtractions(size=2)
    for article_id in ("a", "b", "c"):
        recent.put(article_id, result(article_id))
    assert recent.get("a") is None and recent.get("b") and recent.get("c")


def test_reload_keeps_the_latest_canonical_articles_in_order_and_skips_copies():
    running = RecentExtractions(size=2)
    records = [extracted("a"), extracted("b"), extracted("b-copy", duplicate_of="b"), extracted("c")]
    for record in records:
        if record.duplicate_of is None:
            running.put(record.article.id, record.extraction)
    reloaded = RecentExtractions(size=2)
    reloaded.put("stale", result("stale", attack=True))
    reloaded.reload(records)
    for article_id in ("a", "b", "c", "b-copy", "stale"):
        assert reloaded.get(article_id) == running.get(article_id)
    assert reloaded.get("c") is not None
