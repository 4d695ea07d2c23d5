"""`newswatch watches sync FILE | list | test WATCH --incident ID`: publish, show and debug watches."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("watches", help="sync, list and test alert watches")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sync = actions.add_parser("sync", help="load a YAML file into Elasticsearch and the compacted watches topic")
    sync.add_argument("file", type=Path)
    sync.add_argument("--no-kafka", action="store_true", help="only update the Elasticsearch index")
    listing = actions.add_parser("list", help="the watches in Elasticsearch (or in --file)")
    listing.add_argument("--file", type=Path, help="list a YAML file instead of what is synced")
    test = actions.add_parser("test", help="explain why a watch matches an incident or not")
    test.add_argument("watch", help="watch id")
    source = test.add_mutually_exclusive_group(required=True)
    source.add_argument("--incident", help="incident id, fetched from Elasticsearch")
    source.add_argument("--incident-file", type=Path, help="an incident as JSON (e.g. from replay output)")
    test.add_argument("--file", type=Path, help="watches YAML (default: settings watches_file)")
    test.add_argument("--article-text", type=Path,
                      help="article text for the watch's text query (default with --incident: its articles in Elasticsearch)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from streams.settings import Settings
    from streams.watches.errors import WatchError

    settings = Settings()
    try:
        return {"sync": sync, "list": list_watches, "test": test}[args.action](args, settings)
    except WatchError as error:
        print(error, file=sys.stderr)
        return 2


def _client(settings):
    from elasticsearch import Elasticsearch

    from streams.elasticsearch.client import settings_client_options

    return Elasticsearch(**settings_client_options(settings.elasticsearch))


def sync(args, settings) -> int:
    import datetime as dt

    from streams.alerting.sinks import SinkConfigError, build_dispatcher
    from streams.elasticsearch.templates import ensure_templates
    from streams.runtime.topics import ensure_topics
    from streams.watches.loading import load_watches
    from streams.watches.sync import publish, sync_index

    watches = load_watches(args.file)
    try:
        build_dispatcher(settings.alerting, dead_letter=None,
                         alerts_topic=(settings.kafka.bootstrap_servers, settings.topics.alerts)).check(watches)
    except SinkConfigError as error:
        print(f"warning: {error}", file=sys.stderr)
    client = _client(settings)
    ensure_templates(client, settings.elasticsearch.index_prefix)
    index = settings.elasticsearch.index("watches")
    result = sync_index(client, index, watches, dt.datetime.now(dt.timezone.utc))
    targets = [index]
    if not args.no_kafka:
        ensure_topics(settings.kafka.bootstrap_servers, settings.topics, keys=["watches"])
        publish(settings.kafka.bootstrap_servers, settings.topics.watches, watches, result.removed)
        targets.append(settings.topics.watches)
    removed = f"; removed {', '.join(result.removed)}" if result.removed else ""
    print(f"synced {result.indexed} watch(es) from {args.file} to {' and '.join(targets)}{removed}")
    return 0


def list_watches(args, settings) -> int:
    from streams.terminal_tables import format_table
    from streams.watches.loading import load_watches
    from streams.watches.sync import describe_region, describe_rule, read_watches

    if args.file:
        watches, origin = load_watches(args.file), str(args.file)
    else:
        origin = settings.elasticsearch.index("watches")
        watches = read_watches(_client(settings), origin)
    if not watches:
        print(f"no watches in {origin}; load some with `newswatch watches sync FILE`")
        return 0
    rows = [(w.id, w.name, describe_region(w.region), describe_rule(w.rule), ", ".join(w.sinks)) for w in watches]
    print(format_table(("ID", "NAME", "REGION", "RULE", "SINKS"), rows))
    return 0


def test(args, settings) -> int:
    from extractors.schema import Incident
    from streams.watches.loading import load_watches
    from streams.watches.prepared import explain

    watches_file = args.file or settings.watches_file
    watch = next((w for w in load_watches(watches_file) if w.id == args.watch), None)
    if watch is None:
        print(f"no watch {args.watch!r} in {watches_file}; `newswatch watches list --file {watches_file}` shows the ids",
              file=sys.stderr)
        return 2
    if args.incident_file:
        try:
            incident = Incident.model_validate(json.loads(args.incident_file.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            print(f"{args.incident_file}: not an incident as JSON ({str(error).splitlines()[0]})", file=sys.stderr)
            return 2
    else:
        incident = _fetch_incident(settings, args.incident)
        if incident is None:
            return 2
    if args.article_text:
        article_text = args.article_text.read_text(encoding="utf-8")
    else:
        article_text = _articles_text(settings, incident.article_ids) if args.incident else None
    print("\n".join(explain(watch, incident, article_text)))
    return 0


def _fetch_incident(settings, incident_id: str):
    from elasticsearch import NotFoundError

    from extractors.schema import Incident

    index = settings.elasticsearch.index("incidents")
    try:
        document = _client(settings).get(index=index, id=incident_id, source_includes=["incident.record"])
    except NotFoundError:
        print(f"no incident {incident_id!r} in {index}; `newswatch search` lists recent incident ids", file=sys.stderr)
        return None
    return Incident.model_validate(document["_source"]["incident"]["record"])


def _articles_text(settings, article_ids: list[str]) -> str | None:
    """The title and text of the incident's articles indexed so far: what its text queries read in the stream."""
    from streams.watches.text_query import query_text

    if not article_ids:
        return None
    found = _client(settings).mget(index=settings.elasticsearch.index("articles"), ids=article_ids,
                                   source_includes=["article.title", "article.text"])
    articles = [doc["_source"]["article"] for doc in found["docs"] if doc.get("found")]
    return "\n\n".join(query_text(a.get("title"), a.get("text")) for a in articles) or None
