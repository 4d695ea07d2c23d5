"""Feed health records and the `feeds status` table show what the system could not read."""

from __future__ import annotations

from streams.ingest.feedlist import FeedConfig
from streams.ingest.health import feed_health, format_table
from streams.ingest.store import FeedState

NOW = 1_700_000_000.0


def test_health_counts_articles_that_are_not_english():
    feed = FeedConfig(url="https://fr.example/rss", name="Example Afrique")
    state = FeedState(feed.id, feed.url, status="ok", last_success_at=NOW - 60, items_total=12, non_english_total=9)
    [record] = feed_health([feed], {feed.id: state}, {feed.id: 4}, NOW)
    assert record["feed"]["non_english_total"] == 9 and record["feed"]["items_total"] == 12
    header, row = format_table([record], NOW).splitlines()
    assert "NOT ENGLISH" in header and "9 of 12" in row
