"""The alerts topic: every delivered alert as JSON keyed by its id, for other systems to consume."""

from __future__ import annotations

import json
from typing import ClassVar

from extractors.schema import Alert
from streams.sinks.base import PermanentDeliveryError, RetryingSink, TransientDeliveryError


class KafkaSink(RetryingSink):
    name: ClassVar[str] = "kafka"
    required: ClassVar[frozenset[str]] = frozenset({"bootstrap_servers", "topic"})

    def __init__(self, bootstrap_servers: str, topic: str, request_timeout_seconds: float = 30.0, **retry_options):
        super().__init__(**retry_options)
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.request_timeout_ms = int(request_timeout_seconds * 1000)
        self._producer = None

    async def start(self) -> None:
        from aiokafka import AIOKafkaProducer

        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers,
            client_id="newswatch-alerts",
            acks="all",
            enable_idempotence=True,
            request_timeout_ms=self.request_timeout_ms,
        )
        await self._producer.start()

    async def close(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def deliver(self, alert: Alert) -> None:
        from aiokafka.errors import KafkaError

        if self._producer is None:
            await self.start()
        value = json.dumps(alert.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
        try:
            await self._producer.send_and_wait(self.topic, value=value, key=alert.id.encode("ascii"))
        except KafkaError as error:
            if getattr(error, "retriable", False):
                raise TransientDeliveryError(f"{type(error).__name__}: {error}") from error
            raise PermanentDeliveryError(f"{type(error).__name__}: {error}") from error
