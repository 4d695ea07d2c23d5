"""extract_incidents: unique articles -> extractions and incident reports, in batches, off the event loop."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from extractors.schema import ExtractionResult
from streams.incidents import merge_key
from streams.messages import ExtractedArticle, ReportMessage, UniqueArticle

log = logging.getLogger(__name__)

RECENT_EXTRACTIONS = 5000


class RecentExtractions:
    """Extractions of recent canonical articles, so a near-duplicate reuses one instead of running spaCy again.

    Duplicates are keyed by their canonical id, so they reach the partition (and worker) that extracted the
    canonical article; after a restart the cache is empty and a duplicate is simply extracted again.
    """

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


def extract_isolating_failures(extract_batch, articles):
    """Extract a batch; if the batch fails, extract one by one so only the article that breaks the extractor is lost to a dead letter."""
    try:
        return extract_batch(articles), []
    except Exception:  # noqa: BLE001 - any extractor failure is isolated per article below
        results, failures = [], []
        for article in articles:
            try:
                results.append(extract_batch([article])[0])
            except Exception as error:  # noqa: BLE001
                results.append(None)
                failures.append((article, error))
        return results, failures


def load_extractor(path: str):
    """The batch extractor named `module:function`, imported when the worker starts so a typo fails at once."""
    module_name, _, function_name = path.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"extractor {path!r} cannot be loaded ({error}); expected module:function") from error


def install(pipeline) -> None:
    app, topics, worker = pipeline.app, pipeline.topics, pipeline.settings.worker
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
    recent = RecentExtractions()

    extract_batch = load_extractor(worker.extractor)

    @app.agent(topics["unique_articles"], name="extract_incidents")
    async def extract_incidents(stream):
        loop = asyncio.get_running_loop()
        async for batch in stream.take(worker.extract_batch_size, within=worker.extract_batch_seconds):
            messages = []
            for value in batch:
                try:
                    messages.append(UniqueArticle.model_validate(value))
                except ValueError as error:
                    await pipeline.dead_letter("extract", error, value)
            reused = {m.article.id: recent.get(m.duplicate_of) for m in messages if m.duplicate_of and m.identical}
            pending = [m.article for m in messages if reused.get(m.article.id) is None]
            results, failures = await loop.run_in_executor(executor, extract_isolating_failures, extract_batch, pending)
            for article, error in failures:
                await pipeline.dead_letter("extract", error, article.model_dump(mode="json"))
            extracted = {article.id: result for article, result in zip(pending, results) if result is not None}
            for message in messages:
                result = reused.get(message.article.id) or extracted.get(message.article.id)
                if result is None:
                    continue
                if message.duplicate_of is None:
                    recent.put(message.article.id, result)
                await send_extraction(topics, message, result)


async def send_extraction(topics, message: UniqueArticle, result: ExtractionResult) -> None:
    article = message.article
    result = result.model_copy(update={"id": article.id})
    extracted = ExtractedArticle(article=article, duplicate_of=message.duplicate_of, extraction=result)
    await topics["extractions"].send(key=message.canonical_id, value=extracted.model_dump(mode="json"))
    for report in result.incidents:
        key = merge_key(report)
        envelope = ReportMessage(merge_key=key, article_id=article.id, source=article.source,
                                 url=article.canonical_url or article.url, published=article.published, report=report)
        await topics["incident_reports"].send(key=key, value=envelope.model_dump(mode="json"))
