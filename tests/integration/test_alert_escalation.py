"""Alerts through the real worker: `new` for the first article, one `escalation` when a second article raises
the wounded toll past the watch's minimum, and nothing sent twice when a second group replays the stream.

A text query reads the whole article: "ambulances" occurs only in the seed article's body (in no evidence
sentence), and the follow-up article lacks it, yet the incident it updates still matches that watch."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest

from tests.integration.pipeline import stop_worker, wait_for

pytestmark = pytest.mark.integration

START_AND_PROCESS = 180
FOLLOW_UP = Path(__file__).resolve().parents[1] / "data" / "alerts" / "quetta-2016-wounded-followup.txt"
WATCHES = """
watches:
  - id: pakistan-major
    name: Pakistan, 10 killed or 150 injured
    region: {countries: [PK]}
    rule: {min_killed: 10, min_injured: 150}
    sinks: [log]
  - id: pakistan-ambulances
    name: Pakistan, ambulances in an article, 10 killed or 150 injured
    region: {countries: [PK]}
    rule: {min_killed: 10, min_injured: 150, text_query: ambulances}
    sinks: [log]
  - id: pakistan-hostages
    name: Pakistan, hostages in an article
    region: {countries: [PK]}
    rule: {text_query: hostages}
    sinks: [log]
"""


@pytest.fixture
def pipeline(pipeline):
    pipeline.use_watches(WATCHES)
    return pipeline


def sent(pipeline) -> list[tuple[str, str, str]]:
    return sorted((alert["watch_id"], alert["kind"], alert["threshold"]) for alert in pipeline.read_topic("alerts"))


def incident_versions(pipeline) -> Counter:
    """How many records of each incident version the incidents topic holds."""
    return Counter((incident["id"], incident["version"]) for incident in pipeline.read_topic("incidents"))


def test_new_then_one_escalation_across_two_articles_and_nothing_twice_on_replay(pipeline, worker, seed_path):
    pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")
    first = [("pakistan-ambulances", "new", "match"), ("pakistan-major", "new", "match")]
    wait_for(lambda: sent(pipeline) == first, START_AND_PROCESS, "the new alerts")

    pipeline.cli("ingest", str(FOLLOW_UP), "--published", "2016-10-26")
    expected = sorted(first + [(watch, "escalation", "injured>=150") for watch in ("pakistan-ambulances", "pakistan-major")])
    wait_for(lambda: sent(pipeline) == expected, START_AND_PROCESS, "one escalation as the wounded toll rises")
    escalation = next(a for a in pipeline.read_topic("alerts") if a["kind"] == "escalation" and a["watch_id"] == "pakistan-major")
    assert escalation["incident"]["version"] == 2 and sorted(escalation["incident"]["article_ids"]) == sorted(
        a["id"] for a in pipeline.read_topic("raw_articles"))
    wait_for(pipeline.drained, START_AND_PROCESS, "the stream consumed and committed")
    stop_worker(worker)
    versions = incident_versions(pipeline)

    # A second group over the same topics and indices: every stage again, from empty state, as after a reset.
    replay = dataclasses.replace(pipeline, group="-replay")
    second = replay.start_worker("worker-replay")
    try:
        wait_for(replay.drained, START_AND_PROCESS, "the replaying group to consume the whole stream")
    finally:
        stop_worker(second)
    # The replay merged the same updates again, no new version among them (a report it meets twice, once from
    # each group's extraction, sends its incident again as it is), and its alerting stage consumed them...
    replayed = incident_versions(pipeline)
    assert replayed.keys() == versions.keys() and all(replayed[v] >= 2 * versions[v] for v in versions)
    # ...and the alerts index refused every alert it decided, so nothing went out twice.
    assert sent(pipeline) == expected
    assert pipeline.count("alerts") == 4
