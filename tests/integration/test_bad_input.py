"""Bad input costs only itself: every good article around it is indexed once, every bad record is a dead
letter that names its reason, whether it arrives through `newswatch ingest` or straight on the raw topic."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import time

import pytest
from elasticsearch import AsyncElasticsearch

from streams.elasticsearch.indexer import Indexer, index_action
from streams.elasticsearch.templates import ensure_templates
from streams.ingest.health import languages_per_day
from tests.integration.corpus import devset_articles, write_jsonl
from tests.integration.pipeline import stop_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

PROCESS_ALL = 420
GOOD = {"title": "Bomb kills 4 in Kano", "published": "2021-03-02", "url": None,
        "text": "KANO, Nigeria — A bomb exploded at a bus station in Kano on Monday, killing at least four people."}


def test_a_document_elasticsearch_refuses_costs_only_itself(pipeline):
    """An `_id` over 512 bytes makes Elasticsearch refuse the whole bulk request (HTTP 400)."""
    ensure_templates(pipeline.es(), pipeline.index_prefix)
    index = f"{pipeline.index_prefix}-articles"
    ids = [f"article-{n}" for n in range(80)]
    ids[40] = "x" * 600
    actions = [index_action(index, doc_id, {"article": {"id": doc_id[:40]}}) for doc_id in ids]

    async def send():
        client = AsyncElasticsearch(pipeline.elasticsearch_url)
        try:
            return await Indexer(client).bulk(actions)
        finally:
            await client.close()

    outcome = asyncio.run(send())
    assert outcome.indexed == 79 and pipeline.count("articles") == 79
    [failure] = outcome.failures
    assert failure["_id"] == "x" * 600 and failure["status"] == 400
    assert "is too long, must be no longer than 512 bytes" in json.dumps(failure["error"])


async def count_languages(pipeline) -> dict[str, dict[str, int]]:
    client = AsyncElasticsearch(pipeline.elasticsearch_url)
    try:
        return await languages_per_day(client, f"{pipeline.index_prefix}-articles", time.time())
    finally:
        await client.close()


def bad_raw_records() -> dict[str, tuple[bytes, str]]:
    """name -> (the record as produced to the raw topic, what its dead letter's error must say)."""
    def article(**fields) -> bytes:
        return json.dumps({**GOOD, **fields}).encode()

    return {
        "over-long id": (article(id="x" * 600), "id is 600 bytes long; at most 512"),
        "5 MB text": (article(id="five-mb", text="word " * 1_000_000), "at most 100,000"),
        "300 KB binary": (random.Random(12).randbytes(300 * 1024), "Invalid JSON"),
        "year-1 published": (article(id="year-1-published", published="0001-01-01T00:00:00"), "is outside 1900-2099"),
        "year-1 fetched_at": (article(id="year-1-fetched", fetched_at="0001-01-01T00:00:00Z"), "is outside 1900-2099"),
        "empty text": (article(id="empty", text=""), "text is empty or only whitespace"),
        "whitespace text": (article(id="blank", text=" \n\t \n"), "text is empty or only whitespace"),
        "wrong schema": (json.dumps({"id": 3, "tags": "x"}).encode(), "validation errors for Article"),
        # Valid, but 1.2 MB as the worker's JSON (each emoji is escaped to 12 bytes): over Kafka's message limit.
        "too large for a message": (article(id="emoji", text="\U0001F4A3" * 99_000), "MessageSizeTooLargeError"),
    }


def test_good_articles_flow_and_every_bad_record_is_a_dead_letter(pipeline, tmp_path):
    from kafka import KafkaProducer

    turkish = {"id": "good-turkish", "title": "Pazar yerinde silahlı saldırı", "published": "2021-03-02", "url": None,
               "source": "Anadolu Haber", "text": "ANKARA — Silahlı kişiler salı günü kentin merkezindeki bir pazar yerine "
               "saldırdı, polise göre iki kişi hayatını kaybetti."}
    good = [{**article, "id": f"good-{n}"} for n, article in enumerate(devset_articles()[:39])] + [turkish]
    via_cli, via_topic = good[:20], good[20:]
    poison_lines = [
        {**GOOD, "id": "cli-text-not-a-string", "text": 5},
        {**GOOD, "id": "y" * 600},
        {**GOOD, "id": "cli-year-1", "published": "0001-01-01"},
        {**GOOD, "id": "cli-huge", "text": "word " * 1_000_000},
        {**GOOD, "id": "cli-blank", "text": "   "},
    ]
    lines = via_cli[:10] + poison_lines + via_cli[10:]
    ingested = pipeline.cli("ingest", str(write_jsonl(lines, tmp_path / "mixed.jsonl")))
    assert "produced 20 article(s)" in ingested.stdout and "5 skipped" in ingested.stdout
    skipped = [line for line in ingested.stderr.splitlines() if line.startswith("skipped")]
    assert [line.split(":")[1] for line in skipped] == ["11", "12", "13", "14", "15"]
    assert "text: expected a string, got int" in skipped[0] and "outside 1900-2099" in skipped[2]

    bad = bad_raw_records()
    producer = KafkaProducer(bootstrap_servers=pipeline.kafka_bootstrap, compression_type="gzip",
                             max_request_size=16 * 1024 * 1024)
    records = [json.dumps(article).encode() for article in via_topic]
    for position, (name, (value, _)) in enumerate(bad.items()):
        records.insert(2 * position + 1, value)  # each bad record between good ones
    for value in records:
        producer.send(pipeline.topic("raw_articles"), key=hashlib.sha256(value).hexdigest().encode(), value=value)
    producer.flush()
    producer.close()

    worker = pipeline.start_worker()
    try:
        wait_for(lambda: pipeline.count("articles") >= len(good), PROCESS_ALL, f"{len(good)} good articles indexed")
        wait_for(lambda: len(pipeline.read_topic("dead_letters")) >= len(bad), PROCESS_ALL, f"{len(bad)} dead letters")
        wait_for(pipeline.drained, PROCESS_ALL, "every topic consumed and committed")
    finally:
        stop_worker(worker)

    documents = pipeline.search("articles", size=1000)
    indexed = [doc["article"]["id"] for doc in documents]
    assert sorted(indexed) == sorted(article["id"] for article in good), "every good article indexed exactly once"
    articles = {doc["article"]["id"]: doc["article"] for doc in documents}
    unread = articles.pop("good-turkish")
    assert (unread["language"], unread["read"], unread["is_attack_report"]) == ("tr", False, None)
    assert {(a["language"], a["read"]) for a in articles.values()} == {("en", True)}
    counts = asyncio.run(count_languages(pipeline))
    assert counts.pop("Anadolu Haber") == {"tr": 1}, "feed health's count, from these documents"
    assert counts and all(set(c) == {"en"} for c in counts.values()), "every other feed's articles are English"
    letters = {letter["payload_sha256"]: letter for letter in pipeline.read_topic("dead_letters")}
    assert len(letters) == len(bad), "one dead letter per bad record, nothing else"
    for name, (value, reason) in bad.items():
        letter = letters.get(hashlib.sha256(value).hexdigest())
        assert letter is not None, f"no dead letter for the {name} record"
        assert letter["stage"] == "dedup" and reason in letter["error"], f"{name}: {letter['error'][:300]}"
        assert letter["payload_bytes"] == len(value) and letter["truncated"] == (len(value) > 64 * 1024)
        assert letter["topic"] == pipeline.topic("raw_articles") and letter["offset"] is not None


def test_an_index_made_by_an_older_version_gains_the_new_fields(pipeline):
    """Mappings are strict: without the new fields every new article document would be refused."""
    client = pipeline.es()
    index = f"{pipeline.index_prefix}-articles"
    client.indices.create(index=index, mappings={"dynamic": "strict", "properties": {"article": {"properties": {
        "id": {"type": "keyword"}, "language": {"type": "keyword"}}}}})
    ensure_templates(client, pipeline.index_prefix)
    client.index(index=index, id="a1", document={"article": {"id": "a1", "language": "fr", "declared_language": "fr", "read": False}},
                 refresh=True)
    assert pipeline.count("articles") == 1
