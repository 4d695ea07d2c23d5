import asyncio
import concurrent.futures
import json
import datetime as dt
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from extractors.schema import Article
from streams.ingest import prepare
from streams.ingest.articles import identify
from streams.ingest.parse import FeedItem, FeedItems, FeedRejected
from streams.ingest.prepare import Preparer, prepare_feed
from streams.ingest.store import IngestStore
from tests.feedserver import rss

FEED_URL = "https://harbour-wire.example/rss"


def body(count: int) -> bytes:
    return rss("t", [(f"https://harbour-wire.example/story/{n}", f"Story {n}", f"Text of story {n}.") for n in range(count)])


@pytest.fixture
def seen_store(tmp_path, monkeypatch) -> IngestStore:
    """The writable store, and the worker's read-only view of it."""
    store = IngestStore(tmp_path / "feeds.sqlite")
    monkeypatch.setattr(prepare, "_seen", IngestStore(tmp_path / "feeds.sqlite", read_only=True))
    yield store
    store.close()


def test_only_unseen_items_oldest_first_with_their_texts(seen_store):
    first = prepare_feed(body(4), content_type=None, feed_url=FEED_URL, max_items=100)
    assert [c.item.title for c in first.candidates] == ["Story 3", "Story 2", "Story 1", "Story 0"]
    assert first.items == 4 and first.format == "rss"
    assert first.candidates[0].summary == "Text of story 3." and first.candidates[0].item.summary is None
    seen = [Article(id=c.key.id, text="x", fetched_at=dt.datetime.now(dt.UTC)) for c in first.candidates[:2]]
    seen_store.claim(seen, "feed", now=1.0)
    second = prepare_feed(body(6), content_type=None, feed_url=FEED_URL, max_items=100)
    assert [c.item.title for c in second.candidates] == ["Story 5", "Story 4", "Story 1", "Story 0"]


def test_repeated_links_in_one_feed_are_one_candidate(seen_store):
    document = rss("t", [("https://e.example/a?utm_source=x", "A", "one"), ("https://e.example/a", "A again", "two")])
    prepared = prepare_feed(document, content_type=None, feed_url=FEED_URL, max_items=100)
    assert [c.item.title for c in prepared.candidates] == ["A again"]


def test_items_are_built_only_when_asked_for():
    built = []
    items = FeedItems([("g1", "https://e.example/1"), ("g2", None)], lambda index: built.append(index) or FeedItem(guid=f"g{index + 1}"))
    assert len(items) == 2 and items.head(1) == ("g2", None) and built == []
    assert items[-1].guid == "g2" and items[1] is items[1] and built == [1]
    assert [item.guid for item in items] == ["g1", "g2"] and built == [1, 0]
    with pytest.raises(IndexError):
        items[2]


def test_identity_from_the_head_matches_the_full_item():
    prepared = prepare_feed(body(3), content_type=None, feed_url=FEED_URL, max_items=100)
    for candidate in prepared.candidates:
        assert candidate.key == identify(FeedItem(link=candidate.item.link, guid=candidate.item.guid), FEED_URL)


class DyingExecutor(concurrent.futures.Executor):
    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        future.set_exception(BrokenProcessPool("A child process terminated abruptly"))
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass


async def test_a_dead_worker_is_replaced():
    executors = [DyingExecutor(), concurrent.futures.ThreadPoolExecutor(1)]
    preparer = Preparer(lambda: executors.pop(0))
    with pytest.raises(FeedRejected, match="parser process died") as failed:
        await preparer.prepare(body(1), content_type=None, feed_url=FEED_URL, max_items=10)
    assert not failed.value.quarantine
    prepared = await preparer.prepare(body(1), content_type=None, feed_url=FEED_URL, max_items=10)
    assert len(prepared.candidates) == 1
    preparer.close()


async def test_the_process_pool_prepares(tmp_path: Path):
    from streams.ingest.prepare import process_pool

    IngestStore(tmp_path / "feeds.sqlite").close()
    preparer = Preparer(lambda: process_pool(tmp_path / "feeds.sqlite"))
    try:
        prepared = await preparer.prepare(body(2), content_type=None, feed_url=FEED_URL, max_items=10)
    finally:
        preparer.close()
    assert [c.item.title for c in prepared.candidates] == ["Story 1", "Story 0"]


def test_an_item_with_an_unreadable_value_is_skipped_and_the_others_taken():
    document = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "a", "url": "https://wire.example/a", "title": "Tagged badly", "content_text": "A.", "tags": 5},
        "not an item",
        {"id": "c", "url": "https://wire.example/c", "title": "Fine", "content_text": "C.", "tags": ["x"]},
    ]}).encode()
    prepared = prepare_feed(document, content_type=None, feed_url=FEED_URL, max_items=10)
    assert [candidate.item.title for candidate in prepared.candidates] == ["Fine"]
    assert len(prepared.skipped) == 2
    assert any('"tags" is a JSON int' in reason for reason in prepared.skipped)


def ill_formed(items: int) -> bytes:
    """Unclosed tags send the document to feedparser's tolerant and slow reader."""
    story = "<item><title>Story {n}<description><p>Text of story {n} <b>unclosed"
    return ("<?xml version='1.0'?><rss version='2.0'><channel><title>heavy</title>"
            + "".join(story.format(n=n) for n in range(items))).encode()


def test_a_parse_that_outlasts_its_time_limit_is_quarantined():
    with pytest.raises(FeedRejected, match="took more than 0.05 s to parse") as refused:
        prepare_feed(ill_formed(20_000), content_type=None, feed_url=FEED_URL, max_items=100_000, time_limit=0.05)
    assert refused.value.quarantine
    assert prepare_feed(body(2), content_type=None, feed_url=FEED_URL, max_items=10, time_limit=5).candidates


async def test_a_heavy_document_does_not_hold_up_the_small_feeds(tmp_path: Path):
    from streams.ingest.prepare import LARGE_BODY_BYTES, process_pool

    IngestStore(tmp_path / "feeds.sqlite").close()
    preparer = Preparer(lambda: process_pool(tmp_path / "feeds.sqlite"), time_limit=2)
    heavy = ill_formed(30_000)
    assert len(heavy) > LARGE_BODY_BYTES
    try:
        heavy_task = asyncio.create_task(
            preparer.prepare(heavy, content_type=None, feed_url=FEED_URL, max_items=100_000))
        small = await asyncio.wait_for(preparer.prepare(body(2), content_type=None, feed_url=FEED_URL, max_items=10), 30)
        assert not heavy_task.done(), "the small feed was prepared while the heavy one was still being parsed"
        with pytest.raises(FeedRejected, match="took more than 2 s to parse"):
            await asyncio.wait_for(heavy_task, 60)
    finally:
        preparer.close()
    assert len(small.candidates) == 2
