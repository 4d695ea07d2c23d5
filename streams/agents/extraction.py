"""extract_incidents: unique articles -> extractions and incident reports, in batches, in a child process."""

from __future__ import annotations

import asyncio
import logging

from extractors.schema import ExtractionResult
from streams.extraction.extractor_process import ExtractorProcess, load_extractor
from streams.extraction.recent_extractions import RecentExtractions, latest_extractions
from streams.incidents.merge import merge_key
from streams.runtime.batches import event_batches
from streams.runtime.messages import ExtractedArticle, ReportMessage, UniqueArticle
from streams.watches.live_watches import LiveWatches
from streams.watches.text_query import query_text

log = logging.getLogger(__name__)


def install(pipeline, watches: LiveWatches) -> None:
    app, topics, worker = pipeline.app, pipeline.topics, pipeline.settings.worker
    recent = RecentExtractions()
    extractor = ExtractorProcess(load_extractor(worker.extractor))

    @app.on_before_shutdown.connect
    async def stop_extractor_process(sender, **kwargs) -> None:
        extractor.close()

    reloading: asyncio.Future | None = None

    @app.on_partitions_assigned.connect
    async def reload_recent_extractions(sender, assigned, **kwargs) -> None:
        # Started here, awaited by the agent before its next batch: table recovery runs meanwhile.
        nonlocal reloading
        if any(tp.topic == pipeline.settings.topics.unique_articles for tp in assigned):
            reloading = asyncio.ensure_future(asyncio.to_thread(
                latest_extractions, pipeline.settings.kafka.bootstrap_servers, pipeline.settings.topics.extractions,
                recent.size))

    async def cache_current() -> None:
        nonlocal reloading
        while reloading is not None:
            task = reloading
            extracted = await task
            if reloading is task:  # not superseded by a newer assignment meanwhile
                reloading = None
                recent.reload(extracted)
                log.info("reloaded %d recent extractions", len(extracted))

    @app.agent(topics["unique_articles"], name="extract_incidents")
    async def extract_incidents(stream):
        await watches.caught_up.wait()  # their text queries are tested here
        async for batch in event_batches(stream, worker.extract_batch_size, worker.extract_batch_seconds):
            await cache_current()
            messages = await pipeline.parse_batch("extract", UniqueArticle, batch)
            reused = {m.article.id: recent.get(m.duplicate_of) for m in messages if m.duplicate_of and m.identical}
            pending = [m.article for m in messages if reused.get(m.article.id) is None]
            results, failures = await extractor.extract(pending)
            for article, error in failures:
                await pipeline.dead_letter("extract", error, article.model_dump(mode="json"))
            extracted = {article.id: result for article, result in zip(pending, results) if result is not None}
            for message in messages:
                result = reused.get(message.article.id) or extracted.get(message.article.id)
                if result is None:
                    continue
                if message.duplicate_of is None:
                    recent.put(message.article.id, result)
                async with pipeline.dead_letter_on_record_error("extract", message.model_dump(mode="json")):
                    await send_extraction(topics, message, result, watches)


async def send_extraction(topics, message: UniqueArticle, result: ExtractionResult, watches: LiveWatches) -> None:
    article = message.article
    text_matches = watches.index.text_matches(query_text(article.title, article.text)) if result.incidents else []
    result = result.model_copy(update={"id": article.id})
    extracted = ExtractedArticle(article=article, duplicate_of=message.duplicate_of, extraction=result)
    await topics["extractions"].send(key=message.canonical_id, value=extracted.model_dump(mode="json"))
    for report in result.incidents:
        key = merge_key(report)
        envelope = ReportMessage(merge_key=key, article_id=article.id, source=article.source,
                                 url=article.canonical_url or article.url, published=article.published,
                                 arrived_at=message.arrived_at, report=report, text_matches=text_matches,
                                 title=article.title, language=result.language)
        await topics["incident_reports"].send(key=key, value=envelope.model_dump(mode="json"))
