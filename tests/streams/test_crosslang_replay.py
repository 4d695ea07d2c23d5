"""One attack reported in French and in English is one incident, with no servers: `newswatch replay` with the real
extractor over tests/data/crosslang (the same material the integration test sends through Kafka)."""

from __future__ import annotations

import json

from extractors.schema import Alert, Incident
from streams.cli.main import main
from tests import crosslang


def test_each_attack_is_one_incident_in_either_language_and_alerts_quote_the_french(tmp_path):
    watches = tmp_path / "watches.yaml"
    watches.write_text(crosslang.WATCHES)
    incidents_out, alerts_out = tmp_path / "incidents.jsonl", tmp_path / "alerts.jsonl"
    articles = crosslang.write_articles(tmp_path / "articles.jsonl")
    assert main(["replay", str(articles), "--out", str(incidents_out), "--watches", str(watches),
                 "--alerts", str(alerts_out)]) == 0

    records = [json.loads(line) for line in incidents_out.read_text().splitlines()]
    crosslang.check_merging(records)
    incidents = [Incident.model_validate(record) for record in records]
    bilingual = [i for i in incidents if len(i.article_ids) > 1]
    assert len(bilingual) >= 2 and all({t.language for t in i.titles} == {"fr", "en"} for i in bilingual)
    assert all({e.language for e in i.evidence} == {"fr", "en"} for i in bilingual)
    assert all(i.target.language in {t.language for t in i.titles} for i in incidents if i.target.text)

    alerts = [Alert.model_validate_json(line) for line in alerts_out.read_text().splitlines()]
    with_french = [a for a in alerts if any(t.language == "fr" for t in a.incident.titles)]
    assert {a.incident_id for a in with_french} == {i.id for i in incidents if any(t.language == "fr" for t in i.titles)
                                                    and i.location.country in crosslang.WATCHED_COUNTRIES}
    for alert in with_french:
        crosslang.check_french_alert(alert)
