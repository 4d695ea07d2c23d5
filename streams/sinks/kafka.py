"""The alerts topic: every delivered alert as JSON keyed by its id, for other systems to consume.

Inside the Faust worker the alerts go through the app's own producer (`publish`, injected by
build_dispatcher); elsewhere this sink opens an idempotent aiokafka producer of its own.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import ClassVar

from extractors.schema import Alert
from streams.sinks.base import PermanentDeliveryError, RetryingSink, SinkConfigError, TransientDeliveryError

Publisher = Callable[[str, dict], Awaitable[None]]


class KafkaSink(RetryingSink):
    name: ClassVar[str] = "kafka"
    required: ClassVar[frozenset[str]] = frozenset()  # bootstrap_servers and topic, unless the worker injects `publish`

    def __init__(self, bootstrap_servers: str | None = None, topic: str | None = None,
                 request_timeout_seconds: float = 30.0, publish: Publisher | None = None, **retry_options):
        super().__init__(**retry_options)
        if publish is None and not (bootstrap_servers and topic):
            raise SinkConfigError("needs bootstrap_servers and topic (outside the worker, which uses its alerts topic)")
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.request_timeout_ms = int(request_timeout_seconds * 1000)
        self.publish = publish
        self._producer = None

    async def start(self) -> None:
        if self.publish is not None or self._producer is not None:
            return
        from aiokafka import AIOKafkaProducer

        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers,
            client_id="newswatch-alerts",
            acks="all",
            enable_idempotence=True,
            request_timeout_ms=self.request_timeout_ms,
        )
        await producer.start()
        self._producer = producer

    async def close(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def deliver(self, alert: Alert) -> None:
        from aiokafka.errors import KafkaError

        value = alert.model_dump(mode="json")
        try:
            if self.publish is not None:
                await self.publish(alert.id, value)
                return
            await self.start()
            encoded = json.dumps(value, ensure_ascii=False).encode("utf-8")
            await self._producer.send_and_wait(self.topic, value=encoded, key=alert.id.encode("ascii"))
        except KafkaError as error:
            if getattr(error, "retriable", False):
                raise TransientDeliveryError(f"{type(error).__name__}: {error}") from error
            raise PermanentDeliveryError(f"{type(error).__name__}: {error}") from error
