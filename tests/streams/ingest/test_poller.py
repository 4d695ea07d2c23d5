"""The poller end to end against a local feed server, with an in-memory stand-in for the Kafka producer."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from kafka.errors import KafkaTimeoutError
from kafka.future import Future

from streams.ingest.delivery import Delivery
from streams.ingest.feedlist import FeedConfig
from streams.ingest.fetch import Fetcher, open_session
from streams.ingest.fulltext import FullTextFetcher
from streams.ingest.guard import AddressPolicy
from streams.ingest.poller import FeedPoller, PollLimits
from streams.ingest.prepare import Preparer, open_seen_store
from streams.ingest.schedule import PollTiming
from streams.ingest.store import IngestStore
from tests.feedserver import FeedServer, atom, json_feed, rss

pytestmark = pytest.mark.timeout(60)


def items(prefix: str, count: int, start: int = 0) -> list[tuple[str, str, str]]:
    return [(f"https://{prefix}.example/story/{n}", f"{prefix} story {n}", f"Text of {prefix} story {n}. " * 5) for n in range(start, start + count)]


class FakeProducer:
    """Acknowledges every send at once, unless `down` (then sends fail like kafka-python's when brokers vanish)."""

    def __init__(self, log: list, down: list[bool]):
        self.log = log
        self.down = down

    def send(self, article):
        if self.down[0]:
            raise KafkaTimeoutError("Failed to update metadata after 5.0 secs.")
        self.log.append(article)
        future = Future()
        future.success(None)
        return future

    def flush(self, timeout=None):
        pass

    def close(self, timeout=None):
        pass


class Stack:
    def __init__(self, server, tmp_path, *, kafka_down=False, found_in_kafka=frozenset(), full_text_min_chars=0):
        self.server = server
        self.tmp_path = tmp_path
        self.produced: list = []
        self.down = [kafka_down]
        self.found_in_kafka = found_in_kafka
        self.full_text_min_chars = full_text_min_chars
        self.closed = False
        self.timing = PollTiming(default_interval_seconds=600, backoff_base_seconds=60, quarantine_seconds=3600)

    async def open(self, feeds):
        policy = AddressPolicy(["127.0.0.1"])
        self.session = open_session(policy, connect_timeout=2, read_timeout=2, connections=16, user_agent="test")
        fetcher = Fetcher(self.session, policy, max_body_bytes=256 * 1024, total_timeout=3, max_redirects=3)
        self.store = IngestStore(self.tmp_path / "feeds.sqlite")

        def make_producer():
            if self.down[0]:
                raise KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:9")
            return FakeProducer(self.produced, self.down)

        self.delivery = Delivery(make_producer, self.store, max_buffer_bytes=1024 * 1024,
                                 find_delivered=lambda wanted, since: wanted & self.found_in_kafka,
                                 retry_base_seconds=0.05, retry_cap_seconds=0.2)
        self.delivery.start()
        self.executor = ThreadPoolExecutor(2)
        store_file = self.tmp_path / "feeds.sqlite"
        self.preparer = Preparer(lambda: ThreadPoolExecutor(1, initializer=open_seen_store, initargs=(store_file,)))
        full_text = FullTextFetcher(fetcher, self.executor, max_bytes=256 * 1024, timeout=3, concurrency=4)
        self.poller = FeedPoller(
            feeds, store=self.store, fetcher=fetcher, delivery=self.delivery, preparer=self.preparer,
            full_text=full_text, timing=self.timing,
            limits=PollLimits(max_items=100, full_text_min_chars=self.full_text_min_chars, global_concurrency=8, per_host_concurrency=2),
        )
        return self.poller

    async def close(self):
        if self.closed:
            return
        self.closed = True
        await self.delivery.close(timeout=2)
        await self.session.close()
        self.executor.shutdown()
        self.preparer.close()
        self.store.close()

    def state(self, feed):
        return self.poller.states[feed.id]


@pytest.fixture
async def server():
    feed_server = await FeedServer().start()
    yield feed_server
    await feed_server.close()


@pytest.fixture
async def stacks(tmp_path):
    opened = []

    async def open_stack(server, feeds, **options):
        stack = Stack(server, tmp_path, **options)
        opened.append(stack)
        await stack.open(feeds)
        return stack

    yield open_stack
    for stack in opened:
        await stack.close()


def feed(server, path, **settings) -> FeedConfig:
    return FeedConfig(url=server.url(path), name=path.strip("/"), **settings)


async def test_new_items_once_and_unchanged_feeds_cost_a_304(server, stacks):
    server.feed("/rss", rss("r", items("rss", 3)))
    server.feed("/atom", atom("a", items("atom", 2)), "application/atom+xml")
    server.feed("/json", json_feed("j", items("json", 2)), "application/feed+json")
    feeds = [feed(server, "/rss"), feed(server, "/atom"), feed(server, "/json")]
    stack = await stacks(server, feeds)
    report = await stack.poller.poll_all()
    assert report["delivered"] == 7 and report["ok"] == 3
    assert sorted(article.title for article in stack.produced)[:2] == ["atom story 0", "atom story 1"]
    assert all(article.source in ("rss", "atom", "json") and article.fetched_at for article in stack.produced)
    assert (await stack.poller.poll_all())["delivered"] == 0
    assert [stack.state(f).last_http_status for f in feeds] == [304, 304, 304]
    assert all(stack.state(f).polls == 2 and stack.state(f).items_total == (3, 2, 2)[i] for i, f in enumerate(feeds))
    assert list(stack.store.pending()) == []


async def test_only_new_items_are_produced_and_shared_links_once(server, stacks):
    server.feed("/one", rss("one", items("shared", 2)))
    server.feed("/two", atom("two", [(link + "?utm_source=two", title, text) for link, title, text in items("shared", 2)]), "application/atom+xml")
    feeds = [feed(server, "/one"), feed(server, "/two")]
    stack = await stacks(server, feeds)
    await stack.poller.poll_all()
    assert len(stack.produced) == 2
    server.feed("/one", rss("one", items("shared", 4)))
    await stack.poller.poll_all()
    assert sorted(article.title for article in stack.produced) == [f"shared story {n}" for n in range(4)]


async def test_a_feed_without_etag_is_skipped_when_its_body_is_unchanged(server, stacks):
    server.feed("/plain", rss("p", items("plain", 2)), etag=False)
    stack = await stacks(server, [feed(server, "/plain")])
    await stack.poller.poll_all()
    await stack.poller.poll_all()
    assert len(stack.produced) == 2 and stack.state(stack.poller.feeds[0]).last_http_status == 200


async def test_restart_produces_nothing_twice(server, stacks):
    server.feed("/rss", rss("r", items("restart", 3)))
    first = await stacks(server, [feed(server, "/rss")])
    await first.poller.poll_all()
    await first.close()
    server.feed("/rss", rss("r", items("restart", 5)), etag=False)
    second = await stacks(server, [feed(server, "/rss")])
    await second.poller.poll_all()
    assert sorted(a.title for a in first.produced) == ["restart story 0", "restart story 1", "restart story 2"]
    assert sorted(a.title for a in second.produced) == ["restart story 3", "restart story 4"]


async def test_gone_feeds_are_disabled(server, stacks):
    server.status("/gone", 410)
    gone = feed(server, "/gone")
    stack = await stacks(server, [gone])
    await stack.poller.poll_all()
    await stack.poller.poll_all()
    assert stack.state(gone).status == "disabled" and server.hits["/gone"] == 1
    assert "410 Gone" in stack.state(gone).last_error


async def test_throttled_feeds_wait_for_retry_after(server, stacks):
    server.status("/busy", 429, {"Retry-After": "120"})
    server.status("/down", 503)
    busy, down = feed(server, "/busy"), feed(server, "/down")
    stack = await stacks(server, [busy, down])
    before = time.time()
    await stack.poller.poll_all()
    assert stack.state(busy).status == "failing" and "Retry-After 120 s" in stack.state(busy).last_error
    assert before + 120 <= stack.state(busy).next_poll_at <= time.time() + 120 * 1.1
    assert before + 54 <= stack.state(down).next_poll_at <= time.time() + 66


async def test_server_errors_back_off_and_recover(server, stacks):
    server.status("/flaky", 500)
    flaky = feed(server, "/flaky")
    stack = await stacks(server, [flaky])
    await stack.poller.poll_all()
    await stack.poller.poll_all()
    assert (stack.state(flaky).status, stack.state(flaky).consecutive_failures, stack.state(flaky).last_error) == ("failing", 2, "HTTP 500")
    server.feed("/flaky", rss("f", items("flaky", 1)))
    await stack.poller.poll_all()
    assert (stack.state(flaky).status, stack.state(flaky).consecutive_failures, len(stack.produced)) == ("ok", 0, 1)


async def test_permanent_redirect_is_remembered(server, stacks):
    server.redirect("/old", "/new", 301)
    server.feed("/new", rss("n", items("moved", 1)))
    moved = feed(server, "/old")
    stack = await stacks(server, [moved])
    await stack.poller.poll_all()
    await stack.poller.poll_all()
    assert stack.state(moved).current_url == server.url("/new")
    assert (server.hits["/old"], server.hits["/new"]) == (1, 2)


async def test_hostile_feeds_are_quarantined_while_good_ones_flow(server, stacks):
    server.feed("/good", rss("g", items("good", 2)))
    server.feed("/html", b"<!DOCTYPE html><html><body>Home page</body></html>", "text/html")
    server.feed("/bomb", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>')
    server.endless("/endless")
    server.feed("/empty", b"")
    good, html, bomb, endless, empty = (feed(server, p) for p in ("/good", "/html", "/bomb", "/endless", "/empty"))
    stack = await stacks(server, [good, html, bomb, endless, empty])
    await stack.poller.poll_all()
    assert sorted(a.title for a in stack.produced) == ["good story 0", "good story 1"]
    assert stack.state(good).status == "ok"
    for hostile, message in ((html, "HTML page"), (bomb, "entit"), (endless, "feeds.max_body_bytes")):
        assert stack.state(hostile).status == "quarantined" and message in stack.state(hostile).last_error
        assert stack.state(hostile).next_poll_at >= time.time() + 3000
    assert stack.state(empty).status == "failing" and "empty response body" in stack.state(empty).last_error


async def test_one_bad_item_costs_only_itself_and_the_rest_flow(server, stacks, caplog):
    stories = items("odd", 4)
    stories[0] = (stories[0][0], stories[0][1], "A very long report. " * 6_000)  # 120,000 characters
    first, rest = rss("o", stories).split(b"Tue, 25 Oct 2016", 1)
    body = first + b"Tue, 25 Oct 2016" + rest.replace(b"Tue, 25 Oct 2016", b"Mon, 25 Oct 1500", 1)  # story 1's date
    server.feed("/odd", body)
    odd = feed(server, "/odd")
    stack = await stacks(server, [odd])
    await stack.poller.poll_all()
    produced = {article.title: article for article in stack.produced}
    assert sorted(produced) == ["odd story 1", "odd story 2", "odd story 3"]
    assert produced["odd story 1"].published is None, "a date that cannot be true counts as absent"
    assert produced["odd story 2"].published is not None and produced["odd story 2"].summary is None
    assert stack.state(odd).status == "ok"
    assert "item https://odd.example/story/0 skipped: record: Value error, title, summary and text hold 120,010" in caplog.text


async def test_ssrf_feed_urls_are_refused(server, stacks):
    server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/", 302)
    sneaky = feed(server, "/to-metadata")
    direct = FeedConfig(url="http://10.0.0.1/feed")
    stack = await stacks(server, [sneaky, direct])
    await stack.poller.poll_all()
    assert stack.state(sneaky).status == "quarantined" and "169.254.169.254" in stack.state(sneaky).last_error
    assert stack.state(direct).status == "quarantined" and "private" in stack.state(direct).last_error


async def test_kafka_outage_buffers_and_delivers_later(server, stacks):
    server.feed("/rss", rss("r", items("outage", 3)))
    stack = await stacks(server, [feed(server, "/rss")], kafka_down=True)
    await stack.poller.poll(stack.poller.feeds[0])
    assert stack.produced == [] and len(list(stack.store.pending())) == 3
    deadline = time.monotonic() + 10
    while stack.delivery.last_error is None and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    stack.down[0] = False
    await asyncio.wait_for(stack.delivery.drain(), timeout=10)
    assert [a.title for a in stack.produced] == ["outage story 2", "outage story 1", "outage story 0"]
    assert list(stack.store.pending()) == [] and "Kafka unavailable" in stack.delivery.last_error


async def test_pending_claims_from_a_crash_are_settled_against_kafka(server, stacks, tmp_path):
    server.feed("/rss", rss("r", items("crash", 3)))
    crashed = await stacks(server, [feed(server, "/rss")], kafka_down=True)
    await crashed.poller.poll(crashed.poller.feeds[0])
    claimed = [article.id for article, _ in crashed.store.pending()]
    await crashed.close()
    survivor = await stacks(server, [feed(server, "/rss")], found_in_kafka=frozenset(claimed[:1]))
    await asyncio.wait_for(survivor.delivery.drain(), timeout=10)
    assert [a.id for a in survivor.produced] == claimed[1:]
    assert list(survivor.store.pending()) == []
    await survivor.poller.poll_all()
    assert len(survivor.produced) == 2


PAGE = """<html><head><title>Blast at checkpoint</title></head><body><nav>Home | World</nav><article><h1>Blast at checkpoint</h1>
<p>A suicide bomber blew himself up at a police checkpoint on the edge of the city on Tuesday morning, killing four officers and wounding nine passers-by, a provincial spokesman said.</p>
<p>The attacker approached on foot shortly after the morning shift change. Ambulances took the wounded to the central hospital, where two remained in critical condition.</p>
<p>No group immediately claimed responsibility, though the area has seen repeated attacks on security forces this year.</p>
</article><footer>Contact us</footer></body></html>"""


async def test_full_text_replaces_a_short_summary_and_failure_keeps_it(server, stacks):
    async def page(request):
        from aiohttp import web

        return web.Response(text=PAGE, content_type="text/html")

    server.routes["/articles/blast"] = page
    server.status("/articles/missing", 404)
    server.feed("/rss", rss("r", [(server.url("/articles/blast"), "Blast", "Short summary."),
                                  (server.url("/articles/missing"), "Missing", "Only a summary.")]))
    stack = await stacks(server, [feed(server, "/rss")], full_text_min_chars=200)
    await stack.poller.poll_all()
    missing, blast = stack.produced
    assert "suicide bomber blew himself up at a police checkpoint" in blast.text and "Contact us" not in blast.text
    assert blast.summary == "Short summary."
    assert (missing.text, missing.summary) == ("Only a summary.", None), "the summary is the text: not kept twice"


async def test_full_text_can_be_turned_off_per_feed(server, stacks):
    server.feed("/rss", rss("r", [(server.url("/articles/never"), "Never", "Summary.")]))
    stack = await stacks(server, [feed(server, "/rss", full_text=False)], full_text_min_chars=200)
    await stack.poller.poll_all()
    assert server.hits["/articles/never"] == 0 and stack.produced[0].text == "Summary."


async def test_the_scheduler_polls_feeds_on_their_intervals(server, stacks):
    server.feed("/fast", rss("f", items("fast", 1)))
    server.feed("/slow", rss("s", items("slow", 1)))
    fast, slow = feed(server, "/fast", interval=0.2), feed(server, "/slow", interval=600)
    stack = await stacks(server, [fast, slow])
    stop = asyncio.Event()
    runner = asyncio.create_task(stack.poller.run(stop))
    deadline = time.monotonic() + 10
    while server.hits["/fast"] < 4 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(runner, timeout=5)
    assert server.hits["/fast"] >= 4 and server.hits["/slow"] == 1
    assert len(stack.produced) == 2


async def test_the_demo_feeds_through_the_real_consumer(stacks):
    from streams.ingest.demo import serve_demo

    demo = await serve_demo()
    try:
        stack = await stacks(None, demo.feeds)
        report = await stack.poller.poll_all()
        assert report["delivered"] == 12 and report["ok"] == 4
        assert (await stack.poller.poll_all())["delivered"] == 0
    finally:
        await demo.close()
    quetta = next(article for article in stack.produced if "police checkpoint outside Quetta" in article.title)
    paragraphs = quetta.text.split("\n\n")
    assert len(paragraphs) == 5, "each <p> of the item's content is a paragraph"
    assert paragraphs[0].startswith("QUETTA, Pakistan — Gunmen attacked a police checkpoint")
    assert paragraphs[-1].endswith("a suicide bombing at a hospital killed more than 70 people.")
    assert quetta.published.date().isoformat() == "2016-10-25"
    assert quetta.canonical_url == "https://harbour-wire.example/world/2016/10/25/quetta-checkpoint-attack"
    assert {article.source for article in stack.produced} == {"harbour-wire", "continental-news", "lakeside-monitor", "sahel-depeches"}
    bosso = next(article for article in stack.produced if article.source == "sahel-depeches")
    assert bosso.language == "fr", "the channel's <language> reaches the article"
    assert bosso.text.startswith("NIAMEY, 28 octobre (Sahel Dépêches) - Au moins six soldats")
