"""`newswatch feeds run | status | enable`: poll the configured feeds into Kafka and inspect their health."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser("feeds", help="poll RSS/Atom/JSON feeds into Kafka; show feed health")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    run_parser = actions.add_parser("run", help="poll feeds on their schedules until interrupted")
    run_parser.add_argument("--feeds", type=Path, help="OPML or YAML feeds file (default: settings feeds_file)")
    run_parser.add_argument("--once", action="store_true", help="poll every feed once, wait for Kafka, print a summary and exit")
    run_parser.add_argument("--no-health", action="store_true", help="do not write feed health to Elasticsearch")
    run_parser.add_argument("--demo", action="store_true", help="poll the offline demo feeds (deploy/demo) served on 127.0.0.1")
    run_parser.set_defaults(handler=run)
    status_parser = actions.add_parser("status", help="feed health: last success, errors, items per day, latency")
    status_parser.add_argument("--feeds", type=Path, help="OPML or YAML feeds file (default: settings feeds_file)")
    status_parser.add_argument("--json", action="store_true", help="one JSON health record per line instead of a table")
    status_parser.set_defaults(handler=status)
    enable_parser = actions.add_parser("enable", help="poll a disabled (410) or quarantined feed again")
    enable_parser.add_argument("feed", help="the feed's URL or name as listed in the feeds file")
    enable_parser.add_argument("--feeds", type=Path, help="OPML or YAML feeds file (default: settings feeds_file)")
    enable_parser.set_defaults(handler=enable)


def _load(args):
    from streams.ingest.feedlist import FeedListError, load_feeds
    from streams.settings import Settings

    settings = Settings()
    try:
        return settings, load_feeds(args.feeds or settings.feeds_file)
    except FeedListError as error:
        print(f"newswatch feeds {args.action}: {error}", file=sys.stderr)
        return settings, None


def run(args) -> int:
    import signal

    from streams.ingest.service import FeedIngester

    from streams.ingest.demo import serve_demo
    from streams.settings import Settings

    settings, feeds = (Settings(), []) if args.demo else _load(args)
    if feeds is None:
        return 2

    async def poll(feeds, allowed_hosts: tuple[str, ...] = ()) -> int:
        async with FeedIngester(settings, feeds, allowed_hosts=allowed_hosts) as ingester:
            if args.once:
                print(json.dumps(await ingester.poll_all()))
                return 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            print(f"polling {len(feeds)} feeds into {settings.topics.raw_articles}; Ctrl-C to stop", file=sys.stderr)
            await ingester.run(stop, report_health=not args.no_health)
            return 0

    async def main() -> int:
        if not args.demo:
            return await poll(feeds)
        demo = await serve_demo()
        try:
            return await poll(demo.feeds, demo.allowed_hosts)
        finally:
            await demo.close()

    return asyncio.run(main())


def status(args) -> int:
    import time

    from streams.ingest.health import DAY_SECONDS, feed_health, health_table
    from streams.ingest.service import store_path
    from streams.ingest.store import IngestStore

    settings, feeds = _load(args)
    if feeds is None:
        return 2
    now = time.time()
    store = IngestStore(store_path(settings))
    try:
        records = feed_health(feeds, store.feed_states(), store.new_items_since(now - DAY_SECONDS), now,
                              asyncio.run(_languages(settings, now)))
    finally:
        store.close()
    if args.json:
        for record in records:
            print(json.dumps(record))
    else:
        print(health_table(records, now))
    return 0


async def _languages(settings, now: float) -> dict[str, dict[str, int]] | None:
    """Per-feed counts of articles by language from Elasticsearch; None (shown as "-") when it does not answer."""
    from elasticsearch import AsyncElasticsearch

    from streams.elasticsearch.client import settings_client_options
    from streams.ingest.health import languages_per_day

    client = AsyncElasticsearch(**settings_client_options(settings.elasticsearch) | {"request_timeout": 5, "max_retries": 0})
    try:
        return await languages_per_day(client, settings.elasticsearch.index("articles"), now)
    except Exception as error:  # the table is still worth printing without this column
        log.warning("language counts unavailable (%s: %s)", type(error).__name__, error)
        return None
    finally:
        await client.close()


def enable(args) -> int:
    from streams.ingest.schedule import reenabled
    from streams.ingest.service import store_path
    from streams.ingest.store import IngestStore

    settings, feeds = _load(args)
    if feeds is None:
        return 2
    matches = [feed for feed in feeds if args.feed in (feed.url, feed.name, feed.label)]
    if not matches:
        print(f"newswatch feeds enable: no feed with URL or name {args.feed!r} in the feeds file", file=sys.stderr)
        return 2
    store = IngestStore(store_path(settings))
    try:
        states = store.feed_states()
        for feed in matches:
            if feed.id in states:
                store.save_feed_states([reenabled(states[feed.id])])
            print(f"{feed.label}: will be polled when `newswatch feeds run` next starts")
    finally:
        store.close()
    return 0
