"""Claimed articles to Kafka: a memory-bounded buffer in front of the producer, retried while Kafka is down.

Nothing is dropped: an article is in the store as pending before it reaches this buffer, and is marked
delivered only when Kafka acknowledges it. When the buffer is full, `submit` waits, which holds back
polling (back-pressure) instead of growing memory. Pending articles left by a crash are looked up in
the topic at the next start (by key, from the time they were claimed) and re-sent only if absent, so
a restart neither loses nor repeats them.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from extractors.schema import Article
from streams.ingest.producer import ArticleProducer
from streams.ingest.store import IngestStore
from streams.retry import Backoff, retry

log = logging.getLogger(__name__)

PRODUCER_TUNING = {
    "batch_size": 256 * 1024,
    "linger_ms": 100,  # feeds deliver in bursts: fewer, fuller requests cost the sender thread far less per article
    "bootstrap_timeout_ms": 5_000,
    "max_block_ms": 5_000,
    "request_timeout_ms": 10_000,
    "delivery_timeout_ms": 30_000,
}
ENVELOPE_BYTES = 512  # ids, URLs, dates and JSON punctuation around the text


def article_bytes(article: Article) -> int:
    """An estimate of the serialised size, cheap enough to take for every article."""
    return ENVELOPE_BYTES + 2 * (len(article.text) + len(article.summary or "") + len(article.title or ""))


def keys_in_topic(bootstrap_servers: str, topic: str, wanted: set[str], since: float, timeout: float = 60.0) -> set[str]:
    """Which of `wanted` are message keys in `topic` at or after Unix time `since` (read up to the current end)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False, client_id="newswatch-ingest-recovery")
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            return set()
        assigned = [TopicPartition(topic, partition) for partition in partitions]
        consumer.assign(assigned)
        starts = consumer.offsets_for_times({partition: int(since * 1000) for partition in assigned})
        ends = consumer.end_offsets(assigned)
        remaining = set()
        for partition in assigned:
            start = starts.get(partition)
            if start is not None and start.offset < ends[partition]:
                consumer.seek(partition, start.offset)
                remaining.add(partition)
        found: set[str] = set()
        deadline = time.monotonic() + timeout
        while remaining:
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end within {timeout:g} s to check pending articles")
            for partition, records in consumer.poll(timeout_ms=500).items():
                found.update(record.key.decode() for record in records if record.key and record.key.decode() in wanted)
            remaining = {partition for partition in remaining if consumer.position(partition) < ends[partition]}
        return found
    finally:
        consumer.close()


class Delivery:
    """The delivery thread only calls `send`; acknowledgements arrive through the send futures' callbacks, so
    batches pipeline instead of waiting for each other's acks."""

    def __init__(
        self,
        make_producer: Callable[[], ArticleProducer],
        store: IngestStore,
        *,
        max_buffer_bytes: int,
        find_delivered: Callable[[set[str], float], set[str]],
        batch_size: int = 2000,
        retry_base_seconds: float = 1.0,
        retry_cap_seconds: float = 60.0,
    ):
        self.make_producer = make_producer
        self.store = store
        self.max_buffer_bytes = max_buffer_bytes
        self.find_delivered = find_delivered
        self.batch_size = batch_size
        self.backoff = Backoff(retry_base_seconds, retry_cap_seconds)
        self.delivered = 0
        self.last_error: str | None = None
        self._queue: collections.deque[tuple[Article, int]] = collections.deque()
        self._buffered_bytes = 0  # queued and in flight: released only on acknowledgement
        self._acknowledged: list[tuple[str, int]] = []
        self._rejection: Exception | None = None
        self._space = asyncio.Event()
        self._work = asyncio.Event()
        self._recovered = asyncio.Event()
        self._producer: ArticleProducer | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kafka-delivery")
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="kafka-delivery")

    async def submit(self, articles: Iterable[Article]) -> None:
        """Queue articles (already claimed in the store); waits while the buffer is full."""
        for article in articles:
            size = article_bytes(article)
            while self._buffered_bytes and self._buffered_bytes + size > self.max_buffer_bytes:
                self._space.clear()
                await self._space.wait()
            self._enqueue(article, size)

    def _enqueue(self, article: Article, size: int) -> None:
        self._queue.append((article, size))
        self._buffered_bytes += size
        self._work.set()

    async def drain(self) -> None:
        """Wait until every submitted article, and every pending one from an earlier run, is acknowledged by Kafka."""
        await self._recovered.wait()
        while self._buffered_bytes:
            self._space.clear()
            await self._space.wait()

    async def close(self, timeout: float = 30.0) -> None:
        """Deliver what is buffered within `timeout`; anything left stays pending in the store for the next start."""
        try:
            await asyncio.wait_for(self.drain(), timeout)
        except TimeoutError:
            log.warning("stopping with %d bytes of articles not acknowledged by Kafka; they are re-checked at the next start",
                        self._buffered_bytes)
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._producer is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._producer.close, 5.0)
        self._executor.shutdown(wait=True)

    async def _run(self) -> None:
        await self._retrying(self._recover_pending, "checking pending articles in Kafka")
        self._recovered.set()
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            await self._work.wait()
            self._work.clear()
            error, self._rejection = self._rejection, None
            if not error and self._queue:
                batch = [self._queue.popleft() for _ in range(min(self.batch_size, len(self._queue)))]
                unsent, error = await loop.run_in_executor(self._executor, self._send, batch, loop)
                self._queue.extendleft(reversed(unsent))
            if error:
                failures += 1
                await self._pause(failures, f"Kafka unavailable: {error}")
            else:
                failures = 0
            if self._queue:
                self._work.set()

    async def _retrying(self, step: Callable[[], Awaitable[None]], what: str) -> None:
        await retry(step, transient=lambda error: isinstance(error, KafkaError | TimeoutError | OSError),
                    backoff=self.backoff, on_retry=lambda error, _, wait: self._report(f"{what}: {error}", wait))

    async def _pause(self, failures: int, problem: str) -> None:
        delay = self.backoff.delay(failures)
        self._report(problem, delay)
        await asyncio.sleep(delay)

    def _report(self, problem: str, delay: float) -> None:
        self.last_error = problem
        log.error("%s; %d articles buffered (%d bytes), retrying in %g s", problem, len(self._queue), self._buffered_bytes, delay)

    async def _recover_pending(self) -> None:
        """Pending claims from an earlier run: mark those Kafka already has, queue the rest (at most what was
        in flight when it stopped, so this bypasses the buffer limit rather than wait on ourselves)."""
        pending = list(self.store.pending())
        if not pending:
            return
        since = min(first_seen for _, first_seen in pending) - 60
        wanted = {article.id for article, _ in pending}
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(self._executor, self.find_delivered, wanted, since)
        self.store.mark_delivered(found)
        resend = [article for article, _ in pending if article.id not in found]
        log.info("recovered %d pending articles: %d already in Kafka, %d to send", len(pending), len(found), len(resend))
        for article in resend:
            self._enqueue(article, article_bytes(article))

    def _send(self, batch: list[tuple[Article, int]], loop: asyncio.AbstractEventLoop) -> tuple[list[tuple[Article, int]], Exception | None]:
        """In the delivery thread: hand a batch to the producer; returns what could not be handed over and why."""
        if self._producer is None:
            try:
                self._producer = self.make_producer()
            except KafkaError as error:
                return batch, error
        for index, (article, size) in enumerate(batch):
            try:
                future = self._producer.send(article)
            except KafkaError as error:
                return batch[index:], error
            future.add_callback(self._from_kafka_thread, loop, self._on_acknowledged, article, size)
            future.add_errback(self._from_kafka_thread, loop, self._on_rejected, article, size)
        return [], None

    @staticmethod
    def _from_kafka_thread(loop: asyncio.AbstractEventLoop, handler, article: Article, size: int, result) -> None:
        try:
            loop.call_soon_threadsafe(handler, article, size, result)
        except RuntimeError:  # the loop has closed: the article stays pending and is checked at the next start
            pass

    def _on_acknowledged(self, article: Article, size: int, _metadata) -> None:
        self._acknowledged.append((article.id, size))
        if len(self._acknowledged) == 1:
            asyncio.get_running_loop().call_soon(self._settle)

    def _settle(self) -> None:
        """Acknowledgements in one store transaction, however many arrived since the last one."""
        settled, self._acknowledged = self._acknowledged, []
        self.store.mark_delivered(article_id for article_id, _ in settled)
        self.delivered += len(settled)
        self._buffered_bytes -= sum(size for _, size in settled)
        self._space.set()

    def _on_rejected(self, article: Article, size: int, error: Exception) -> None:
        """Kafka gave up on it (delivery timeout): queue it again, first, and pause sending."""
        self._queue.appendleft((article, size))
        self._rejection = self._rejection or error
        self._work.set()
