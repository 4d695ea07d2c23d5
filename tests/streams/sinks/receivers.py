"""Local receivers on 127.0.0.1 for the sink tests: an HTTP server that records requests and follows a script."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web

from tests.streams.local_http import serve


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class HttpReceiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    script: list[int | float] = field(default_factory=list)  # per request: a status, or a delay in seconds (then 200)
    retry_after: str | None = None


@contextlib.asynccontextmanager
async def http_receiver() -> AsyncIterator[HttpReceiver]:
    receiver = HttpReceiver(url="")

    async def handle(request: web.Request) -> web.Response:
        receiver.requests.append(Received(await request.read(), dict(request.headers)))
        action = receiver.script.pop(0) if receiver.script else 200
        if isinstance(action, float):
            await asyncio.sleep(action)
            action = 200
        headers = {"Retry-After": receiver.retry_after} if receiver.retry_after and action >= 400 else {}
        return web.Response(status=action, text="ok" if action < 300 else "no", headers=headers)

    app = web.Application()
    app.router.add_post("/hook", handle)
    async with serve(app) as base_url:
        receiver.url = f"{base_url}/hook"
        yield receiver


class DeadLetters(list):
    """An injected dead-letter writer that keeps what it is given."""

    async def __call__(self, stage: str, error: str, payload: dict) -> None:
        self.append((stage, error, payload))
