"""A programmable HTTP server on 127.0.0.1 for feed tests: feeds with ETags, redirects, errors, slow and hostile bodies."""

from __future__ import annotations

import asyncio
import collections
import gzip
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from streams.ingest.demo import conditional_response

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """RSS 2.0 with (link, title, text) items."""
    entries = "".join(
        f"<item><title>{item_title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Tue, 25 Oct 2016 10:00:00 GMT</pubDate><description><![CDATA[<p>{text}</p>]]></description></item>"
        for link, item_title, text in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'.encode()


def atom(title: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f'<entry><title>{item_title}</title><id>{link}</id><link href="{link}"/><updated>2016-10-25T10:00:00Z</updated>'
        f'<content type="html">&lt;p&gt;{text}&lt;/p&gt;</content></entry>'
        for link, item_title, text in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>urn:{title}</id><updated>2016-10-25T10:00:00Z</updated>{entries}</feed>").encode()


def json_feed(title: str, items: list[tuple[str, str, str]]) -> bytes:
    import json

    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "items": [{"id": link, "url": link, "title": item_title, "content_text": text} for link, item_title, text in items],
    }).encode()


def gzip_bomb(size: int) -> bytes:
    """`size` bytes of zeros, gzip-compressed (about a thousandth of the size)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as compressed:
        block = b"\0" * (1024 * 1024)
        for _ in range(size // len(block)):
            compressed.write(block)
    return buffer.getvalue()


@dataclass
class FeedServer:
    """`server.routes[path] = handler`; helpers build the usual handlers. `hits` and `seen_headers` record requests."""

    routes: dict[str, Handler] = field(default_factory=dict)
    hits: collections.Counter = field(default_factory=collections.Counter)
    seen_headers: dict[str, list[dict]] = field(default_factory=lambda: collections.defaultdict(list))
    base_url: str = ""
    runner: web.AppRunner | None = None

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("GET", "/{path:.*}", self._dispatch)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.base_url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"
        return self

    async def close(self) -> None:
        await self.runner.cleanup()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        self.hits[path] += 1
        self.seen_headers[path].append(dict(request.headers))
        handler = self.routes.get(path)
        if handler is None:
            raise web.HTTPNotFound()
        return await handler(request)

    # -- handlers ---------------------------------------------------------------------------

    def feed(self, path: str, body: bytes, content_type: str = "application/rss+xml", etag: bool = True) -> None:
        async def handler(request):
            if etag:
                return conditional_response(request, body, content_type)
            return web.Response(body=body, content_type=content_type)

        self.routes[path] = handler

    def status(self, path: str, status: int, headers: dict[str, str] | None = None) -> None:
        async def handler(request):
            return web.Response(status=status, headers=headers or {})

        self.routes[path] = handler

    def redirect(self, path: str, location: str, status: int = 301) -> None:
        async def handler(request):
            return web.Response(status=status, headers={"Location": location})

        self.routes[path] = handler

    def slow(self, path: str, body: bytes, pause: float, content_type: str = "application/rss+xml") -> None:
        """Slow-loris: a few bytes at a time with pauses, never stalling long enough for a read timeout."""

        async def handler(request):
            response = web.StreamResponse(headers={"Content-Type": content_type})
            await response.prepare(request)
            for start in range(0, len(body), 16):
                await response.write(body[start : start + 16])
                await asyncio.sleep(pause)
            await response.write_eof()
            return response

        self.routes[path] = handler

    def endless(self, path: str, content_type: str = "application/rss+xml") -> None:
        async def handler(request):
            response = web.StreamResponse(headers={"Content-Type": content_type})
            await response.prepare(request)
            await response.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            chunk = b"<item><title>more</title></item>" * 2000
            while True:
                await response.write(chunk)

        self.routes[path] = handler

    def compressed(self, path: str, payload: bytes, content_type: str = "application/rss+xml") -> None:
        """A gzip-encoded body as given (a bomb when `payload` is gzip_bomb(...))."""

        async def handler(request):
            return web.Response(body=payload, headers={"Content-Type": content_type, "Content-Encoding": "gzip"})

        self.routes[path] = handler
