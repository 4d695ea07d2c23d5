import asyncio
import socket
import time

import brotli
import pytest
from aiohttp import web

from streams.ingest.fetch import FetchError, Fetcher, Validators, open_session
from streams.ingest.guard import AddressPolicy
from tests.feedserver import FeedServer, gzip_bomb, rss

pytestmark = pytest.mark.timeout(60)
FEED = rss("t", [("https://e.example/1", "One", "text")])


class FixedResolver:
    """Resolves every name to one address, as a hostile DNS server would."""

    def __init__(self, address):
        self.address = address

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": self.address, "port": port, "family": socket.AF_INET, "proto": 0, "flags": 0}]

    async def close(self):
        pass


@pytest.fixture
async def server():
    feed_server = await FeedServer().start()
    yield feed_server
    await feed_server.close()


def fetcher_for(policy=None, *, resolver=None, max_body=64 * 1024, total=5.0, read=2.0, redirects=3):
    policy = policy or AddressPolicy(["127.0.0.1"])
    session = open_session(policy, connect_timeout=2, read_timeout=read, connections=8, user_agent="newswatch-test", resolver=resolver)
    return Fetcher(session, policy, max_body_bytes=max_body, total_timeout=total, max_redirects=redirects)


@pytest.fixture
async def fetcher():
    fetcher = fetcher_for()
    yield fetcher
    await fetcher.session.close()


async def test_conditional_get(server, fetcher):
    server.feed("/feed", FEED)
    first = await fetcher.get(server.url("/feed"))
    assert (first.status, first.body, first.content_type) == (200, FEED, "application/rss+xml")
    assert first.validators.etag
    second = await fetcher.get(server.url("/feed"), first.validators)
    assert (second.status, second.body) == (304, b"")
    assert server.seen_headers["/feed"][1]["If-None-Match"] == first.validators.etag
    assert server.seen_headers["/feed"][0]["User-Agent"] == "newswatch-test"


async def test_last_modified_is_sent_back(server, fetcher):
    server.status("/lm", 304)
    await fetcher.get(server.url("/lm"), Validators(last_modified="Tue, 25 Oct 2016 10:00:00 GMT"))
    assert server.seen_headers["/lm"][0]["If-Modified-Since"] == "Tue, 25 Oct 2016 10:00:00 GMT"


async def test_permanent_redirects_are_reported(server, fetcher):
    server.redirect("/old", "/newer", 301)
    server.redirect("/newer", "/newest", 308)
    server.feed("/newest", FEED)
    response = await fetcher.get(server.url("/old"))
    assert (response.status, response.url, response.permanent_url) == (200, server.url("/newest"), server.url("/newest"))


async def test_only_the_permanent_part_of_a_redirect_chain_is_remembered(server, fetcher):
    server.redirect("/a", "/b", 301)
    server.redirect("/b", "/c", 302)
    server.redirect("/c", "/d", 301)
    server.feed("/d", FEED)
    response = await fetcher.get(server.url("/a"))
    assert (response.url, response.permanent_url) == (server.url("/d"), server.url("/b"))


async def test_redirect_loops_stop(server, fetcher):
    server.redirect("/loop", "/loop", 302)
    with pytest.raises(FetchError, match="more than 3 redirects") as refused:
        await fetcher.get(server.url("/loop"))
    assert refused.value.quarantine and server.hits["/loop"] == 4


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:9/", "http://[::1]/", "file:///etc/passwd"])
async def test_redirects_to_private_addresses_are_refused(server, fetcher, target):
    server.redirect("/evil", target, 302)
    with pytest.raises(FetchError, match="refused") as refused:
        await fetcher.get(server.url("/evil"))
    assert refused.value.quarantine


async def test_hostnames_resolving_to_private_addresses_are_refused():
    fetcher = fetcher_for(AddressPolicy(), resolver=FixedResolver("10.0.0.5"))
    try:
        with pytest.raises(FetchError, match="resolves to 10.0.0.5, a private address") as refused:
            await fetcher.get("http://feeds.rebind.test/rss")
        assert refused.value.quarantine
    finally:
        await fetcher.session.close()


async def test_a_redirect_to_a_hostname_is_checked_when_it_resolves(server):
    """The first hop is an allowed address; the second names a host that DNS sends to a private one."""
    fetcher = fetcher_for(AddressPolicy(["127.0.0.1"]), resolver=FixedResolver("192.168.0.10"))
    server.redirect("/hop", "http://intranet.test/admin", 302)
    try:
        with pytest.raises(FetchError, match="intranet.test: it resolves to 192.168.0.10"):
            await fetcher.get(server.url("/hop"))
    finally:
        await fetcher.session.close()


async def test_loopback_is_refused_unless_allowed(server):
    fetcher = fetcher_for(AddressPolicy())
    server.feed("/feed", FEED)
    try:
        with pytest.raises(FetchError, match="loopback"):
            await fetcher.get(server.url("/feed"))
        assert server.hits["/feed"] == 0
    finally:
        await fetcher.session.close()


async def test_gzip_bomb_stops_at_the_limit(server, fetcher):
    server.compressed("/bomb", gzip_bomb(64 * 1024 * 1024))
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than 0.0625 MiB") as refused:
        await fetcher.get(server.url("/bomb"))
    assert refused.value.quarantine and time.monotonic() - started < 5


async def test_endless_body_stops_at_the_limit(server, fetcher):
    server.endless("/endless")
    with pytest.raises(FetchError, match="feeds.max_body_bytes"):
        await fetcher.get(server.url("/endless"))


async def test_declared_oversize_is_refused_before_reading(server, fetcher):
    server.feed("/big", b"x" * (200 * 1024))
    with pytest.raises(FetchError, match="larger than"):
        await fetcher.get(server.url("/big"))


async def test_slow_loris_hits_the_total_timeout(server):
    fetcher = fetcher_for(total=1.5, read=1.0)
    server.slow("/slow", FEED, pause=0.2)
    try:
        with pytest.raises(FetchError, match="no complete answer within 1.5 s"):
            await fetcher.get(server.url("/slow"))
    finally:
        await fetcher.session.close()


async def test_stalled_server_hits_the_read_timeout(server):
    fetcher = fetcher_for(total=10, read=0.5)

    async def stall(request):
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(b"<rss")
        await asyncio.sleep(5)
        return response

    server.routes["/stall"] = stall
    try:
        with pytest.raises(FetchError, match="stopped sending data|broken response body"):
            await fetcher.get(server.url("/stall"))
    finally:
        await fetcher.session.close()


async def test_connection_refused(fetcher):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect") as failed:
        await fetcher.get(f"http://127.0.0.1:{port}/feed")
    assert not failed.value.quarantine


async def test_brotli_bodies_are_decoded(server, fetcher):
    async def handler(request):
        assert "br" in request.headers["Accept-Encoding"]
        return web.Response(body=brotli.compress(FEED), headers={"Content-Encoding": "br", "Content-Type": "application/rss+xml"})

    server.routes["/br"] = handler
    assert (await fetcher.get(server.url("/br"))).body == FEED


async def test_error_statuses_are_returned_with_retry_after(server, fetcher):
    server.status("/busy", 429, {"Retry-After": "120"})
    response = await fetcher.get(server.url("/busy"))
    assert (response.status, response.retry_after, response.body) == (429, "120", b"")
