"""index_articles and index_incidents: extractions and incidents into Elasticsearch, in bulk, exactly once by id."""

from __future__ import annotations

import datetime as dt
import logging

from elasticsearch import AsyncElasticsearch

from extractors.schema import Incident
from streams.alert_text import summarize
from streams.documents import article_document, incident_document
from streams.indexer import Indexer, index_action, settings_client_options, versioned_action
from streams.messages import ExtractedArticle

log = logging.getLogger(__name__)

INDEX_BATCH = 200
INDEX_WITHIN = 1.0


def install(pipeline) -> None:
    app, topics, es_settings = pipeline.app, pipeline.topics, pipeline.settings.elasticsearch
    indexer: Indexer | None = None

    def get_indexer() -> Indexer:
        nonlocal indexer
        if indexer is None:
            indexer = Indexer(AsyncElasticsearch(**settings_client_options(es_settings)))
        return indexer

    async def index(stage: str, actions: list[dict], values: dict[str, dict]) -> None:
        """Blocks while Elasticsearch is down (offsets stay uncommitted); mapping failures become dead letters."""
        outcome = await get_indexer().bulk(actions)
        for failure in outcome.failures:
            await pipeline.dead_letter(stage, str(failure.get("error")), values.get(failure.get("_id"), {}))

    @app.agent(topics["extractions"], name="index_articles")
    async def index_articles(stream):
        async for batch in stream.take(INDEX_BATCH, within=INDEX_WITHIN):
            now = dt.datetime.now(dt.timezone.utc)
            actions, values = [], {}
            for value in batch:
                try:
                    extracted = ExtractedArticle.model_validate(value)
                except ValueError as error:
                    await pipeline.dead_letter("index_articles", error, value)
                    continue
                document = article_document(extracted.article, extracted.extraction, extracted.duplicate_of, now)
                actions.append(index_action(es_settings.index("articles"), extracted.article.id, document))
                values[extracted.article.id] = value
            if actions:
                await index("index_articles", actions, values)

    @app.agent(topics["incidents"], name="index_incidents")
    async def index_incidents(stream):
        async for batch in stream.take(INDEX_BATCH, within=INDEX_WITHIN):
            now = dt.datetime.now(dt.timezone.utc)
            actions, values = [], {}
            for value in batch:
                try:
                    incident = Incident.model_validate(value)
                except ValueError as error:
                    await pipeline.dead_letter("index_incidents", error, value)
                    continue
                document = incident_document(incident, summarize(incident), now)
                actions.append(versioned_action(es_settings.index("incidents"), incident.id, incident.version, document))
                values[incident.id] = value
            if actions:
                await index("index_incidents", actions, values)
