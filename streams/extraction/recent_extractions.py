"""Extractions of recent canonical articles, so that an identical copy reuses its canonical's extraction.

A copy carries site furniture (a byline, a footer) around the wire story, and the extractor can read such
a text differently, so reusing is also what keeps the stream equal to a replay. A worker that is assigned
the unique-articles partition (at start, after a crash, after a rebalance) therefore first reloads the
cache from the tail of the extractions topic, as an uninterrupted worker would hold it.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable

from extractors.schema import ExtractionResult
from streams.runtime.messages import ExtractedArticle

RECENT_EXTRACTIONS = 5000
RELOAD_SECONDS = 60.0

log = logging.getLogger(__name__)


class RecentExtractions:
    """The last `size` canonical articles' extractions, oldest evicted first."""

    def __init__(self, size: int = RECENT_EXTRACTIONS):
        self.size = size
        self._results: OrderedDict[str, ExtractionResult] = OrderedDict()

    def get(self, article_id: str) -> ExtractionResult | None:
        return self._results.get(article_id)

    def put(self, article_id: str, result: ExtractionResult) -> None:
        self._results[article_id] = result
        self._results.move_to_end(article_id)
        while len(self._results) > self.size:
            self._results.popitem(last=False)

    def reload(self, extracted_in_order: Iterable[ExtractedArticle]) -> None:
        """Replace the contents with the canonical articles among `extracted_in_order` (records of the extractions topic)."""
        self._results.clear()
        for extracted in extracted_in_order:
            if extracted.duplicate_of is None:
                self.put(extracted.article.id, extracted.extraction)


def latest_extractions(bootstrap_servers: str, topic: str, size: int = RECENT_EXTRACTIONS,
                       deadline_seconds: float = RELOAD_SECONDS) -> list[ExtractedArticle]:
    """The last records of the extractions topic (enough to hold `size` canonical articles), in the order written.

    The extraction agent is a single task, so its records' timestamps follow the order it extracted in.
    """
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False,
                             client_id="newswatch-recent-extractions")
    records: list[tuple[int, int, int, bytes]] = []
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        ends = consumer.end_offsets(partitions)
        starts = consumer.beginning_offsets(partitions)
        # Copies are not cached, so twice `size` records per partition hold at least `size` canonical ones.
        for partition in partitions:
            consumer.seek(partition, max(starts[partition], ends[partition] - 2 * size))
        stop_at = time.monotonic() + deadline_seconds
        while any(consumer.position(p) < ends[p] for p in partitions):
            if time.monotonic() > stop_at:
                log.warning("reloading recent extractions from %s took over %.0f s; copies of older articles "
                            "will be extracted from their own text", topic, deadline_seconds)
                break
            for partition, batch in consumer.poll(timeout_ms=1000).items():
                records += [(r.timestamp, partition.partition, r.offset, r.value) for r in batch if r.offset < ends[partition]]
    finally:
        consumer.close()
    extracted = []
    for *_, value in sorted(records, key=lambda r: r[:3]):
        try:
            extracted.append(ExtractedArticle.model_validate_json(value))
        except ValueError as error:
            log.warning("skipping an unreadable record of %s while reloading recent extractions: %s", topic, error)
    return extracted
