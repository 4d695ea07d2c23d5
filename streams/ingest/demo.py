"""The offline demo: deploy/demo's feed files served on 127.0.0.1, so `newswatch run --demo` exercises the real
feed consumer (HTTP, conditional GET, parsing, dedup, Kafka) without the internet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from streams.ingest.feedlist import FeedConfig

DEMO_DIR = Path(__file__).resolve().parents[2] / "deploy" / "demo"
CONTENT_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".json": "application/feed+json"}
DEMO_INTERVAL_SECONDS = 30.0


def conditional_response(request: web.Request, body: bytes, content_type: str, charset: str | None = "utf-8") -> web.Response:
    """200 with an ETag, or 304 when the client already holds this body."""
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    if etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers={"ETag": etag})
    return web.Response(body=body, content_type=content_type, charset=charset, headers={"ETag": etag})


@dataclass
class DemoFeeds:
    feeds: list[FeedConfig]
    allowed_hosts: tuple[str, ...]
    runner: web.AppRunner

    async def close(self) -> None:
        await self.runner.cleanup()


async def serve_demo(directory: Path = DEMO_DIR, interval: float = DEMO_INTERVAL_SECONDS) -> DemoFeeds:
    """Serve every feed file of `directory` on a free 127.0.0.1 port; returns their feed configs (127.0.0.1 allowed)."""
    files = sorted(path for path in directory.iterdir() if path.suffix in CONTENT_TYPES)
    if not files:
        raise FileNotFoundError(f"no demo feeds (*.rss, *.atom, *.json) in {directory}")

    async def serve(request: web.Request) -> web.Response:
        path = directory / request.match_info["name"]
        if path not in files:
            raise web.HTTPNotFound()
        return conditional_response(request, path.read_bytes(), CONTENT_TYPES[path.suffix])

    app = web.Application()
    app.router.add_get("/{name}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    feeds = [
        FeedConfig(url=f"http://127.0.0.1:{port}/{path.name}", name=path.stem, interval=interval, full_text=False, tags=("demo",))
        for path in files
    ]
    return DemoFeeds(feeds, ("127.0.0.1",), runner)
