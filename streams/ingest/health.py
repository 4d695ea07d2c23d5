"""Feed health: one record per feed, shown by `newswatch feeds status` and indexed into `<prefix>-feeds` for Kibana."""

from __future__ import annotations

import datetime as dt

from extractors.language import is_readable
from streams.ingest.feedlist import FeedConfig
from streams.ingest.store import FeedState
from streams.ingest.urls import host_of
from streams.terminal_tables import format_table

DAY_SECONDS = 86400
TABLE_COLUMNS = ("FEED", "STATUS", "LAST SUCCESS", "FAILS", "ITEMS/DAY", "UNREAD/DAY", "LANGUAGES/DAY", "LATENCY", "LAST ERROR")
ERROR_WIDTH = 70


def _iso(timestamp: float | None) -> str | None:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat() if timestamp is not None else None


def feed_health(feeds: list[FeedConfig], states: dict[str, FeedState], items_per_day: dict[str, int], now: float,
                languages_per_day: dict[str, dict[str, int]] | None = None) -> list[dict]:
    """Health records in the `<prefix>-feeds` document shape, one per configured feed, by name.

    `languages_per_day` counts, by feed name then language, the articles of the last 24 h (None: unknown);
    `unread_per_day` is the part of them in languages the extractor cannot read yet."""
    records = []
    for feed in sorted(feeds, key=lambda feed: feed.label.lower()):
        state = states.get(feed.id) or FeedState(feed.id, feed.url)
        status = state.status if feed.enabled else "off"
        languages = languages_per_day.get(feed.label, {}) if languages_per_day is not None else None
        records.append(
            {
                "@timestamp": _iso(now),
                "event": {"kind": "metric", "dataset": "newswatch.feeds"},
                "url": {"full": state.current_url or feed.url, "domain": host_of(state.current_url or feed.url)},
                "message": state.last_error if status != "ok" else None,
                "feed": {
                    "id": feed.id,
                    "name": feed.label,
                    "configured_url": feed.url,
                    "status": status,
                    "tags": list(feed.tags),
                    "last_success": _iso(state.last_success_at),
                    "last_error_at": _iso(state.last_error_at),
                    "last_error": state.last_error,
                    "last_http_status": state.last_http_status,
                    "consecutive_failures": state.consecutive_failures,
                    "items_per_day": items_per_day.get(feed.id, 0),
                    "items_total": state.items_total,
                    "languages_per_day": ([{"language": language, "count": count} for language, count in languages.items()]
                                          if languages is not None else None),
                    "unread_per_day": (sum(count for language, count in languages.items() if not is_readable(language))
                                       if languages is not None else None),
                    "latency_ms": round(state.latency_ms, 1) if state.latency_ms is not None else None,
                    "polls": state.polls,
                    "next_poll": _iso(state.next_poll_at),
                },
            }
        )
    return records


def _age(timestamp: str | None, now: float) -> str:
    if timestamp is None:
        return "never"
    seconds = now - dt.datetime.fromisoformat(timestamp).timestamp()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{max(seconds, 0):.0f}s ago"


def health_table(records: list[dict], now: float) -> str:
    """A plain-text table, worst feeds first so problems are at the top."""
    order = {"quarantined": 0, "disabled": 1, "failing": 2, "new": 3, "ok": 4, "off": 5}
    rows = []
    for record in sorted(records, key=lambda record: order.get(record["feed"]["status"], 9)):
        feed = record["feed"]
        error = (feed["last_error"] or "") if feed["status"] != "ok" else ""
        rows.append(
            (
                feed["name"],
                feed["status"],
                _age(feed["last_success"], now),
                str(feed["consecutive_failures"]),
                str(feed["items_per_day"]),
                str(feed["unread_per_day"]) if feed["unread_per_day"] is not None else "-",
                _language_counts(feed["languages_per_day"]),
                f"{feed['latency_ms']:.0f} ms" if feed["latency_ms"] is not None else "-",
                error,
            )
        )
    return format_table(TABLE_COLUMNS, rows, max_width=ERROR_WIDTH)


def _language_counts(languages: list[dict] | None) -> str:
    """'en 40, fr 3': most frequent first; '-' when unknown."""
    if languages is None:
        return "-"
    ordered = sorted(languages, key=lambda entry: (-entry["count"], entry["language"]))
    return ", ".join(f"{entry['language']} {entry['count']}" for entry in ordered) or "0"


async def languages_per_day(client, articles_index: str, now: float) -> dict[str, dict[str, int]]:
    """Articles of the last 24 h by source (a feed's name) and language, from the worker's article documents:
    the worker identifies the language once, as the extractor reads it."""
    since = dt.datetime.fromtimestamp(now - DAY_SECONDS, dt.UTC).isoformat()
    response = await client.search(
        index=articles_index, size=0, ignore_unavailable=True,
        query={"range": {"event.ingested": {"gte": since}}},
        aggregations={"sources": {"terms": {"field": "article.source", "size": 10_000},
                                  "aggregations": {"languages": {"terms": {"field": "article.language", "size": 200}}}}},
    )
    buckets = (response.get("aggregations") or {}).get("sources", {}).get("buckets", [])
    return {bucket["key"]: {language["key"]: language["doc_count"] for language in bucket["languages"]["buckets"]}
            for bucket in buckets}
