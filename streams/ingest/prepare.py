"""The CPU-heavy half of a poll, in a separate process: parse the document, identify its items, drop those
already seen and turn the rest into plain text. On a 2-core machine this runs beside the event loop, the
Kafka threads and the HTTP client instead of queueing with them for the GIL; it halves a cycle's wall time.

The process only reads the seen-store (a read-only SQLite connection), to skip the text work for items
produced before; the poller's claim stays the authority on what is new.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from streams.child_process import single_process_pool
from streams.ingest.articles import ItemKey, feed_texts, identify, identify_by_reference
from streams.ingest.parse import FeedItem, FeedRejected, parse_feed
from streams.ingest.store import IngestStore

_seen: IngestStore | None = None


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
    skipped: list[str] = field(default_factory=list)  # items that could not be read, with the reason


def open_seen_store(path: Path) -> None:
    """Worker initializer: the read-only store connection this worker keeps."""
    global _seen
    _seen = IngestStore(path, read_only=True)


class ParseTimeUp(BaseException):
    """A document's time is up. Not an Exception, so that a parser's own `except Exception` fallbacks
    (feedparser retries a failed strict parse with its loose one) cannot swallow it and go on."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """ParseTimeUp after `seconds`, by SIGALRM: in the preparing process the work runs in the main thread,
    where Python can interrupt it between bytecodes. Elsewhere (threads in tests) there is no limit."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum, frame):
        raise ParseTimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def prepare_feed(body: bytes, *, content_type: str | None, feed_url: str, max_items: int,
                 max_seconds: float | None = None) -> PreparedFeed:
    """Unseen items of one feed document, oldest first (feeds list newest first), one per id, within
    `max_seconds` (one heavy document must not hold up every other feed's).

    An item that cannot be read costs only itself: it is left out and named in `skipped`."""
    try:
        with time_limit(max_seconds):
            return _prepare_feed(body, content_type=content_type, feed_url=feed_url, max_items=max_items)
    except ParseTimeUp:
        raise FeedRejected(
            f"took more than {max_seconds:g} s to read (feeds.max_parse_seconds), holding up the other feeds: "
            "refused; raise the limit if the feed is genuine", quarantine=True) from None


def _prepare_feed(body: bytes, *, content_type: str | None, feed_url: str, max_items: int) -> PreparedFeed:
    parsed = parse_feed(body, max_items=max_items, content_type=content_type)
    items = parsed.items
    keyed: dict[str, tuple[ItemKey, int]] = {}
    skipped: list[str] = []
    for index in reversed(range(len(items))):
        try:
            key = identify_by_reference(*items.head(index), feed_url) or identify(items[index], feed_url)
        except Exception as error:  # untrusted input: whatever an item does, the feed's other items go on
            skipped.append(f"item {index + 1} skipped: {type(error).__name__}: {error}")
            continue
        keyed.setdefault(key.id, (key, index))
    unseen = _seen.unseen(keyed) if _seen is not None else set(keyed)
    candidates = []
    for item_id, (key, index) in keyed.items():
        if item_id in unseen:
            try:
                content, summary = feed_texts(items[index])
            except Exception as error:
                skipped.append(f"item {key.url or index + 1} skipped: {type(error).__name__}: {error}")
                continue
            candidates.append(Candidate(key, replace(items[index], content=None, summary=None), content, summary))
    return PreparedFeed(parsed.format, parsed.language, len(items), candidates, skipped)


def process_pool(seen_db: Path) -> Executor:
    return single_process_pool(open_seen_store, (seen_db,))


# Documents larger than this are read in a second process, so that the many small feeds never queue behind
# a heavy one (an ill-formed 10 MiB feed takes seconds in feedparser's tolerant reader).
HEAVY_DOCUMENT_BYTES = 1024 * 1024


class Preparer:
    """Runs prepare_feed in its executors, one for small documents and one (started when first needed) for
    heavy ones; if a document kills a worker process, starts a new one."""

    def __init__(self, make_executor: Callable[[], Executor], heavy_bytes: int = HEAVY_DOCUMENT_BYTES):
        self.make_executor = make_executor
        self.heavy_bytes = heavy_bytes
        self._executors: dict[bool, Executor] = {False: make_executor()}

    async def prepare(self, body: bytes, *, content_type: str | None, feed_url: str, max_items: int,
                      max_seconds: float | None = None) -> PreparedFeed:
        work = functools.partial(prepare_feed, body, content_type=content_type, feed_url=feed_url, max_items=max_items,
                                 max_seconds=max_seconds)
        heavy = len(body) > self.heavy_bytes
        executor = self._executors.get(heavy) or self._executors.setdefault(heavy, self.make_executor())
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, work)
        except BrokenProcessPool as error:
            if executor is self._executors.get(heavy):
                executor.shutdown(wait=False, cancel_futures=True)
                self._executors[heavy] = self.make_executor()
            raise FeedRejected(f"the parser process died on this or another feed's document ({error}); retrying later") from error

    def close(self) -> None:
        for executor in self._executors.values():
            executor.shutdown(wait=True, cancel_futures=True)
