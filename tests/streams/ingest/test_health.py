"""Feed health records and the `feeds status` table show what the system could not read."""

from __future__ import annotations

from streams.ingest.feedlist import FeedConfig
from streams.ingest.health import feed_health, health_table
from streams.ingest.store import FeedState

NOW = 1_700_000_000.0


def test_health_counts_articles_per_language_and_those_not_read_when_known():
    feed = FeedConfig(url="https://fr.example/rss", name="Afrique")
    quiet = FeedConfig(url="https://en.example/rss", name="World")
    states = {f.id: FeedState(f.id, f.url, status="ok", last_success_at=NOW - 60) for f in (feed, quiet)}
    records = feed_health([feed, quiet], states, {feed.id: 12, quiet.id: 4}, NOW, {"Afrique": {"fr": 9, "en": 2, "ar": 1, "tr": 3}})
    afrique, world = (r["feed"] for r in records)
    assert sorted((e["language"], e["count"]) for e in afrique["languages_per_day"]) == [("ar", 1), ("en", 2), ("fr", 9), ("tr", 3)]
    assert (afrique["unread_per_day"], world["unread_per_day"], world["languages_per_day"]) == (4, 0, [])
    header, *rows = health_table(records, NOW).splitlines()
    assert "UNREAD/DAY" in header and "LANGUAGES/DAY" in header
    assert rows[0].split()[6] == "4" and "fr 9, tr 3, en 2, ar 1" in rows[0]
    [unknown] = feed_health([feed], states, {}, NOW)
    assert (unknown["feed"]["languages_per_day"], unknown["feed"]["unread_per_day"]) == (None, None)
    assert health_table([unknown], NOW).splitlines()[1].split()[6:8] == ["-", "-"]


def test_a_multi_line_error_stays_on_its_feed_row():
    feed = FeedConfig(url="https://broken.example/rss", name="Broken")
    state = FeedState(feed.id, feed.url, status="failing", last_error="HTTP 500 from the server\nTraceback: ...")
    header, *rows = health_table(feed_health([feed], {feed.id: state}, {}, NOW), NOW).splitlines()
    assert len(rows) == 1 and rows[0].endswith("HTTP 500 from the server Traceback: ...")
