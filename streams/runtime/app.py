"""The Faust application: topics and tables declared once, agents installed from streams/agents.

    raw articles -> deduplicate -> unique articles -> extract (batched, off the event loop)
      -> extractions (indexed as articles) + incident reports (keyed by merge key)
      -> merge -> incidents (indexed; matched against watches -> alerts)
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TypeVar

import faust
from aiokafka.errors import MessageSizeTooLargeError
from faust.exceptions import ProducerSendError
from elasticsearch import AsyncElasticsearch
from pydantic import BaseModel

from streams.elasticsearch.client import settings_client_options
from streams.elasticsearch.indexer import Indexer
from streams.runtime.faust_workarounds import keep_buffered_records_on_resume, seek_partition_starts_too
from streams.runtime.messages import DeadLetter
from streams.runtime.topics import TopicSpec, private_topic_specs, topic_specs
from streams.settings import Settings

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class Pipeline:
    """What the agents share: the app, its topics, the settings they were built from, and one Elasticsearch client."""

    app: faust.App
    settings: Settings
    topics: dict[str, faust.TopicT]
    _indexer: Indexer | None = field(default=None, init=False, repr=False)

    def indexer(self) -> Indexer:
        """The worker's Elasticsearch client, made on first use (inside the running event loop) and shared by the
        indexing and alerting agents, so the worker holds one connection pool."""
        if self._indexer is None:
            self._indexer = Indexer(AsyncElasticsearch(**settings_client_options(self.settings.elasticsearch)))
        return self._indexer

    async def dead_letter(self, stage: str, error: Exception | str, payload: bytes | str | dict,
                          event: faust.EventT | None = None) -> None:
        """Park a record that a stage could not process, with the reason; the stream goes on."""
        message = event.message if event is not None else None
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        elif isinstance(payload, dict):
            payload = faust.serializers.codecs.dumps("json", payload)
        record = DeadLetter.of(
            stage,
            f"{type(error).__name__}: {error}" if isinstance(error, Exception) else error,
            payload,
            topic=message.topic if message else None,
            partition=message.partition if message else None,
            offset=message.offset if message else None,
            at=dt.datetime.now(dt.timezone.utc),
        )
        await self.topics["dead_letters"].send(value=record.model_dump(mode="json"))

    @contextlib.asynccontextmanager
    async def dead_letter_on_record_error(self, stage: str, payload: bytes | str | dict,
                                          event: faust.EventT | None = None) -> AsyncIterator[None]:
        """Run the block that processes one record; if the record makes it fail, park the record and go on.

        Without this an agent that raises is restarted and the record's offset is committed past: lost.
        """
        try:
            yield
        except Exception as error:
            if not is_record_error(error):
                raise
            await self.dead_letter(stage, error, payload, event)

    async def decoded(self, stage: str, model: type[ModelT], stream) -> AsyncIterator[ModelT]:
        """The stream's records as `model`; a record that is not valid JSON of that shape becomes a dead letter."""
        async for event in stream.events():
            parsed = await self.parse(stage, model, event.value, event)
            if parsed is not None:
                yield parsed

    async def parse(self, stage: str, model: type[ModelT], value: bytes | dict,
                    event: faust.EventT | None = None) -> ModelT | None:
        try:
            return model.model_validate_json(value) if isinstance(value, bytes) else model.model_validate(value)
        except ValueError as error:
            await self.dead_letter(stage, error, value, event)
            return None

    async def parse_batch(self, stage: str, model: type[ModelT], events: list[faust.EventT]) -> list[ModelT]:
        parsed = [await self.parse(stage, model, event.value, event) for event in events]
        return [record for record in parsed if record is not None]


def is_record_error(error: BaseException) -> bool:
    """Errors that lie in the record, so processing it again cannot help: invalid values, dates whose arithmetic
    overflows, a result too large for a Kafka message. Outages are not among them: they must block, not park."""
    if isinstance(error, ProducerSendError):
        error = error.__cause__
    return isinstance(error, (ValueError, OverflowError, MessageSizeTooLargeError))


def create_app(settings: Settings) -> Pipeline:
    app = faust.App(
        settings.worker.app_id,
        broker=f"kafka://{settings.kafka.bootstrap_servers}",
        store="memory://",
        datadir=str(settings.worker.data_dir),
        web_enabled=False,
        topic_replication_factor=1,
        topic_partitions=settings.topics.partitions,
        consumer_auto_offset_reset="earliest",
        processing_guarantee="at_least_once",
        producer_acks=-1,
        producer_linger=0.005,
        broker_commit_every=50,
        broker_commit_interval=1.0,
        broker_session_timeout=settings.worker.session_timeout_seconds,
        broker_heartbeat_interval=settings.worker.heartbeat_interval_seconds,
        stream_wait_empty=False,
        table_cleanup_interval=60.0,
    )
    keep_buffered_records_on_resume(app)
    seek_partition_starts_too()
    specs = topic_specs(settings.topics)
    specs["alert_releases"] = private_topic_specs(settings.worker.app_id, settings.topics)["alert_releases"]
    topics = {key: _declare(app, key, spec) for key, spec in specs.items()}
    pipeline = Pipeline(app=app, settings=settings, topics=topics)

    from streams.agents import install_all

    install_all(pipeline)
    return pipeline


def _declare(app: faust.App, key: str, spec: TopicSpec) -> faust.TopicT:
    # Raw articles are read as bytes so that invalid JSON reaches the dead-letter topic instead of crashing the agent.
    value_serializer = "raw" if key == "raw_articles" else "json"
    return app.topic(
        spec.name,
        key_type=str,
        key_serializer="raw",
        value_serializer=value_serializer,
        partitions=spec.partitions,
        compacting=spec.compacted or None,
    )
