"""HTTP GET for feeds and article pages: conditional, bounded in time and size, redirects checked hop by hop."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver

from streams.ingest.guard import AddressPolicy, BlockedAddress, GuardedResolver
from streams.ingest.problems import FeedProblem

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
CHUNK_BYTES = 64 * 1024


class FetchError(FeedProblem):
    """A request that produced no usable response."""


@dataclass(frozen=True)
class Validators:
    """What the server told us last time, sent back so an unchanged feed costs a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Response:
    status: int
    url: str
    permanent_url: str | None
    body: bytes
    content_type: str
    charset: str | None
    validators: Validators
    retry_after: str | None
    elapsed: float


def mebibytes(size: int) -> str:
    return f"{size / 1048576:g} MiB"


def open_session(
    policy: AddressPolicy,
    *,
    connect_timeout: float,
    read_timeout: float,
    connections: int,
    user_agent: str,
    resolver: AbstractResolver | None = None,
) -> aiohttp.ClientSession:
    """One pooled session for all feeds: guarded DNS, no proxies from the environment, no cookies."""
    connector = aiohttp.TCPConnector(
        limit=connections, limit_per_host=0, resolver=GuardedResolver(policy, resolver), ttl_dns_cache=300
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=read_timeout),
        headers={"User-Agent": user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
    )


class Fetcher:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        policy: AddressPolicy,
        *,
        max_body_bytes: int,
        total_timeout: float,
        max_redirects: int,
    ):
        self.session = session
        self.policy = policy
        self.max_body_bytes = max_body_bytes
        self.total_timeout = total_timeout
        self.max_redirects = max_redirects

    async def get(
        self,
        url: str,
        validators: Validators = Validators(),
        *,
        accept: str = FEED_ACCEPT,
        max_bytes: int | None = None,
        total_timeout: float | None = None,
    ) -> Response:
        """The final response after redirects; its body is read only for 200 and never past `max_bytes`."""
        started = time.monotonic()
        timeout = total_timeout or self.total_timeout
        try:
            async with asyncio.timeout(timeout):
                return await self._follow(url, validators, accept, max_bytes or self.max_body_bytes, started)
        except TimeoutError as error:
            if isinstance(error, aiohttp.ConnectionTimeoutError):
                raise FetchError("could not connect in time (feeds.connect_timeout_seconds)") from error
            if isinstance(error, aiohttp.SocketTimeoutError):
                raise FetchError("the server stopped sending data (feeds.read_timeout_seconds)") from error
            raise FetchError(
                f"no complete answer within {timeout:g} s: a slow or stalling server (feeds.total_timeout_seconds)"
            ) from error
        except BlockedAddress as error:
            raise FetchError(str(error), quarantine=True) from error
        except aiohttp.ClientConnectorError as error:
            if isinstance(error.os_error, BlockedAddress):
                raise FetchError(str(error.os_error), quarantine=True) from error
            raise FetchError(f"could not connect: {error.os_error or error}") from error
        except aiohttp.ClientPayloadError as error:
            raise FetchError(f"broken response body (bad compression or truncated): {error}") from error
        except aiohttp.ClientError as error:
            raise FetchError(f"request failed: {error}") from error

    async def _follow(self, url: str, validators: Validators, accept: str, max_bytes: int, started: float) -> Response:
        permanent_url: str | None = None
        permanent_so_far = True
        headers = {"Accept": accept, **validators.headers()}
        for _ in range(self.max_redirects + 1):
            self.policy.check_url(url)
            async with self.session.get(url, headers=headers, allow_redirects=False) as reply:
                if reply.status in REDIRECTS:
                    location = reply.headers.get("Location")
                    if not location:
                        raise FetchError(f"{url} answered {reply.status} without a Location header")
                    permanent_so_far = permanent_so_far and reply.status in PERMANENT_REDIRECTS
                    url = urljoin(url, location)
                    if permanent_so_far:
                        permanent_url = url
                    continue
                body = await self._read_body(reply, max_bytes) if reply.status == 200 else b""
                return Response(
                    status=reply.status,
                    url=url,
                    permanent_url=permanent_url,
                    body=body,
                    content_type=reply.content_type,
                    charset=reply.charset,
                    validators=Validators(reply.headers.get("ETag"), reply.headers.get("Last-Modified")),
                    retry_after=reply.headers.get("Retry-After"),
                    elapsed=time.monotonic() - started,
                )
        raise FetchError(f"more than {self.max_redirects} redirects (feeds.max_redirects), last to {url}", quarantine=True)

    @staticmethod
    async def _read_body(reply: aiohttp.ClientResponse, max_bytes: int) -> bytes:
        """Counts decompressed bytes, so neither an endless body nor a gzip bomb gets past the limit."""
        too_large = FetchError(
            f"body larger than {mebibytes(max_bytes)} (feeds.max_body_bytes): an oversized, endless or "
            f"compression-bomb response",
            quarantine=True,
        )
        if reply.content_length is not None and reply.content_length > max_bytes and not reply.headers.get("Content-Encoding"):
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in reply.content.iter_chunked(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)
