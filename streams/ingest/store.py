"""The ingester's durable state in one SQLite file: which articles were already produced, and each feed's state.

Why SQLite and not a compacted Kafka topic: the ingester is one process, and a lookup must not need the
whole seen-set in memory (a compacted topic has to be read completely into memory at every start, and
shrinking it by age needs tombstones for every old id). SQLite answers "seen?" from disk, survives
restarts (WAL, so a killed process loses nothing committed) and forgets by age with one DELETE.
An article is claimed (its id into `seen`, its payload into `outbox`) before it is sent, and leaves the
outbox when Kafka acknowledges it; what a crash leaves in the outbox is settled at the next start.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from extractors.schema import Article

SQL_VARIABLES = 500


@dataclass
class FeedState:
    """What we know about one feed between polls; times are Unix seconds."""

    feed_id: str
    url: str
    current_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    next_poll_at: float | None = None
    status: str = "new"
    disabled_reason: str | None = None
    last_success_at: float | None = None
    last_error_at: float | None = None
    last_error: str | None = None
    last_http_status: int | None = None
    consecutive_failures: int = 0
    polls: int = 0
    items_total: int = 0
    latency_ms: float | None = None


FEED_COLUMNS = tuple(item.name for item in dataclasses.fields(FeedState))
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS seen (
    id TEXT PRIMARY KEY,
    feed_id TEXT NOT NULL,
    first_seen REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_by_age ON seen (first_seen);
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY,
    first_seen REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds ({", ".join(FEED_COLUMNS)}, PRIMARY KEY (feed_id)) WITHOUT ROWID;
"""


def _chunks(values: list[str], size: int = SQL_VARIABLES) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class IngestStore:
    """Written from one thread (the event loop); every method is one short transaction."""

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = path
        if read_only:  # for the prepare process: it only asks what was seen, the poller alone writes
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    # -- seen articles ----------------------------------------------------------------------

    def unseen(self, ids: Iterable[str]) -> set[str]:
        wanted = set(ids)
        for chunk in _chunks(list(wanted)):
            marks = ",".join("?" * len(chunk))
            wanted.difference_update(row[0] for row in self._db.execute(f"SELECT id FROM seen WHERE id IN ({marks})", chunk))
        return wanted

    def claim(self, articles: list[Article], feed_id: str, now: float) -> list[Article]:
        """Record articles as seen and put them in the outbox (pending delivery); returns those nobody had claimed.
        Atomic among coroutines because nothing awaits between the check and the writes."""
        fresh = self.unseen(article.id for article in articles)
        claimed = [article for article in articles if article.id in fresh and not fresh.discard(article.id)]
        with self._transaction():
            self._db.executemany("INSERT INTO seen (id, feed_id, first_seen) VALUES (?, ?, ?)", ((a.id, feed_id, now) for a in claimed))
            self._db.executemany(
                "INSERT INTO outbox (id, first_seen, payload) VALUES (?, ?, ?)",
                ((article.id, now, article.model_dump_json()) for article in claimed),
            )
        return claimed

    def mark_delivered(self, ids: Iterable[str]) -> None:
        with self._transaction():
            for chunk in _chunks(list(ids)):
                self._db.execute(f"DELETE FROM outbox WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    def pending(self) -> Iterator[tuple[Article, float]]:
        """Claimed but not known to be delivered (a crash or Kafka outage in between), oldest first."""
        rows = self._db.execute("SELECT payload, first_seen FROM outbox ORDER BY first_seen").fetchall()
        for payload, first_seen in rows:
            yield Article.model_validate_json(payload), first_seen

    def forget_before(self, cutoff: float) -> int:
        """Drop delivered ids first seen before `cutoff`; a feed still carrying one after that would produce it again."""
        with self._transaction():
            cursor = self._db.execute("DELETE FROM seen WHERE first_seen < ? AND id NOT IN (SELECT id FROM outbox)", (cutoff,))
        return cursor.rowcount

    def new_items_since(self, since: float) -> dict[str, int]:
        rows = self._db.execute("SELECT feed_id, count(*) FROM seen WHERE first_seen >= ? GROUP BY feed_id", (since,))
        return dict(rows.fetchall())

    # -- feed state -------------------------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        rows = self._db.execute(f"SELECT {', '.join(FEED_COLUMNS)} FROM feeds").fetchall()
        return {row[0]: FeedState(*row) for row in rows}

    def save_feed_states(self, states: Iterable[FeedState]) -> None:
        marks = ",".join("?" * len(FEED_COLUMNS))
        with self._transaction():
            self._db.executemany(f"INSERT OR REPLACE INTO feeds VALUES ({marks})", (dataclasses.astuple(state) for state in states))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
