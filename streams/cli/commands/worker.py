"""`newswatch worker`: the Faust worker that runs dedup, extraction, merging, indexing and alerting."""

from __future__ import annotations

import asyncio
import logging


def register(subparsers) -> None:
    parser = subparsers.add_parser("worker", help="run the stream-processing worker (Faust)")
    parser.add_argument("--loglevel", default="info", choices=("debug", "info", "warning", "error"))
    parser.set_defaults(handler=run)


def prepare_services(settings) -> None:
    """Topics with their partition counts and Elasticsearch templates exist before any agent reads or writes.
    A worker started during an Elasticsearch outage waits for it here, with backoff, logging what it waits for."""
    from streams.runtime.topics import ensure_topics

    ensure_topics(settings.kafka.bootstrap_servers, settings.topics, app_id=settings.worker.app_id)
    asyncio.run(create_templates(settings.elasticsearch))


async def create_templates(es_settings) -> None:
    from elasticsearch import AsyncElasticsearch, Elasticsearch

    from streams.elasticsearch.client import settings_client_options
    from streams.elasticsearch.indexer import Indexer
    from streams.elasticsearch.templates import ensure_templates

    options = settings_client_options(es_settings)
    with Elasticsearch(**options) as client:
        indexer = Indexer(AsyncElasticsearch(**options))  # for its retrying, as the agents retry later outages
        try:
            await indexer.retrying(lambda: asyncio.to_thread(ensure_templates, client, es_settings.index_prefix),
                                   f"creating the index templates at {es_settings.url} before the worker starts")
        finally:
            await indexer.client.close()


def run(args) -> int:
    from faust import Worker

    from streams.runtime.app import create_app
    from streams.settings import Settings

    from streams.runtime.topics import commit_start_offsets

    settings = Settings()
    prepare_services(settings)
    pipeline = create_app(settings)
    inputs = {name for agent in pipeline.app.agents.values() for name in agent.channel.topics}
    commit_start_offsets(settings.kafka.bootstrap_servers, settings.worker.app_id, inputs)
    logging.getLogger(__name__).info(
        "worker %s: kafka %s, elasticsearch %s", settings.worker.app_id, settings.kafka.bootstrap_servers, settings.elasticsearch.url
    )
    Worker(pipeline.app, loglevel=args.loglevel, quiet=True).execute_from_commandline()
    return 0
