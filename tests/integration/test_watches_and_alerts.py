"""Watches and alerts against the real Elasticsearch and Kafka: sync, matching by every kind of region,
a new alert then one escalation, and no duplicate after replaying the stream (op_type=create)."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch, Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer

from extractors.schema import Article, Count, Incident, Region, Rule, Watch
from streams.alerting.decision import AlertState, on_update
from streams.cli import main
from streams.documents import alert_document, article_document, incident_document
from streams.indexer import Indexer, create_action, ensure_templates
from streams.settings import AlertingSettings
from streams.sinks import build_dispatcher
from streams.sinks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from streams.watches import WatchIndex, load_watches
from tests.streams.alert_factories import QUETTA, WHEN, quetta_incident
from tests.streams.sinks.receivers import DeadLetters, http_receiver

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "watches.example.yaml"
SECRET = "integration secret"
AROUND_QUETTA = {"type": "Polygon", "coordinates": [[[66.5, 29.8], [67.5, 29.8], [67.5, 30.6], [66.5, 30.6], [66.5, 29.8]]]}
AROUND_KABUL = {"type": "Polygon", "coordinates": [[[68.8, 34.2], [69.5, 34.2], [69.5, 34.8], [68.8, 34.8], [68.8, 34.2]]]}


def watch(watch_id: str, **region) -> Watch:
    return Watch(id=watch_id, name=watch_id, region=Region(**region), rule=Rule(min_killed=1), sinks=["webhook", "kafka"])


MATCHING = [
    watch("country-pk", countries=["PK"]),
    watch("admin1-balochistan", admin1=["PK/Balochistan"]),
    watch("polygon-quetta", geojson=AROUND_QUETTA),
    watch("radius-quetta", point=QUETTA, radius_km=100),
    watch("bbox-quetta", bbox=(66.0, 29.0, 68.0, 31.0)),
]
NOT_MATCHING = [
    watch("country-af", countries=["AF"]),
    watch("admin1-punjab", admin1=["PK/Punjab"]),
    watch("polygon-kabul", geojson=AROUND_KABUL),
    watch("radius-karachi", point=(24.8607, 67.0011), radius_km=100),
    watch("bbox-lahore", bbox=(74.0, 31.3, 74.6, 31.8)),
]


@pytest.fixture
def prefix(services):
    """A unique index prefix and topic namespace; the indices, templates and topics are removed afterwards."""
    name = f"nwtest-{uuid.uuid4().hex[:10]}"
    yield name
    client = Elasticsearch(services.elasticsearch_url).options(ignore_status=404)
    for kind in ("watches", "incidents", "alerts", "articles", "feeds"):
        client.indices.delete(index=f"{name}-{kind}", ignore_unavailable=True)
        client.indices.delete_index_template(name=f"{name}-{kind}")
    for component in ("base", "incident"):
        client.cluster.delete_component_template(name=f"{name}-{component}")
    admin = KafkaAdminClient(bootstrap_servers=services.kafka_bootstrap)
    try:
        ours = [topic for topic in admin.list_topics() if topic.startswith(name)]
        if ours:
            admin.delete_topics(ours)
    finally:
        admin.close()


def latest_by_key(bootstrap: str, topic: str, expected: int) -> dict[str, bytes | None]:
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", consumer_timeout_ms=1000)
    latest: dict[str, bytes | None] = {}
    deadline = time.monotonic() + 30
    seen = 0
    try:
        while seen < expected and time.monotonic() < deadline:
            for message in consumer:
                latest[message.key.decode()] = message.value
                seen += 1
    finally:
        consumer.close()
    assert seen >= expected, f"read {seen} of {expected} records from {topic}"
    return latest


def test_sync_list_and_test_watches(services, prefix, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH__URL", services.elasticsearch_url)
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH__INDEX_PREFIX", prefix)
    monkeypatch.setenv("NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS", services.kafka_bootstrap)
    monkeypatch.setenv("NEWSWATCH_TOPICS__WATCHES", f"{prefix}.watches")
    example_ids = sorted(w.id for w in load_watches(EXAMPLE))
    client = Elasticsearch(services.elasticsearch_url)

    assert main(["watches", "sync", str(EXAMPLE)]) == 0
    assert main(["watches", "sync", str(EXAMPLE)]) == 0
    hits = client.search(index=f"{prefix}-watches", size=100)["hits"]["hits"]
    assert sorted(hit["_id"] for hit in hits) == example_ids
    radius = next(hit["_source"] for hit in hits if hit["_id"] == "quetta-100km")
    assert radius["rule"] == {"id": "quetta-100km", "name": "Within 100 km of Quetta, with casualties"}
    assert radius["geo"]["location"] == {"lat": 30.1798, "lon": 66.975}

    capsys.readouterr()
    assert main(["watches", "list"]) == 0
    listed = capsys.readouterr().out
    assert all(watch_id in listed for watch_id in example_ids)

    smaller = tmp_path / "watches.yaml"
    smaller.write_text("watches:\n  - {id: pakistan-all, name: Pakistan, region: {countries: [PK]}}\n")
    assert main(["watches", "sync", str(smaller)]) == 0
    assert [hit["_id"] for hit in client.search(index=f"{prefix}-watches")["hits"]["hits"]] == ["pakistan-all"]
    # two full syncs, then one watch and a tombstone for each of the others
    latest = latest_by_key(services.kafka_bootstrap, f"{prefix}.watches", expected=3 * len(example_ids))
    assert json.loads(latest["pakistan-all"])["name"] == "Pakistan"
    assert all(latest[watch_id] is None for watch_id in example_ids if watch_id != "pakistan-all")

    incident = quetta_incident()
    client.index(index=f"{prefix}-incidents", id=incident.id, document=incident_document(incident, "summary", WHEN), refresh=True)
    capsys.readouterr()
    assert main(["watches", "test", "quetta-100km", "--incident", incident.id, "--file", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out.startswith("watch 'quetta-100km' MATCHES incident 'quetta-2016'")
    assert main(["watches", "test", "quetta-100km", "--incident", "no-such-incident", "--file", str(EXAMPLE)]) == 2

    # A text query reads the incident's articles in Elasticsearch, as the stream read them at extraction.
    queried = tmp_path / "queried.yaml"
    queried.write_text("watches:\n"
                       "  - {id: ambulances, name: A, region: {countries: [PK]}, rule: {text_query: ambulances}}\n"
                       "  - {id: hostages, name: H, region: {countries: [PK]}, rule: {text_query: hostages}}\n")
    [member] = incident.article_ids
    article = Article(id=member, title="Quetta college attack", text="Ambulances streamed out of the camp's main gate.")
    client.index(index=f"{prefix}-articles", id=member, document=article_document(article, None, None, WHEN), refresh=True)
    capsys.readouterr()
    assert main(["watches", "test", "ambulances", "--incident", incident.id, "--file", str(queried)]) == 0
    assert capsys.readouterr().out.startswith("watch 'ambulances' MATCHES")
    assert main(["watches", "test", "hostages", "--incident", incident.id, "--file", str(queried)]) == 0
    assert "  no   rule: text query: missing 'hostages'" in capsys.readouterr().out


async def process(incident: Incident, index: WatchIndex, states: dict[str, AlertState], indexer: Indexer,
                  alerts_index: str, dispatcher, now: dt.datetime) -> list[str]:
    """One incident update through the worker's decision, the create-once alerts index and delivery."""
    changed, released = on_update(incident, index.matching(incident), states, now)
    states.update(changed)
    outcome = await indexer.bulk([create_action(alerts_index, alert.id, alert_document(alert, now)) for _, alert in released])
    assert not outcome.failures, outcome.failures
    delivered = []
    for matched, alert in released:
        if alert.id not in outcome.conflicts:
            await dispatcher.deliver(matched, alert)
            delivered.append(f"{matched.id}:{alert.kind}:{alert.threshold}")
    return delivered


async def test_new_then_one_escalation_and_no_duplicates_after_replays(services, prefix):
    ensure_templates(Elasticsearch(services.elasticsearch_url), prefix)
    alerts_index = f"{prefix}-alerts"
    index = WatchIndex.build(MATCHING + NOT_MATCHING)
    first = quetta_incident(killed=Count(value=59, qualifier="at_least"))
    second = quetta_incident(killed=Count(value=89), version=2, article_ids=["a1", "a2"],
                             last_updated=WHEN + dt.timedelta(hours=2))
    stream = [first, second]
    dead_letters = DeadLetters()
    client = AsyncElasticsearch(services.elasticsearch_url)
    indexer = Indexer(client)
    async with http_receiver() as receiver:
        alerting = AlertingSettings(sinks={
            "webhook": {"url": receiver.url, "secret": SECRET, "backoff_seconds": 0.05},
            "kafka": {"bootstrap_servers": services.kafka_bootstrap, "topic": f"{prefix}.alerts"},
        })
        dispatcher = build_dispatcher(alerting, dead_letters)
        dispatcher.check(MATCHING + NOT_MATCHING)
        await dispatcher.start()
        try:
            states: dict[str, AlertState] = {}
            now = WHEN + dt.timedelta(minutes=5)
            delivered = [await process(incident, index, states, indexer, alerts_index, dispatcher, now) for incident in stream]
            replayed = [await process(incident, index, states, indexer, alerts_index, dispatcher, now) for incident in stream]
            lost_state: dict[str, AlertState] = {}
            restarted = [await process(incident, index, lost_state, indexer, alerts_index, dispatcher, now)
                         for incident in stream]
        finally:
            await dispatcher.close()
            await client.close()

    assert sorted(delivered[0]) == sorted(f"{w.id}:new:match" for w in MATCHING)
    assert sorted(delivered[1]) == sorted(f"{w.id}:escalation:killed:89" for w in MATCHING)
    assert replayed == [[], []] and restarted == [[], []]
    assert len(receiver.requests) == 2 * len(MATCHING) and dead_letters == []
    for request in receiver.requests:
        assert verify(SECRET, request.headers[TIMESTAMP_HEADER], request.headers[SIGNATURE_HEADER], request.body, now=time.time())
    bodies = [json.loads(request.body) for request in receiver.requests]
    escalation = next(body for body in bodies if body["kind"] == "escalation")
    assert escalation["summary"].endswith("(killed rose from 59 to 89)") and escalation["incident"]["version"] == 2

    sync_client = Elasticsearch(services.elasticsearch_url)
    sync_client.indices.refresh(index=alerts_index)
    stored = sync_client.search(index=alerts_index, size=50)["hits"]["hits"]
    assert len(stored) == 2 * len(MATCHING)
    assert {hit["_source"]["rule"]["id"] for hit in stored} == {w.id for w in MATCHING}
    assert sorted(hit["_source"]["alert"]["kind"] for hit in stored) == ["escalation"] * 5 + ["new"] * 5

    on_topic = latest_by_key(services.kafka_bootstrap, f"{prefix}.alerts", expected=2 * len(MATCHING))
    assert set(on_topic) == {hit["_id"] for hit in stored}


def test_search_lists_recent_incidents_by_place_type_and_group(services, prefix, monkeypatch, capsys):
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH__URL", services.elasticsearch_url)
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH__INDEX_PREFIX", prefix)
    client = Elasticsearch(services.elasticsearch_url)
    ensure_templates(client, prefix)
    kabul = quetta_incident(id="kabul-2016", attack_types=["bombing"], perpetrators=[],
                            location=quetta_incident().location.model_copy(update={"city": "Kabul", "admin1": "Kabul", "country": "AF"}))
    for incident in (quetta_incident(), kabul):
        client.index(index=f"{prefix}-incidents", id=incident.id, document=incident_document(incident, "summary", WHEN))
    client.indices.refresh(index=f"{prefix}-incidents")

    def search(*options: str) -> str:
        capsys.readouterr()
        assert main(["search", "--since", "2016-01-01", *options]) == 0
        return capsys.readouterr().out

    both = search()
    assert both.splitlines()[0].split() == ["UPDATED", "DATE", "PLACE", "TYPES", "KILLED", "INJURED", "GROUPS", "ID"]
    assert "quetta-2016" in both and "kabul-2016" in both
    assert "kabul-2016" not in search("--country", "pk", "--admin1", "BALOCHISTAN")
    assert "quetta-2016" not in search("--type", "bombing", "--country", "AF")
    only_claimed = search("--group", "islamic state")
    assert "quetta-2016" in only_claimed and "kabul-2016" not in only_claimed
    assert search("--since", "1h").strip() == "no incidents match"
