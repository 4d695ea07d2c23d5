"""The CPU-heavy half of a poll, in a separate process: parse the document, identify its items, drop those
already seen and turn the rest into plain text. On a 2-core machine this runs beside the event loop, the
Kafka threads and the HTTP client instead of queueing with them for the GIL; it halves a cycle's wall time.

The process only reads the seen-store (a read-only SQLite connection), to skip the text work for items
produced before; the poller's claim stays the authority on what is new.
"""

from __future__ import annotations

import asyncio
import functools
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from streams.child_process import single_process_pool
from streams.ingest.articles import ItemKey, feed_texts, identify, identify_by_reference
from streams.ingest.parse import FeedItem, FeedRejected, parse_feed
from streams.ingest.store import IngestStore

_seen: IngestStore | None = None
# Documents this large go to a process of their own, so a heavy feed never holds up the many small ones.
LARGE_BODY_BYTES = 1024 * 1024


class ParseTimeUp(BaseException):
    """Raised by the timer inside the parse; a BaseException so that no library's `except Exception` swallows it."""


@dataclass(frozen=True)
class Candidate:
    """A feed item not seen at preparation time, with its texts; the HTML is dropped to keep it small."""

    key: ItemKey
    item: FeedItem
    content: str
    summary: str


@dataclass(frozen=True)
class PreparedFeed:
    format: str
    language: str | None
    items: int
    candidates: list[Candidate]
    skipped: list[str] = field(default_factory=list)  # why each unreadable item was left out


def open_seen_store(path: Path) -> None:
    """Worker initializer: the read-only store connection this worker keeps."""
    global _seen
    _seen = IngestStore(path, read_only=True)


def prepare_feed(body: bytes, *, content_type: str | None, feed_url: str, max_items: int,
                 time_limit: float | None = None) -> PreparedFeed:
    """Unseen items of one feed document, oldest first (feeds list newest first), one per id.

    An item with a value nothing can read (a "tags" that is a number) is left out with the reason; the feed's
    other items still go through. With a time limit (only in a process's main thread, where timers can signal), a
    document that takes longer to parse is rejected and quarantined.
    """
    if time_limit is None:
        return _prepare(body, content_type, feed_url, max_items)
    try:
        with _timer(time_limit):
            return _prepare(body, content_type, feed_url, max_items)
    except ParseTimeUp:
        raise FeedRejected(
            f"took more than {time_limit:g} s to parse ({len(body):,} bytes; feeds.parse_time_limit_seconds): "
            "quarantined; raise the limit if the feed is genuine", quarantine=True) from None


@contextmanager
def _timer(seconds: float) -> Iterator[None]:
    def time_up(signum, frame):
        raise ParseTimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _prepare(body: bytes, content_type: str | None, feed_url: str, max_items: int) -> PreparedFeed:
    parsed = parse_feed(body, max_items=max_items, content_type=content_type)
    items = parsed.items
    keyed: dict[str, tuple[ItemKey, int]] = {}
    skipped = []
    for index in reversed(range(len(items))):
        try:
            key = identify_by_reference(*items.head(index), feed_url) or identify(items[index], feed_url)
        except Exception as error:  # one item's bad value must not cost the feed its other items
            skipped.append(f"item {index + 1}: {type(error).__name__}: {error}")
            continue
        keyed.setdefault(key.id, (key, index))
    unseen = _seen.unseen(keyed) if _seen is not None else set(keyed)
    candidates = []
    for item_id, (key, index) in keyed.items():
        if item_id in unseen:
            try:
                content, summary = feed_texts(items[index])
            except Exception as error:  # as above
                skipped.append(f"item {index + 1}: {type(error).__name__}: {error}")
                continue
            candidates.append(Candidate(key, replace(items[index], content=None, summary=None), content, summary))
    return PreparedFeed(parsed.format, parsed.language, len(items), candidates, skipped)


def process_pool(seen_db: Path) -> Executor:
    return single_process_pool(open_seen_store, (seen_db,))


class Preparer:
    """Runs prepare_feed in its executors, one for ordinary documents and one for those over LARGE_BODY_BYTES (made
    when first needed), each parse bounded by `time_limit`; if a document kills an executor's process, starts a new one."""

    def __init__(self, make_executor: Callable[[], Executor], time_limit: float | None = None):
        self.make_executor = make_executor
        self.time_limit = time_limit
        self._executors: dict[bool, Executor] = {False: make_executor()}

    async def prepare(self, body: bytes, *, content_type: str | None, feed_url: str, max_items: int) -> PreparedFeed:
        work = functools.partial(prepare_feed, body, content_type=content_type, feed_url=feed_url, max_items=max_items,
                                 time_limit=self.time_limit)
        large = len(body) > LARGE_BODY_BYTES
        if large not in self._executors:
            self._executors[large] = self.make_executor()
        executor = self._executors[large]
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, work)
        except BrokenProcessPool as error:
            if executor is self._executors.get(large):
                executor.shutdown(wait=False, cancel_futures=True)
                self._executors[large] = self.make_executor()
            raise FeedRejected(f"the parser process died on this or another feed's document ({error}); retrying later") from error

    def close(self) -> None:
        for executor in self._executors.values():
            executor.shutdown(wait=True, cancel_futures=True)
