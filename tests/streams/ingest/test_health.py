"""Feed health records and the `feeds status` table show what the system could not read."""

from __future__ import annotations

from streams.ingest.feedlist import FeedConfig
from streams.ingest.health import feed_health, format_table
from streams.ingest.store import FeedState

NOW = 1_700_000_000.0


def test_health_counts_articles_that_are_not_english_when_known():
    feed = FeedConfig(url="https://fr.example/rss", name="Afrique")
    quiet = FeedConfig(url="https://en.example/rss", name="World")
    states = {f.id: FeedState(f.id, f.url, status="ok", last_success_at=NOW - 60) for f in (feed, quiet)}
    records = feed_health([feed, quiet], states, {feed.id: 12, quiet.id: 4}, NOW, {"Afrique": 9})
    assert [r["feed"]["non_english_per_day"] for r in records] == [9, 0]
    header, *rows = format_table(records, NOW).splitlines()
    assert "NOT EN/DAY" in header and rows[0].split()[6] == "9"
    [unknown] = feed_health([feed], states, {}, NOW)
    assert unknown["feed"]["non_english_per_day"] is None
    assert format_table([unknown], NOW).splitlines()[1].split()[6] == "-"
