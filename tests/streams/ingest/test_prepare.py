import asyncio
import concurrent.futures
import threading
import datetime as dt
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from extractors.schema import Article
from streams.ingest.articles import identify
from streams.ingest.parse import FeedItem, FeedItems, FeedRejected
from streams.ingest import prepare
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


def test_an_item_that_cannot_be_read_is_skipped_with_its_reason(monkeypatch):
    real = prepare.feed_texts

    def texts(item):
        if item.title == "Story 1":
            raise RecursionError("maximum recursion depth exceeded")
        return real(item)

    monkeypatch.setattr(prepare, "feed_texts", texts)
    prepared = prepare_feed(body(3), content_type=None, feed_url=FEED_URL, max_items=100)
    assert [c.item.title for c in prepared.candidates] == ["Story 2", "Story 0"]
    assert prepared.skipped == ["item https://harbour-wire.example/story/1 skipped: RecursionError: maximum recursion depth exceeded"]


def ill_formed_feed(items: int) -> bytes:
    """RSS that lxml refuses (a bare "&"), so it goes to feedparser's slow tolerant reader: about 0.5 s per MB."""
    entries = "".join(
        f"<item><title>Markets & weather</title><link>https://heavy.example/story/{n}</link><description>"
        + "Prices rose on the exchange as traders waited for the figures. " * 25 + "</description></item>"
        for n in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Heavy</title>{entries}</channel></rss>'.encode()


def test_a_document_that_takes_too_long_to_read_is_refused():
    heavy = ill_formed_feed(600)
    assert len(prepare_feed(heavy, content_type=None, feed_url=FEED_URL, max_items=1000).candidates) == 600
    with pytest.raises(FeedRejected, match=r"took more than 0.05 s to read \(feeds.max_parse_seconds\)") as refused:
        prepare_feed(heavy, content_type=None, feed_url=FEED_URL, max_items=1000, max_seconds=0.05)
    assert refused.value.quarantine
    assert len(prepare_feed(body(3), content_type=None, feed_url=FEED_URL, max_items=100, max_seconds=5).candidates) == 3


async def test_the_time_limit_holds_in_the_preparing_process_and_the_next_feed_goes_on(tmp_path):
    IngestStore(tmp_path / "feeds.sqlite").close()
    preparer = Preparer(lambda: prepare.process_pool(tmp_path / "feeds.sqlite"))
    try:
        with pytest.raises(FeedRejected, match="feeds.max_parse_seconds"):
            await preparer.prepare(ill_formed_feed(600), content_type=None, feed_url=FEED_URL, max_items=1000, max_seconds=0.05)
        small = await preparer.prepare(body(2), content_type=None, feed_url=FEED_URL, max_items=100, max_seconds=5)
        assert [c.item.title for c in small.candidates] == ["Story 1", "Story 0"]
    finally:
        preparer.close()


async def test_small_documents_do_not_queue_behind_heavy_ones(monkeypatch):
    lanes = []

    def make_executor():
        lanes.append(concurrent.futures.ThreadPoolExecutor(1))
        return lanes[-1]

    real = prepare.prepare_feed
    heavy_started, release = threading.Event(), threading.Event()

    def slow_when_heavy(document, **options):
        if len(document) > 10_000:
            heavy_started.set()
            release.wait(10)
        return real(document, **options)

    monkeypatch.setattr(prepare, "prepare_feed", slow_when_heavy)
    preparer = Preparer(make_executor, heavy_bytes=10_000)
    try:
        assert len(lanes) == 1, "the heavy lane starts only when a heavy document arrives"
        heavy = asyncio.ensure_future(preparer.prepare(body(200), content_type=None, feed_url=FEED_URL, max_items=1000))
        await asyncio.to_thread(heavy_started.wait, 10)
        small = await asyncio.wait_for(preparer.prepare(body(2), content_type=None, feed_url=FEED_URL, max_items=10), 5)
        assert len(small.candidates) == 2 and not heavy.done()
        release.set()
        assert len((await heavy).candidates) == 200 and len(lanes) == 2
    finally:
        release.set()
        preparer.close()


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
