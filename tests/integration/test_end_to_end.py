"""The seed article through the whole system: Kafka -> worker -> Elasticsearch and the alerts topic, exactly once."""

from __future__ import annotations

import pytest

from tests.integration.pipeline import wait_for

pytestmark = pytest.mark.integration

START_AND_PROCESS = 180
WATCHES = """
watches:
  - id: pakistan
    name: Pakistan, every attack
    region: {countries: [PK]}
    sinks: [log]
  - id: france
    name: France, every attack
    region: {countries: [FR]}
    sinks: [log]
"""


@pytest.fixture
def pipeline(pipeline):
    pipeline.use_watches(WATCHES)
    return pipeline


def test_seed_article_is_indexed_and_alerted_once(pipeline, worker, seed_path):
    pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")

    articles = wait_for(lambda: pipeline.search("articles"), START_AND_PROCESS, "the seed article in Elasticsearch")
    assert len(articles) == 1
    assert articles[0]["article"]["is_attack_report"] is True

    incidents = wait_for(
        lambda: pipeline.search("incidents", {"term": {"geo.country_iso_code": "PK"}}),
        START_AND_PROCESS, "an incident located in Pakistan",
    )
    main = [i for i in incidents if not i["incident"]["historical"]]
    assert len(main) == 1
    assert main[0]["geo"]["city_name"] == "Quetta"

    alerts = wait_for(lambda: pipeline.read_topic("alerts"), START_AND_PROCESS, "an alert on the alerts topic")
    pakistan_alerts = [a for a in alerts if a["watch_id"] == "pakistan"]
    assert len(pakistan_alerts) == 1
    assert not [a for a in alerts if a["watch_id"] == "france"]
    assert pakistan_alerts[0]["kind"] == "new"
    assert pakistan_alerts[0]["incident"]["location"]["country"] == "PK"

    pipeline.cli("ingest", str(seed_path), "--published", "2016-10-25")
    wait_for(lambda: len(pipeline.read_topic("raw_articles")) == 2, 30, "the second copy on the raw topic")
    wait_for(pipeline.drained, START_AND_PROCESS, "the worker to process the second copy")

    incidents_after = pipeline.search("incidents", {"term": {"geo.country_iso_code": "PK"}})
    assert [i["_id"] for i in incidents_after if not i["incident"]["historical"]] == [main[0]["_id"]]
    assert len([a for a in pipeline.read_topic("alerts") if a["watch_id"] == "pakistan"]) == 1
    assert len(pipeline.search("articles")) == 1
