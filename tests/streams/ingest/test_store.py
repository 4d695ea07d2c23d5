import datetime as dt

from extractors.schema import Article
from streams.ingest.store import FeedState, IngestStore


def article(n: int) -> Article:
    return Article(id=f"id-{n}", text=f"text {n}", title=f"title {n}", fetched_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))


def test_claims_are_exclusive_and_survive_reopening(tmp_path):
    store = IngestStore(tmp_path / "ingest.sqlite")
    assert store.unseen(["id-1", "id-2"]) == {"id-1", "id-2"}
    assert [a.id for a in store.claim([article(1), article(2)], "feed-a", now=100.0)] == ["id-1", "id-2"]
    assert store.claim([article(2), article(3)], "feed-b", now=101.0) == [article(3)]
    store.close()
    reopened = IngestStore(tmp_path / "ingest.sqlite")
    assert reopened.unseen(["id-1", "id-2", "id-3", "id-4"]) == {"id-4"}


def test_pending_until_delivered(tmp_path):
    store = IngestStore(tmp_path / "ingest.sqlite")
    store.claim([article(1), article(2), article(3)], "feed-a", now=100.0)
    store.mark_delivered(["id-2"])
    pending = list(store.pending())
    assert [(a, first_seen) for a, first_seen in pending] == [(article(1), 100.0), (article(3), 100.0)]
    store.mark_delivered(["id-1", "id-3"])
    assert list(store.pending()) == []


def test_forgetting_by_age_keeps_pending_and_recent(tmp_path):
    store = IngestStore(tmp_path / "ingest.sqlite")
    store.claim([article(1), article(2)], "feed-a", now=100.0)
    store.claim([article(3)], "feed-a", now=500.0)
    store.mark_delivered(["id-1", "id-3"])
    assert store.forget_before(400.0) == 1
    assert store.unseen(["id-1", "id-2", "id-3"]) == {"id-1"}


def test_many_ids_at_once(tmp_path):
    store = IngestStore(tmp_path / "ingest.sqlite")
    store.claim([article(n) for n in range(1200)], "feed-a", now=1.0)
    assert store.unseen(f"id-{n}" for n in range(1100, 1300)) == {f"id-{n}" for n in range(1200, 1300)}
    store.mark_delivered(f"id-{n}" for n in range(1200))
    assert list(store.pending()) == []


def test_new_items_per_feed(tmp_path):
    store = IngestStore(tmp_path / "ingest.sqlite")
    store.claim([article(1)], "feed-a", now=10.0)
    store.claim([article(2), article(3)], "feed-a", now=1000.0)
    store.claim([article(4)], "feed-b", now=1000.0)
    assert store.new_items_since(500.0) == {"feed-a": 2, "feed-b": 1}


def test_feed_state_round_trip(tmp_path):
    store = IngestStore(tmp_path / "ingest.sqlite")
    state = FeedState("f1", "https://e.example/rss", etag='"abc"', status="failing", consecutive_failures=2, latency_ms=12.5)
    store.save_feed_states([state, FeedState("f2", "https://e.example/atom")])
    store.save_feed_states([state])
    store.close()
    assert IngestStore(tmp_path / "ingest.sqlite").feed_states() == {"f1": state, "f2": FeedState("f2", "https://e.example/atom")}
