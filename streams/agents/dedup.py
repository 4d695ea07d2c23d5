"""deduplicate_articles: raw articles -> unique articles, near-duplicates linked to their canonical article."""

from __future__ import annotations

import datetime as dt
import logging

from extractors.schema import Article
from streams.dedup import DedupIndex
from streams.runtime.messages import UniqueArticle, article_time

log = logging.getLogger(__name__)


def install(pipeline) -> None:
    app, topics, settings = pipeline.app, pipeline.topics, pipeline.settings
    # One partition (see topics.py), so this table holds every recent signature and dedup is exact.
    state = app.Table("dedup-state", partitions=1)
    index = DedupIndex(state, threshold=settings.dedup.threshold, containment=settings.dedup.containment,
                       max_age=dt.timedelta(days=settings.dedup.max_age_days))

    @state.on_recover
    async def rederive_band_index():
        index.reload()

    @app.agent(topics["raw_articles"], name="deduplicate_articles")
    async def deduplicate_articles(stream):
        async for article in pipeline.decoded("dedup", Article, stream):
            event = stream.current_event
            async with pipeline.dead_letter_on_record_error("dedup", event.value, event):
                arrival = dt.datetime.fromtimestamp(event.message.timestamp, dt.timezone.utc)
                now = article_time(article, arrival)
                verdict = index.check_and_add(article.id, article.text, now=now)
                message = UniqueArticle(article=article, arrived_at=now, duplicate_of=verdict.duplicate_of,
                                        identical=verdict.identical)
                await topics["unique_articles"].send(key=message.canonical_id, value=message.model_dump(mode="json"))
