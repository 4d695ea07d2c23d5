"""The feed ingester assembled from Settings: HTTP session, store, Kafka delivery, poller and health reports.

This is the one place that reads Settings for feeds; `newswatch feeds run` and `newswatch run --demo` use it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streams.ingest.delivery import PRODUCER_TUNING, Delivery, keys_in_topic
from streams.ingest.feedlist import FeedConfig
from streams.ingest.fetch import Fetcher, open_session
from streams.ingest.fulltext import FullTextFetcher
from streams.ingest.guard import AddressPolicy
from streams.ingest.health import DAY_SECONDS, feed_health, languages_per_day
from streams.ingest.poller import FeedPoller, PollLimits
from streams.ingest.prepare import Preparer, process_pool
from streams.ingest.producer import ArticleProducer
from streams.ingest.schedule import PollTiming
from streams.ingest.store import IngestStore
from streams.settings import Settings

log = logging.getLogger(__name__)

FULL_TEXT_THREADS = 2


def store_path(settings: Settings) -> Path:
    return settings.home / "ingest" / "feeds.sqlite"


class FeedIngester:
    """Use as `async with FeedIngester(settings, feeds) as ingester: await ingester.run(stop)`."""

    def __init__(self, settings: Settings, feeds: list[FeedConfig], *, allowed_hosts: tuple[str, ...] = (), clock=time.time):
        self.settings = settings
        self.feeds = feeds
        self.allowed_hosts = allowed_hosts
        self.clock = clock

    async def __aenter__(self) -> FeedIngester:
        limits = self.settings.feeds
        kafka, topic = self.settings.kafka.bootstrap_servers, self.settings.topics.raw_articles
        policy = AddressPolicy([*limits.allowed_private_hosts, *self.allowed_hosts])
        self.session = open_session(
            policy,
            connect_timeout=limits.connect_timeout_seconds,
            read_timeout=limits.read_timeout_seconds,
            connections=limits.global_concurrency + limits.full_text_concurrency,
            user_agent=limits.user_agent,
        )
        fetcher = Fetcher(
            self.session, policy, max_body_bytes=limits.max_body_bytes, total_timeout=limits.total_timeout_seconds,
            max_redirects=limits.max_redirects,
        )
        self.store = IngestStore(store_path(self.settings))
        self.forget_old_ids()
        self.delivery = Delivery(
            functools.partial(ArticleProducer, kafka, topic, **PRODUCER_TUNING),
            self.store,
            max_buffer_bytes=limits.buffer_max_bytes,
            find_delivered=functools.partial(keys_in_topic, kafka, topic),
        )
        self.delivery.start()
        self.preparer = Preparer(functools.partial(process_pool, store_path(self.settings)),
                                 time_limit=limits.parse_time_limit_seconds)
        self.page_executor = ThreadPoolExecutor(max_workers=FULL_TEXT_THREADS, thread_name_prefix="full-text")
        full_text = FullTextFetcher(
            fetcher, self.page_executor, max_bytes=limits.full_text_max_bytes, timeout=limits.full_text_timeout_seconds,
            concurrency=limits.full_text_concurrency,
        )
        self.poller = FeedPoller(
            self.feeds,
            store=self.store,
            fetcher=fetcher,
            delivery=self.delivery,
            preparer=self.preparer,
            full_text=full_text,
            timing=PollTiming(**limits.model_dump(include=set(PollTiming.__dataclass_fields__))),
            limits=PollLimits(**limits.model_dump(include=set(PollLimits.__dataclass_fields__))),
            clock=self.clock,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.delivery.close()
        await self.session.close()
        self.preparer.close()
        self.page_executor.shutdown(wait=False, cancel_futures=True)
        self.store.close()

    def forget_old_ids(self) -> int:
        return self.store.forget_before(self.clock() - self.settings.feeds.seen_retention_days * DAY_SECONDS)

    def health(self, languages: dict[str, dict[str, int]] | None = None) -> list[dict]:
        now = self.clock()
        return feed_health(self.feeds, self.poller.states, self.store.new_items_since(now - DAY_SECONDS), now, languages)

    async def poll_all(self) -> dict[str, int]:
        return await self.poller.poll_all()

    async def run(self, stop: asyncio.Event, *, report_health: bool = True) -> None:
        """Poll until `stop`; feed health goes to Elasticsearch every feeds.health_interval_seconds."""
        tasks = [self.poller.run(stop), self._housekeeping(stop)]
        if report_health:
            tasks.append(self._report_health(stop))
        await asyncio.gather(*tasks)

    async def _every(self, seconds: float, stop: asyncio.Event, work) -> None:
        while not stop.is_set():
            await work()
            try:
                await asyncio.wait_for(stop.wait(), timeout=seconds)
            except TimeoutError:
                pass

    async def _housekeeping(self, stop: asyncio.Event) -> None:
        async def forget() -> None:
            forgotten = self.forget_old_ids()
            if forgotten:
                log.info("forgot %d article ids older than %g days (feeds.seen_retention_days)", forgotten, self.settings.feeds.seen_retention_days)

        await self._every(3600, stop, forget)

    async def _report_health(self, stop: asyncio.Event) -> None:
        from elasticsearch import AsyncElasticsearch, Elasticsearch

        from streams.elasticsearch.client import settings_client_options
        from streams.elasticsearch.indexer import Indexer, index_action
        from streams.elasticsearch.templates import ensure_templates

        es = self.settings.elasticsearch
        options = settings_client_options(es)
        index = es.index("feeds")
        client = AsyncElasticsearch(**options)
        templates_ready = False

        def put_templates() -> None:
            with Elasticsearch(**options) as sync_client:
                ensure_templates(sync_client, es.index_prefix)

        async def report() -> None:
            nonlocal templates_ready
            try:
                if not templates_ready:
                    await asyncio.to_thread(put_templates)
                    templates_ready = True
                records = self.health(await languages_per_day(client, es.index("articles"), self.clock()))
                await Indexer(client).bulk([index_action(index, record["feed"]["id"], record) for record in records], attempts=1)
            except Exception as error:  # health reporting must never stop polling
                log.warning("could not write feed health to Elasticsearch index %s: %s; retrying in %g s",
                            index, error, self.settings.feeds.health_interval_seconds)

        try:
            await self._every(self.settings.feeds.health_interval_seconds, stop, report)
            await report()
        finally:
            await client.close()
