"""A Kafka topic of another cluster, or another topic than the pipeline's alerts topic: each delivered alert as
JSON keyed by its id, for other systems to consume, through an idempotent aiokafka producer of its own.

The pipeline's own alerts topic already carries every alert; a sink publishing to it would have each alert
delivered again, for ever, so build_dispatcher refuses one that names it.
"""

from __future__ import annotations

import json
from typing import ClassVar

from extractors.schema import Alert
from streams.alerting.sinks.base import PermanentDeliveryError, RetryingSink, SinkConfigError, TransientDeliveryError

class KafkaSink(RetryingSink):
    name: ClassVar[str] = "kafka"
    required: ClassVar[frozenset[str]] = frozenset({"bootstrap_servers", "topic"})

    def __init__(self, bootstrap_servers: str, topic: str, request_timeout_seconds: float = 30.0, **retry_options):
        super().__init__(**retry_options)
        if not (bootstrap_servers.strip() and topic.strip()):
            raise SinkConfigError("bootstrap_servers and topic must not be empty")
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.request_timeout_ms = int(request_timeout_seconds * 1000)
        self._producer = None

    def publishes_to(self, bootstrap_servers: str, topic: str) -> bool:
        return (self.topic, _servers(self.bootstrap_servers)) == (topic, _servers(bootstrap_servers))

    async def start(self) -> None:
        if self._producer is not None:
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
            await self.start()
            encoded = json.dumps(value, ensure_ascii=False).encode("utf-8")
            await self._producer.send_and_wait(self.topic, value=encoded, key=alert.id.encode("ascii"))
        except KafkaError as error:
            if getattr(error, "retriable", False):
                raise TransientDeliveryError(f"{type(error).__name__}: {error}") from error
            raise PermanentDeliveryError(f"{type(error).__name__}: {error}") from error


def _servers(bootstrap_servers: str) -> frozenset[str]:
    return frozenset(server.strip() for server in bootstrap_servers.split(",") if server.strip())
