"""index_articles and index_incidents: extractions and incidents into Elasticsearch, in bulk, exactly once by id."""

from __future__ import annotations

import datetime as dt
import logging

from extractors.schema import Incident
from streams.alerting.text import summarize
from streams.elasticsearch.documents import article_document
from streams.elasticsearch.indexer import incident_action, index_action
from streams.runtime.batches import event_batches
from streams.runtime.messages import ExtractedArticle

log = logging.getLogger(__name__)

INDEX_BATCH = 200
INDEX_WITHIN = 1.0


def install(pipeline) -> None:
    app, topics, es_settings = pipeline.app, pipeline.topics, pipeline.settings.elasticsearch
    async def index(stage: str, actions: list[dict]) -> None:
        """Blocks while Elasticsearch is down (offsets stay uncommitted); rejected documents become dead letters."""
        outcome = await pipeline.indexer().bulk(actions)
        sources = {action["_id"]: action["_source"] for action in actions}
        for failure in outcome.failures:
            await pipeline.dead_letter(stage, str(failure.get("error")), sources.get(failure.get("_id"), {}))

    def article_action(extracted: ExtractedArticle, now: dt.datetime) -> dict:
        document = article_document(extracted.article, extracted.extraction, extracted.duplicate_of, now)
        return index_action(es_settings.index("articles"), extracted.article.id, document)

    def incident_update_action(incident: Incident, now: dt.datetime) -> dict:
        return incident_action(es_settings.index("incidents"), incident, summarize(incident), now)

    def indexing_agent(topic_key: str, name: str, model, to_action) -> None:
        """An agent that indexes each batch of its topic's records in one bulk request."""

        async def index_batches(stream):
            async for batch in event_batches(stream, INDEX_BATCH, INDEX_WITHIN):
                now = dt.datetime.now(dt.timezone.utc)
                actions = [to_action(record, now) for record in await pipeline.parse_batch(name, model, batch)]
                if actions:
                    await index(name, actions)

        app.agent(topics[topic_key], name=name)(index_batches)

    indexing_agent("extractions", "index_articles", ExtractedArticle, article_action)
    indexing_agent("incidents", "index_incidents", Incident, incident_update_action)
