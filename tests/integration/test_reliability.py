"""The pipeline survives crashes and scales out without changing its output, and parks what it cannot process.

Each test compares what the stream put in Elasticsearch with what `newswatch replay` computes in-process
over the same articles: the same incidents (ids and member articles) mean nothing was lost or duplicated.
"""

from __future__ import annotations

import json

import pytest

from extractors import extract_batch
from extractors.schema import Article
from tests.integration.corpus import FURNITURE_BOTTOM, FURNITURE_TOP, article_stream, devset_articles, write_jsonl
from tests.integration.pipeline import stop_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

PROCESS_ALL = 420


def replayed_incidents(pipeline, articles_path) -> dict[str, list[str]]:
    out = pipeline.work_dir / "replayed.jsonl"
    pipeline.cli("replay", str(articles_path), "--out", str(out), timeout=600)
    incidents = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    return {incident["id"]: sorted(incident["article_ids"]) for incident in incidents}


def streamed_incidents(pipeline) -> dict[str, list[str]]:
    documents = pipeline.search("incidents", size=10_000)
    return {doc["incident"]["id"]: sorted(doc["incident"]["article_ids"]) for doc in documents}


def process_everything(pipeline, expected_articles: int) -> None:
    wait_for(lambda: pipeline.count("articles") >= expected_articles, PROCESS_ALL,
             f"{expected_articles} articles indexed")
    wait_for(pipeline.drained, PROCESS_ALL, "every topic consumed and committed")


@pytest.fixture
def stream_file(pipeline):
    articles = article_stream()
    return write_jsonl(articles, pipeline.work_dir / "stream.jsonl"), len(articles)


@pytest.mark.parametrize("crash_at", [0.25, 0.6])
def test_kill_9_mid_stream_loses_and_duplicates_nothing(pipeline, stream_file, crash_at):
    path, count = stream_file
    pipeline.cli("ingest", str(path))
    first = pipeline.start_worker("worker-1")
    try:
        wait_for(lambda: pipeline.count("articles") >= int(count * crash_at), PROCESS_ALL,
                 f"{crash_at:.0%} of the stream processed before the crash")
    finally:
        stop_worker(first, kill=True)
    second = pipeline.start_worker("worker-2")
    try:
        process_everything(pipeline, count)
    finally:
        stop_worker(second)
    assert pipeline.count("articles") == count
    assert streamed_incidents(pipeline) == replayed_incidents(pipeline, path)


def test_two_workers_produce_what_one_replay_produces(pipeline, stream_file):
    path, count = stream_file
    workers = [pipeline.start_worker(f"worker-{n}") for n in (1, 2)]
    try:
        # Both in the group, their tables recovered, before the stream starts: this test is about splitting
        # the partitions; the next one is about a worker joining while the stream flows. (Records reaching
        # the very start of a new partition while its worker recovers are the Faust limit in
        # docs/architecture.md, "Scaling limits".)
        wait_for(lambda: pipeline.stable_members() == 2 and pipeline.ready("worker-1", "worker-2"), PROCESS_ALL,
                 "both workers in the group, their tables recovered")
        pipeline.cli("ingest", str(path))
        process_everything(pipeline, count)
    finally:
        for process in workers:
            stop_worker(process)
    assert streamed_incidents(pipeline) == replayed_incidents(pipeline, path)


def test_a_worker_joining_mid_stream_loses_and_duplicates_nothing(pipeline):
    # Mostly syndicated copies, so the stream is long enough to still be flowing when the second worker,
    # which takes about 10 s to start, joins the group and the partitions move.
    articles = article_stream(copies=3000)
    path, count = write_jsonl(articles, pipeline.work_dir / "stream.jsonl"), len(articles)
    pipeline.cli("ingest", str(path))
    workers = [pipeline.start_worker("worker-1")]
    try:
        wait_for(lambda: pipeline.count("articles") > 0, PROCESS_ALL, "the first worker under way")
        workers.append(pipeline.start_worker("worker-2"))
        wait_for(lambda: pipeline.stable_members() == 2, PROCESS_ALL, "the second worker in the group")
        assert pipeline.count("articles") < count, "the stream was over before the second worker joined"
        process_everything(pipeline, count)
    finally:
        for process in workers:
            stop_worker(process)
    assert pipeline.count("articles") == count
    assert streamed_incidents(pipeline) == replayed_incidents(pipeline, path)


def test_an_identical_copy_after_a_restart_reuses_its_canonical_extraction(pipeline, tmp_path):
    canonical = next(article for article in devset_articles() if article["id"] == "dev-t015")
    lead, rest = canonical["text"].split("\n\n", 1)
    copy = {**canonical, "id": "dev-t015-copy", "url": "https://outlet.test/dev-t015",
            "text": "\n".join([FURNITURE_TOP[0], lead, "", FURNITURE_TOP[2], "", rest, FURNITURE_BOTTOM[0]])}
    # Read on its own, the copy gives the same facts with evidence offsets into its own text; a replay
    # reuses the canonical's extraction, offsets and all, and so must a worker that restarted in between.
    own_canonical, own_copy = extract_batch([Article(**canonical), Article(**copy)])
    assert own_copy.incidents != own_canonical.incidents
    assert [i.model_dump(exclude={"evidence"}) for i in own_copy.incidents] == [
        i.model_dump(exclude={"evidence"}) for i in own_canonical.incidents]

    for article in (canonical, copy):  # a worker per article: the copy arrives after a restart
        pipeline.cli("ingest", str(write_jsonl([article], tmp_path / f"{article['id']}.jsonl")))
        worker = pipeline.start_worker(f"worker-{article['id']}")
        try:
            wait_for(lambda: pipeline.count("articles") == (2 if article is copy else 1), PROCESS_ALL, "the article indexed")
            wait_for(pipeline.drained, PROCESS_ALL, "every topic consumed and committed")
        finally:
            stop_worker(worker)
    extracted = {record["article"]["id"]: record for record in pipeline.read_topic("extractions")}
    assert extracted[copy["id"]]["duplicate_of"] == canonical["id"]
    assert extracted[copy["id"]]["extraction"]["incidents"] == extracted[canonical["id"]]["extraction"]["incidents"]


def test_poison_messages_go_to_the_dead_letter_topic(pipeline, tmp_path):
    from kafka import KafkaProducer

    pipeline.extra_env["NEWSWATCH_WORKER__EXTRACTOR"] = "tests.integration.failing_extractor:extract_batch"
    good = {"id": "good-1", "title": "Bomb kills 4 in Kano", "published": "2021-03-02", "url": None,
            "text": "KANO, Nigeria — A bomb exploded at a bus station in Kano on Monday, killing at least four people."}
    breaking = {**good, "id": "breaks-extractor", "text": "EXTRACTOR-FAILS " + good["text"]}
    producer = KafkaProducer(bootstrap_servers=pipeline.kafka_bootstrap)
    pipeline.cli("ingest", str(write_jsonl([good], tmp_path / "good.jsonl")))
    for key, value in ((b"bad-json", b"{not json"), (b"bad-schema", json.dumps({"id": 3, "tags": "x"}).encode())):
        producer.send(pipeline.topic("raw_articles"), key=key, value=value)
    producer.flush()
    pipeline.cli("ingest", str(write_jsonl([breaking], tmp_path / "breaking.jsonl")))
    worker = pipeline.start_worker()
    try:
        letters = wait_for(lambda: len(pipeline.read_topic("dead_letters")) >= 3 and pipeline.read_topic("dead_letters"),
                           PROCESS_ALL, "three dead letters")
        wait_for(lambda: pipeline.search("articles", {"term": {"article.id": "good-1"}}), PROCESS_ALL, "the good article indexed")
    finally:
        stop_worker(worker)
    by_stage = sorted((letter["stage"], letter["payload"][:40]) for letter in letters)
    assert [stage for stage, _ in by_stage] == ["dedup", "dedup", "extract"]
    assert any("{not json" in payload for _, payload in by_stage)
    assert any("breaks-extractor" in payload for _, payload in by_stage)
    assert all(letter["error"] for letter in letters)
