"""Feed ingestion against real Kafka (and Elasticsearch for feed health), with a local feed server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from extractors.schema import Article
from streams.ingest.demo import conditional_response
from streams.ingest.feedlist import FeedConfig
from streams.ingest.service import FeedIngester
from streams.settings import ElasticsearchSettings, FeedSettings, KafkaSettings, Settings, TopicSettings
from tests.feedserver import FeedServer, atom, gzip_bomb, json_feed, rss
from tests.integration.pipeline import REPO, IsolatedPipeline, stop_worker

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def stories(prefix: str, count: int, start: int = 0) -> list[tuple[str, str, str]]:
    return [(f"https://{prefix}.example/2016/10/story-{n}?utm_source=rss", f"{prefix} story {n}",
             f"{prefix} story {n}: a report long enough to be an article. " * 3) for n in range(start, start + count)]


@pytest.fixture
def pipeline(services, tmp_path) -> IsolatedPipeline:
    pipeline = IsolatedPipeline(services.kafka_bootstrap, services.elasticsearch_url, tmp_path)
    admin = KafkaAdminClient(bootstrap_servers=services.kafka_bootstrap)
    try:
        admin.create_topics([NewTopic(pipeline.topic("raw_articles"), num_partitions=4, replication_factor=1)])
    finally:
        admin.close()
    return pipeline


@pytest.fixture
async def server():
    feed_server = await FeedServer().start()
    yield feed_server
    await feed_server.close()


def settings_for(pipeline: IsolatedPipeline, **feed_limits) -> Settings:
    limits = {
        "allowed_private_hosts": ["127.0.0.1"],
        "max_body_bytes": 2 * 1024 * 1024,
        "max_items": 1000,
        "total_timeout_seconds": 3,
        "read_timeout_seconds": 2,
        "connect_timeout_seconds": 2,
        "health_interval_seconds": 0.5,
        "full_text_min_chars": 0,  # the test stories link to .example hosts: no page fetches, no DNS
        **feed_limits,
    }
    return Settings(
        home=pipeline.work_dir / "home",
        kafka=KafkaSettings(bootstrap_servers=pipeline.kafka_bootstrap),
        topics=TopicSettings(raw_articles=pipeline.topic("raw_articles")),
        elasticsearch=ElasticsearchSettings(url=pipeline.elasticsearch_url, index_prefix=pipeline.index_prefix),
        feeds=FeedSettings(**limits),
    )


async def read_raw(pipeline: IsolatedPipeline) -> collections.Counter:
    """How many times each article id is on the raw topic."""
    records = await asyncio.to_thread(pipeline.read_topic, "raw_articles", 2000)
    return collections.Counter(record["id"] for record in records)


def serve_hostile(server: FeedServer) -> dict[str, tuple[str, str]]:
    """Hostile and broken feeds; returns path -> (expected status, words of the expected error)."""
    server.feed("/html", b"<!DOCTYPE html><html><head><title>Front page</title></head><body>news</body></html>", "text/html")
    server.feed("/xml-bomb", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                             b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><item><title>&c;</title>'
                             b"</item></channel></rss>")
    server.compressed("/gzip-bomb", gzip_bomb(256 * 1024 * 1024))
    server.endless("/endless")
    server.slow("/slow-loris", rss("slow", stories("slow", 5)), pause=0.25)
    server.feed("/empty", b"")
    server.feed("/no-items", rss("quiet", []))
    server.feed("/ten-thousand", rss("flood", [(f"https://flood.example/{n}", "t", "x") for n in range(10_000)]))
    server.redirect("/ssrf", "http://169.254.169.254/latest/meta-data/iam/", 302)
    server.status("/gone", 410)
    server.status("/throttled", 429, {"Retry-After": "3600"})
    server.status("/error", 500)
    return {
        "/html": ("quarantined", "HTML page"),
        "/xml-bomb": ("quarantined", "entities"),
        "/gzip-bomb": ("quarantined", "compression-bomb"),
        "/endless": ("quarantined", "feeds.max_body_bytes"),
        "/slow-loris": ("failing", "slow or stalling"),
        "/empty": ("failing", "empty response body"),
        "/no-items": ("failing", "without items"),
        "/ten-thousand": ("quarantined", "10000 items, more than the limit of 1000 (feeds.max_items)"),
        "/ssrf": ("quarantined", "169.254.169.254"),
        "/gone": ("disabled", "410 Gone"),
        "/throttled": ("failing", "Retry-After 3600"),
        "/error": ("failing", "HTTP 500"),
    }


async def test_feeds_reach_kafka_exactly_once_and_hostile_feeds_are_quarantined(pipeline, server):
    server.feed("/rss", rss("rss", stories("rss", 5)))
    server.feed("/atom", atom("atom", stories("atom", 4)), "application/atom+xml")
    server.feed("/json", json_feed("json", stories("json", 3)), "application/feed+json")
    server.feed("/mirror", atom("mirror", stories("rss", 2)), "application/atom+xml")
    server.redirect("/old-address", "/moved", 301)
    server.feed("/moved", rss("moved", stories("moved", 2)))
    hostile = serve_hostile(server)
    good_paths = ["/rss", "/atom", "/json", "/mirror", "/old-address"]
    feeds = [FeedConfig(url=server.url(path), name=path) for path in good_paths + list(hostile)]
    feeds.append(FeedConfig(url="http://10.11.12.13/feed", name="private-address"))
    expected_titles = {title for prefix, n in (("rss", 5), ("atom", 4), ("json", 3), ("moved", 2)) for _, title, _ in stories(prefix, n)}

    async with FeedIngester(settings_for(pipeline), feeds) as ingester:
        started = time.monotonic()
        report = await ingester.poll_all()
        elapsed = time.monotonic() - started
        counts = await read_raw(pipeline)
        records = await asyncio.to_thread(pipeline.read_topic, "raw_articles", 2000)
        assert {record["title"] for record in records} == expected_titles
        assert set(counts.values()) == {1} and report["delivered"] == len(expected_titles) == 14
        assert elapsed < 20, "hostile feeds must not hold up the cycle beyond their own timeouts"

        states = {feed.name: ingester.poller.states[feed.id] for feed in feeds}
        for path in good_paths:
            assert states[path].status == "ok", (path, states[path].last_error)
        for path, (status, words) in hostile.items():
            assert states[path].status == status, (path, states[path].last_error)
            assert words in states[path].last_error, (path, states[path].last_error)
        assert states["private-address"].status == "quarantined" and "private address" in states["private-address"].last_error
        assert states["/old-address"].current_url == server.url("/moved")

        hits_before = dict(server.hits)
        assert (await ingester.poll_all())["delivered"] == 0
        assert server.seen_headers["/rss"][-1]["If-None-Match"] == states["/rss"].etag
        assert ingester.poller.states[feeds[0].id].last_http_status == 304
        assert server.hits["/gone"] == hits_before["/gone"] and server.hits["/old-address"] == hits_before["/old-address"]

        server.feed("/rss", rss("rss", stories("rss", 8)))
        assert (await ingester.poll_all())["delivered"] == 3
        counts = await read_raw(pipeline)
        assert sum(counts.values()) == 17 and set(counts.values()) == {1}


async def test_feed_health_reaches_elasticsearch(pipeline, server):
    server.feed("/rss", rss("health", stories("health", 2)))
    server.status("/error", 500)
    feeds = [FeedConfig(url=server.url("/rss"), name="healthy"), FeedConfig(url=server.url("/error"), name="broken")]
    es = pipeline.es()
    index = f"{pipeline.index_prefix}-feeds"
    async with FeedIngester(settings_for(pipeline), feeds) as ingester:
        stop = asyncio.Event()
        running = asyncio.create_task(ingester.run(stop))
        deadline = time.monotonic() + 60
        documents = []
        while time.monotonic() < deadline:
            documents = await asyncio.to_thread(pipeline.search, "feeds")
            if len(documents) == 2 and {doc["feed"]["status"] for doc in documents} == {"ok", "failing"}:
                break
            await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait_for(running, timeout=30)
    by_name = {doc["feed"]["name"]: doc for doc in documents}
    assert by_name["healthy"]["feed"]["status"] == "ok" and by_name["healthy"]["feed"]["items_per_day"] == 2
    assert by_name["healthy"]["feed"]["latency_ms"] > 0 and by_name["healthy"]["feed"]["last_success"]
    assert (by_name["healthy"]["feed"]["languages_per_day"], by_name["healthy"]["feed"]["unread_per_day"]) == ([], 0), \
        "no article documents yet: counted as none, accepted by the strict mapping"
    assert by_name["broken"]["feed"]["last_error"] == "HTTP 500" and by_name["broken"]["message"] == "HTTP 500"
    assert by_name["broken"]["_id"] == feeds[1].id
    mapping = es.indices.get_mapping(index=index)
    assert next(iter(mapping.values()))["mappings"]["properties"]["feed"]["properties"]["status"]["type"] == "keyword"


def start_ingester(pipeline: IsolatedPipeline, feeds_file, name: str) -> subprocess.Popen:
    env = pipeline.env() | {
        "NEWSWATCH_HOME": str(pipeline.work_dir / "home"),
        "NEWSWATCH_FEEDS__ALLOWED_PRIVATE_HOSTS": '["127.0.0.1"]',
        "NEWSWATCH_FEEDS__GLOBAL_CONCURRENCY": "4",
        "NEWSWATCH_FEEDS__PER_HOST_CONCURRENCY": "4",
        "NEWSWATCH_FEEDS__FULL_TEXT_MIN_CHARS": "0",
    }
    log_file = open(pipeline.work_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed by stop_worker
    return subprocess.Popen([sys.executable, "-m", "streams.cli", "feeds", "run", "--feeds", str(feeds_file), "--no-health"],
                            cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)


async def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await condition()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


async def test_a_killed_ingester_restarts_without_losing_or_repeating_items(pipeline, server):
    """SIGKILL while half the feeds are still being fetched, restart, then add items: every item on the topic once."""
    feed_count, per_feed = 40, 10
    total = feed_count * per_feed
    release = asyncio.Event()
    paths = [f"/feed{n}" for n in range(feed_count)]
    for n, path in enumerate(paths):
        body = rss(f"feed{n}", stories(f"feed{n}", per_feed))

        async def held_back(request, body=body, held=n >= feed_count // 2):
            if held:
                await release.wait()
            return conditional_response(request, body, "application/rss+xml")

        server.routes[path] = held_back
    feeds_file = pipeline.work_dir / "feeds.yaml"
    feeds_file.write_text("defaults:\n  interval: 2\nfeeds:\n" + "".join(f"  - url: {server.url(path)}\n" for path in paths))

    first = start_ingester(pipeline, feeds_file, "first")
    try:
        await wait_until(lambda: _when(read_raw(pipeline), lambda counts: len(counts) == total // 2), 120,
                         "the first ingester to produce the feeds that answer")
        assert any(server.hits[path] for path in paths[feed_count // 2 :]), "the held-back feeds should be in flight"
    finally:
        stop_worker(first, kill=True)
    killed_at = sum((await read_raw(pipeline)).values())
    release.set()

    second = start_ingester(pipeline, feeds_file, "second")
    try:
        await wait_until(lambda: _when(read_raw(pipeline), lambda counts: len(counts) == total), 120, f"all {total} items after the restart")
        for n in range(0, feed_count, 4):
            server.feed(f"/feed{n}", rss(f"feed{n}", stories(f"feed{n}", per_feed + 2)))
        await wait_until(lambda: _when(read_raw(pipeline), lambda counts: len(counts) == total + 20), 60, "the items added after the restart")
        polled = dict(server.hits)

        async def polled_twice_more() -> bool:
            return all(server.hits[path] >= polled[path] + 2 for path in paths)

        await wait_until(polled_twice_more, 60, "two more polls of every feed")
        counts = await read_raw(pipeline)
    finally:
        stop_worker(second)
    assert killed_at == total // 2
    assert len(counts) == total + 20
    assert [key for key, times in counts.items() if times > 1] == []
    log = (pipeline.work_dir / "second.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


async def test_claims_pending_at_a_crash_are_checked_against_the_topic(pipeline, server):
    """Claimed articles of which Kafka already has some (acknowledged, not yet marked) and lacks others (never sent)."""
    from streams.ingest.producer import ArticleProducer
    from streams.ingest.service import store_path
    from streams.ingest.store import IngestStore

    server.feed("/rss", rss("pending", stories("pending", 6)))
    feed = FeedConfig(url=server.url("/rss"), name="pending")
    settings = settings_for(pipeline)
    store = IngestStore(store_path(settings))
    articles = [
        Article(id=f"pending-{n}", text=f"pending article {n}", title=f"pending {n}", fetched_at=dt.datetime.now(dt.UTC))
        for n in range(6)
    ]
    store.claim(articles, feed.id, now=time.time())
    store.close()
    with ArticleProducer(pipeline.kafka_bootstrap, pipeline.topic("raw_articles")) as producer:
        for article in articles[:4]:
            producer.send(article)
    async with FeedIngester(settings, [feed]) as ingester:
        await ingester.poll_all()
        assert list(ingester.store.pending()) == []
    counts = await read_raw(pipeline)
    assert {key: counts[key] for key in counts if key.startswith("pending-")} == {f"pending-{n}": 1 for n in range(6)}
    assert sum(counts.values()) == 12 and set(counts.values()) == {1}


async def _when(counts_coroutine, condition):
    counts = await counts_coroutine
    return counts if condition(counts) else None


def test_sigterm_stops_the_ingester_cleanly(pipeline, tmp_path):
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text("feeds:\n  - url: http://127.0.0.1:9/closed-port-feed\n")
    process = start_ingester(pipeline, feeds_file, "sigterm")
    log = pipeline.work_dir / "sigterm.log"
    try:
        deadline = time.monotonic() + 60
        while "polling 1 feeds" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline and process.poll() is None, log.read_text(errors="replace")
            time.sleep(0.2)
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        stop_worker(process, kill=True)
