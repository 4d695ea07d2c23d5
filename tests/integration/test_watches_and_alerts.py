"""Watches and alerts against the real Elasticsearch and Kafka and the real worker: sync, matching by every kind
of region, a new alert then one escalation, a held alert released, no duplicate after a replaying group
(op_type=create), and the stream and `newswatch replay` agreeing on alerts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
import uuid
from pathlib import Path

import pytest
import yaml
from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from extractors.schema import Article, Count, Incident, Region, Rule, Watch
from streams.cli.main import main
from streams.elasticsearch.documents import article_document, incident_document
from streams.elasticsearch.templates import ensure_templates
from streams.watches.loading import load_watches
from tests.integration.pipeline import stop_worker, wait_for
from tests.streams.alert_factories import QUETTA, WHEN, quetta_incident
from tests.streams.alerting.sinks.receivers import WebhookReceiver

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

START_AND_PROCESS = 180
REPLAY_DATA = Path(__file__).resolve().parents[1] / "data" / "replay"
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


def watches_yaml(watches: list[Watch]) -> str:
    return yaml.safe_dump({"watches": [w.model_dump(mode="json", exclude_none=True) for w in watches]})


@pytest.fixture
def receiver():
    receiver = WebhookReceiver(SECRET)
    receiver.start()
    assert receiver.ready.wait(timeout=30)
    yield receiver
    receiver.stop()


def publish_incidents(pipeline, incidents: list[Incident]) -> None:
    """Incident updates on the incidents topic, as the merge agent sends them (keyed by incident id)."""
    producer = KafkaProducer(bootstrap_servers=pipeline.kafka_bootstrap, acks="all")
    try:
        for incident in incidents:
            producer.send(pipeline.topic("incidents"), key=incident.id.encode(),
                          value=json.dumps(incident.model_dump(mode="json")).encode())
        producer.flush(timeout=30)
    finally:
        producer.close()


def delivered(receiver) -> list[str]:
    return sorted(f"{body['watch_id']}:{body['kind']}:{body['threshold']}" for _, body in receiver.received)


def test_the_worker_alerts_every_kind_of_region_once_escalates_once_and_releases_held_alerts(pipeline, receiver):
    """Incident updates straight onto the incidents topic drive the worker's alerting, outbox and sinks (no
    extraction involved); a held escalation goes out when its throttle window ends, without the incident
    being published again; a replaying group, which decides every alert again, sends nothing twice."""
    throttled = watch("country-pk-throttled", countries=["PK"]).model_copy(update={"throttle_minutes": 1, "sinks": ["webhook"]})
    pipeline.use_watches(watches_yaml(MATCHING + NOT_MATCHING + [throttled]))
    pipeline.extra_env.update({"NEWSWATCH_ALERTING__SINKS__WEBHOOK__URL": receiver.url,
                               "NEWSWATCH_ALERTING__SINKS__WEBHOOK__SECRET": SECRET,
                               "NEWSWATCH_ALERTING__SINKS__KAFKA__BOOTSTRAP_SERVERS": pipeline.kafka_bootstrap,
                               "NEWSWATCH_ALERTING__SINKS__KAFKA__TOPIC": pipeline.topic("sink-alerts")})
    first = quetta_incident(killed=Count(value=59, qualifier="at_least"))
    second = quetta_incident(killed=Count(value=89), version=2, article_ids=["a1", "a2"],
                             last_updated=WHEN + dt.timedelta(hours=2))
    worker = pipeline.start_worker()
    try:
        wait_for(lambda: pipeline.ready("worker"), START_AND_PROCESS, "the worker to start")
        publish_incidents(pipeline, [first])
        news = sorted(f"{w.id}:new:match" for w in MATCHING + [throttled])
        wait_for(lambda: delivered(receiver) == news, START_AND_PROCESS, "a new alert for each matching watch")
        publish_incidents(pipeline, [second])
        escalations = sorted(f"{w.id}:escalation:killed:89" for w in MATCHING)
        wait_for(lambda: delivered(receiver) == sorted(news + escalations), START_AND_PROCESS, "one escalation each")
        held = f"{throttled.id}:escalation:killed:89"
        wait_for(lambda: held in delivered(receiver), START_AND_PROCESS, "the held escalation after its throttle window")
        [(new_at, _)] = [(at, body) for at, body in receiver.received if body["watch_id"] == throttled.id and body["kind"] == "new"]
        [(held_at, held_body)] = [(at, body) for at, body in receiver.received
                                  if body["watch_id"] == throttled.id and body["kind"] == "escalation"]
        assert held_at - new_at >= 55 and held_body["incident"]["version"] == 2
        publish_incidents(pipeline, [first, second])  # the same updates again, as after a reset of the merge stage
        wait_for(pipeline.drained, START_AND_PROCESS, "the stream consumed and committed")
    finally:
        stop_worker(worker)
    # Only the four updates this test published: the release did not send the incident again.
    assert [(i["id"], i["version"]) for i in pipeline.read_topic("incidents")] == [(first.id, 1), (first.id, 2)] * 2

    replay = dataclasses.replace(pipeline, group="-replay")  # every alert decided again, from empty state
    second_group = replay.start_worker("worker-replay")
    try:
        wait_for(replay.drained, START_AND_PROCESS, "the replaying group to consume the whole stream")
    finally:
        stop_worker(second_group)

    every = sorted(news + escalations + [held])
    assert delivered(receiver) == every and receiver.bad_signatures == 0
    escalation = next(body for _, body in receiver.received if body["kind"] == "escalation")
    assert escalation["summary"].endswith("(killed rose from 59 to 89)") and escalation["incident"]["version"] == 2
    stored = pipeline.search("alerts")
    assert len(stored) == len(every) and all(hit["alert"]["delivered_at"] for hit in stored)
    assert {hit["rule"]["id"] for hit in stored} == {w.id for w in MATCHING + [throttled]}
    assert sorted(alert["id"] for alert in pipeline.read_topic("alerts")) == sorted(hit["_id"] for hit in stored)
    assert sorted(alert["id"] for alert in pipeline.read_topic("sink-alerts")) == sorted(
        hit["_id"] for hit in stored if hit["rule"]["id"] != throttled.id)


def alert_rows(alerts: list[dict]) -> list[tuple]:
    return sorted((a["id"], a["watch_id"], a["incident_id"], a["kind"], a["threshold"], a["incident_version"], a["summary"])
                  for a in alerts)


def test_the_stream_and_the_replay_agree_on_alerts(pipeline):
    """tests/data/replay through the real worker (spaCy extraction) and through `newswatch replay`, with the
    golden test's watches less the throttle (the stream would hold an escalation for an hour)."""
    watches = [w.model_copy(update={"throttle_minutes": None}) for w in load_watches(REPLAY_DATA / "watches.yaml")]
    watches_file = pipeline.work_dir / "watches.yaml"
    watches_file.write_text(watches_yaml(watches))
    pipeline.use_watches(watches_file.read_text())
    articles = REPLAY_DATA / "articles.jsonl"
    pipeline.cli("ingest", str(articles))
    worker = pipeline.start_worker()
    try:
        wait_for(pipeline.drained, START_AND_PROCESS, "the stream consumed and committed")
    finally:
        stop_worker(worker)

    incidents_out, alerts_out = pipeline.work_dir / "incidents.jsonl", pipeline.work_dir / "alerts.jsonl"
    pipeline.cli("replay", str(articles), "--out", str(incidents_out), "--watches", str(watches_file),
                 "--alerts", str(alerts_out), timeout=600)
    replayed = [json.loads(line) for line in alerts_out.read_text().splitlines()]
    assert replayed, "the replay decided no alert: the comparison would prove nothing"
    assert alert_rows(pipeline.read_topic("alerts")) == alert_rows(replayed)
    streamed_incidents = {doc["incident"]["id"]: doc["incident"]["version"] for doc in pipeline.search("incidents")}
    replayed_incidents = {i["id"]: i["version"] for i in map(json.loads, incidents_out.read_text().splitlines())}
    assert streamed_incidents == replayed_incidents


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
