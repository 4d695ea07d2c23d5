"""Local receivers on 127.0.0.1 for the sink tests: an HTTP server that records requests and follows a script, and
one in a thread of its own for tests and benchmarks that wait on a worker process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web

from streams.alerting.sinks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
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


class WebhookReceiver(threading.Thread):
    """An aiohttp server on 127.0.0.1 in its own thread and loop; records (receipt time, alert) per request and
    checks each signature. `delays` holds, per request, how long to wait before answering (a slow receiver;
    `hang=True` never answers), `status` the answer (500: a failing receiver)."""

    def __init__(self, secret: str, delays: list[float] | None = None, status: int = 200, hang: bool = False):
        super().__init__(daemon=True)
        self.secret = secret
        self.delays = list(delays or [])
        self.status = status
        self.hang = hang
        self.url: str | None = None
        self.received: list[tuple[float, dict]] = []
        self.bad_signatures = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.stopping: asyncio.Event | None = None

    async def handle(self, request: web.Request) -> web.Response:
        received = time.time()
        body = await request.read()
        if not verify(self.secret, request.headers.get(TIMESTAMP_HEADER, ""), request.headers.get(SIGNATURE_HEADER, ""),
                      body, now=received):
            self.bad_signatures += 1
        self.received.append((received, json.loads(body)))
        if self.hang:
            await self.stopping.wait()
        elif self.delays:
            await asyncio.sleep(self.delays.pop(0))
        return web.Response(status=self.status, text="ok" if self.status < 300 else "failing")

    async def serve_until_stopped(self) -> None:
        app = web.Application()
        app.router.add_post("/alerts", self.handle)
        self.stopping = asyncio.Event()
        async with serve(app) as base_url:
            self.url = f"{base_url}/alerts"
            self.ready.set()
            await self.stopping.wait()

    def run(self) -> None:
        self.loop.run_until_complete(self.serve_until_stopped())

    def stop(self) -> None:
        if self.stopping is not None:
            self.loop.call_soon_threadsafe(self.stopping.set)
        self.join(timeout=10)


class DeadLetters(list):
    """An injected dead-letter writer that keeps what it is given."""

    async def __call__(self, stage: str, error: str, payload: dict) -> None:
        self.append((stage, error, payload))
