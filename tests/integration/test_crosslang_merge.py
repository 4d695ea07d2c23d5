"""One attack reported in French and in English is one incident in the incidents index, through the real worker
(Kafka, the extractor child with both language pipelines, Elasticsearch); another attack the same day elsewhere
in the same country stays apart; alerts on them are in English and quote the French."""

from __future__ import annotations

import pytest

from extractors.schema import Alert
from tests import crosslang
from tests.integration.pipeline import wait_for

pytestmark = pytest.mark.integration

START_AND_PROCESS = 240


@pytest.fixture
def pipeline(pipeline):
    pipeline.use_watches(crosslang.WATCHES)
    return pipeline


def test_an_attack_reported_in_french_and_english_is_one_incident(pipeline, worker, tmp_path):
    pipeline.cli("ingest", str(crosslang.write_articles(tmp_path / "crosslang.jsonl")))
    articles = sum(len(group) for group in crosslang.groups().values())
    wait_for(lambda: pipeline.count("articles") == articles, START_AND_PROCESS, f"{articles} articles indexed")
    wait_for(pipeline.drained, START_AND_PROCESS, "the worker to merge and alert on every report")

    incidents = [document["incident"]["record"] for document in pipeline.search("incidents")]
    crosslang.check_merging(incidents)
    languages = {document["article"]["id"]: document["article"]["language"] for document in pipeline.search("articles")}
    assert set(languages.values()) == {"en", "fr"}

    alerts = [Alert.model_validate(record) for record in pipeline.read_topic("alerts")]
    assert {alert.incident_id for alert in alerts} == {incident["id"] for incident in incidents
                                                       if incident["location"]["country"] in crosslang.WATCHED_COUNTRIES}
    with_french = [alert for alert in alerts if any(languages[a] == "fr" for a in alert.incident.article_ids)]
    assert with_french
    for alert in with_french:
        crosslang.check_french_alert(alert)
