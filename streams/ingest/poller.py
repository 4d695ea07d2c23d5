"""Polls feeds on their schedules: fetch, parse, keep the unseen items, add full text, claim and deliver.

Politeness and fairness: a poll waits for its host's slot before taking a global slot, so a host with
many feeds queues behind its own limit without holding slots other hosts could use. A feed's
validators (ETag, Last-Modified) are saved only after its new items are claimed, so a crash between
fetch and claim means the next poll gets the items again rather than a 304.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import datetime as dt
import hashlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from streams.ingest.articles import PageText, build_article, needs_full_text
from streams.ingest.delivery import Delivery
from streams.ingest.feedlist import FeedConfig
from streams.ingest.fetch import Fetcher, FetchError, Validators
from streams.ingest.fulltext import FullTextFetcher
from streams.ingest.parse import FeedRejected
from streams.ingest.prepare import Candidate, PreparedFeed, Preparer
from streams.ingest.schedule import PollTiming, after_failure, after_gone, after_success, retry_after_seconds
from streams.ingest.store import FeedState, IngestStore
from streams.ingest.urls import host_of

log = logging.getLogger(__name__)

THROTTLED = frozenset({429, 503})
SCHEDULER_TICK_SECONDS = 1.0


@dataclass(frozen=True)
class PollLimits:
    max_items: int = 1000
    full_text_min_chars: int = 1000
    global_concurrency: int = 64
    per_host_concurrency: int = 4


class FeedPoller:
    def __init__(
        self,
        feeds: list[FeedConfig],
        *,
        store: IngestStore,
        fetcher: Fetcher,
        delivery: Delivery,
        preparer: Preparer,
        full_text: FullTextFetcher | None = None,
        timing: PollTiming = PollTiming(),
        limits: PollLimits = PollLimits(),
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ):
        self.feeds = [feed for feed in feeds if feed.enabled]
        self.store = store
        self.fetcher = fetcher
        self.delivery = delivery
        self.preparer = preparer
        self.full_text = full_text
        self.timing = timing
        self.limits = limits
        self.clock = clock
        self.rng = rng or random.Random()
        known = store.feed_states()
        self.states = {feed.id: known.get(feed.id) or FeedState(feed.id, feed.url) for feed in self.feeds}
        self._unsaved: set[str] = set()
        self._global_slots = asyncio.Semaphore(limits.global_concurrency)
        self._host_slots: dict[str, asyncio.Semaphore] = collections.defaultdict(
            lambda: asyncio.Semaphore(limits.per_host_concurrency)
        )

    async def poll_all(self) -> dict[str, int]:
        """Every enabled feed once, due or not, then wait for Kafka to acknowledge: one full cycle."""
        before = self.delivery.delivered
        await asyncio.gather(*(self.poll(feed) for feed in self.feeds if self.states[feed.id].status != "disabled"))
        self.save_states()
        await self.delivery.drain()
        statuses = collections.Counter(state.status for state in self.states.values())
        return {"feeds": len(self.feeds), "delivered": self.delivery.delivered - before, **statuses}

    async def run(self, stop: asyncio.Event) -> None:
        """Poll each feed when due until `stop` is set; polls in progress are then cancelled (nothing is lost:
        their items were either claimed, and are delivered by the delivery task, or will be fetched again)."""
        running: dict[str, asyncio.Task] = {}
        try:
            while not stop.is_set():
                now = self.clock()
                for feed in self.feeds:
                    state = self.states[feed.id]
                    due = state.next_poll_at is None or state.next_poll_at <= now
                    if due and state.status != "disabled" and feed.id not in running:
                        running[feed.id] = asyncio.create_task(self.poll(feed), name=f"poll {feed.label}")
                for feed_id in [feed_id for feed_id, task in running.items() if task.done()]:
                    running.pop(feed_id).result()
                self.save_states()
                waits = [state.next_poll_at - now for feed_id, state in self.states.items() if feed_id not in running and state.next_poll_at]
                pause = min([SCHEDULER_TICK_SECONDS, *waits])
                try:
                    await asyncio.wait_for(stop.wait(), timeout=max(pause, 0.05))
                except TimeoutError:
                    pass
        finally:
            for task in running.values():
                task.cancel()
            await asyncio.gather(*running.values(), return_exceptions=True)
            self.save_states()

    async def poll(self, feed: FeedConfig) -> None:
        async with self._host_slots[host_of(self.states[feed.id].current_url or feed.url)]:
            async with self._global_slots:
                try:
                    await self._poll(feed)
                except Exception as error:  # one feed's surprise must not stop the others
                    log.exception("feed %s: unexpected error while polling", feed.label)
                    self._fail(feed, feed.url, f"internal error: {type(error).__name__}: {error}", now=self.clock())

    async def _poll(self, feed: FeedConfig) -> None:
        state = self.states[feed.id]
        url = state.current_url or feed.url
        now = self.clock()
        try:
            response = await self.fetcher.get(url, Validators(state.etag, state.last_modified))
        except FetchError as error:
            self._fail(feed, url, str(error), now=now, quarantine=error.quarantine)
            return
        if response.status == 410:
            self._save(after_gone(state, now=now, url=response.url))
            log.error("feed %s: %s", feed.label, self.states[feed.id].disabled_reason)
            return
        if response.status in THROTTLED:
            delay = retry_after_seconds(response.retry_after, now)
            message = f"HTTP {response.status} (throttled); " + (f"Retry-After {delay:g} s" if delay is not None else "no Retry-After, backing off")
            self._fail(feed, url, message, now=now, retry_after=delay, http_status=response.status, elapsed=response.elapsed)
            return
        if response.status not in (200, 304):
            self._fail(feed, url, f"HTTP {response.status}", now=now, http_status=response.status, elapsed=response.elapsed)
            return
        body_hash = hashlib.blake2b(response.body, digest_size=16).hexdigest() if response.status == 200 else state.body_hash
        new_items = 0
        if response.status == 200 and body_hash != state.body_hash:
            try:
                prepared = await self.preparer.prepare(
                    response.body, content_type=response.content_type, feed_url=response.url, max_items=self.limits.max_items
                )
            except FeedRejected as error:
                self._fail(feed, url, str(error), now=now, quarantine=error.quarantine, http_status=200, elapsed=response.elapsed)
                return
            if prepared.skipped:
                log.warning("feed %s: %d unreadable item(s) skipped, the others taken: %s", feed.label,
                            len(prepared.skipped), "; ".join(prepared.skipped[:3]))
            new_items = await self._take_new_items(feed, prepared, now)
        state = self.states[feed.id]
        if response.permanent_url:
            log.info("feed %s moved permanently to %s; polling the new address from now on", feed.label, response.permanent_url)
        self._save(
            after_success(
                dataclasses.replace(
                    state,
                    current_url=response.permanent_url or state.current_url,
                    etag=response.validators.etag or (state.etag if response.status == 304 else None),
                    last_modified=response.validators.last_modified or (state.last_modified if response.status == 304 else None),
                    body_hash=body_hash,
                ),
                now=now,
                interval=feed.interval,
                elapsed=response.elapsed,
                http_status=response.status,
                new_items=new_items,
                timing=self.timing,
                rng=self.rng,
            )
        )

    async def _take_new_items(self, feed: FeedConfig, prepared: PreparedFeed, now: float) -> int:
        """Articles for the items not produced before (by any feed), oldest first; returns how many were claimed."""
        if not prepared.candidates:
            return 0
        pages = await self._pages(feed, prepared.candidates)
        fetched_at = dt.datetime.fromtimestamp(now, dt.UTC)
        language = feed.language or prepared.language
        built = [
            build_article(
                candidate.item,
                candidate.key,
                content=candidate.content,
                summary=candidate.summary,
                page=pages.get(candidate.key.id),
                source=feed.label,
                tags=feed.tags,
                language=language,
                now=fetched_at,
            )
            for candidate in prepared.candidates
        ]
        articles = [article for article in built if article is not None]
        if len(articles) < len(built):
            log.warning("feed %s: %d new items had no title or text and were skipped", feed.label, len(built) - len(articles))
        claimed = self.store.claim(articles, feed.id, now)
        await self.delivery.submit(claimed)
        return len(claimed)

    async def _pages(self, feed: FeedConfig, candidates: list[Candidate]) -> dict[str, PageText | None]:
        """Full text for the items whose feed text is short, fetched concurrently (within the fetcher's limits)."""
        if not (self.full_text and feed.full_text):
            return {}
        wanted = [
            candidate for candidate in candidates
            if needs_full_text(candidate.key, candidate.content, candidate.summary, self.limits.full_text_min_chars)
        ]
        pages = await asyncio.gather(*(self.full_text.page_text(candidate.key.url) for candidate in wanted))
        return {candidate.key.id: page for candidate, page in zip(wanted, pages)}

    def _fail(
        self,
        feed: FeedConfig,
        url: str,
        message: str,
        *,
        now: float,
        quarantine: bool = False,
        retry_after: float | None = None,
        http_status: int | None = None,
        elapsed: float | None = None,
    ) -> None:
        state = after_failure(
            self.states[feed.id],
            message,
            now=now,
            quarantine=quarantine,
            retry_after=retry_after,
            http_status=http_status,
            elapsed=elapsed,
            timing=self.timing,
            rng=self.rng,
        )
        self._save(state)
        wait = state.next_poll_at - now
        if quarantine:
            log.error("feed %s (%s) quarantined: %s; next try in %.0f s", feed.label, url, message, wait)
        else:
            log.warning("feed %s (%s) failed %d time(s) in a row: %s; next try in %.0f s", feed.label, url, state.consecutive_failures, message, wait)

    def _save(self, state: FeedState) -> None:
        self.states[state.feed_id] = state
        self._unsaved.add(state.feed_id)

    def save_states(self) -> None:
        """Feed states are written in batches: one transaction per scheduler tick, not one per poll. Losing the
        last tick's states in a crash costs a full fetch instead of a 304, never an article (claims commit at once)."""
        if self._unsaved:
            self.store.save_feed_states(self.states[feed_id] for feed_id in self._unsaved)
            self._unsaved.clear()
