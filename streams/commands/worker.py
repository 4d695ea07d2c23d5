"""`newswatch worker`: the Faust worker that runs dedup, extraction, merging, indexing and alerting."""

from __future__ import annotations

import logging


def register(subparsers) -> None:
    parser = subparsers.add_parser("worker", help="run the stream-processing worker (Faust)")
    parser.add_argument("--loglevel", default="info", choices=("debug", "info", "warning", "error"))
    parser.set_defaults(handler=run)


def prepare_services(settings) -> None:
    """Topics with their partition counts and Elasticsearch templates exist before any agent reads or writes."""
    from elasticsearch import Elasticsearch

    from streams.indexer import ensure_templates, settings_client_options
    from streams.topics import ensure_topics

    ensure_topics(settings.kafka.bootstrap_servers, settings.topics, app_id=settings.worker.app_id)
    with Elasticsearch(**settings_client_options(settings.elasticsearch)) as client:
        ensure_templates(client, settings.elasticsearch.index_prefix)


def run(args) -> int:
    from faust import Worker

    from streams.app import create_app
    from streams.settings import Settings

    from streams.topics import commit_start_offsets

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
