"""POSTing to HTTP receivers (webhooks, Slack): one session per sink, status codes sorted into retry or give up."""

from __future__ import annotations

import asyncio
from abc import abstractmethod

import aiohttp

from extractors.schema import Alert
from streams.alerting.sinks.base import PermanentDeliveryError, RetryingSink, SinkConfigError, TransientDeliveryError

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class HttpSink(RetryingSink):
    def __init__(self, url: str, timeout_seconds: float = 10.0, **retry_options):
        super().__init__(**retry_options)
        if not url.startswith(("http://", "https://")):
            raise SinkConfigError(f"url {url!r} is not an http(s) URL")
        self.url = url
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self.timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(self, body: bytes, headers: dict[str, str]) -> None:
        if self._session is None:
            await self.start()
        try:
            async with self._session.post(self.url, data=body, headers=headers) as response:
                if response.status < 300:
                    return
                detail = f"HTTP {response.status} from {self.url}: {(await response.text())[:200]}"
                if response.status in RETRY_STATUSES:
                    raise TransientDeliveryError(detail, _retry_after(response.headers.get("Retry-After")))
                raise PermanentDeliveryError(detail)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            raise TransientDeliveryError(f"{type(error).__name__} posting to {self.url}: {error}") from error

    async def deliver(self, alert: Alert) -> None:
        body, headers = self.request(alert)
        await self.post(body, headers)

    @abstractmethod
    def request(self, alert: Alert) -> tuple[bytes, dict[str, str]]:
        """The body and headers for one alert."""


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
