"""Bulk indexing into the real Elasticsearch: our Indexer against a plain elasticsearch.helpers.bulk loop; prints JSON.

Run from the repository root (NEWSWATCH_HOME selects the local services, started if needed):
    python bench/bench_indexing.py [--articles 5000] [--incidents 3000] [--runs 5]

All send the same actions in batches of 200 (what the indexing agents take from their streams) into
fresh indices made from our templates: article documents (streams.elasticsearch.documents.article_document over the
mixed stream of bench/news_filler.py) with index actions, and incident documents (incident_document over
incidents merged from the dev set's attack articles by the extractor and streams.incidents.store, copied
under new ids) with external versioning. Only the bulk calls are timed; building the documents from the
agents' messages (validation, document, summary) is timed on its own. Each run uses new indices, created
before the clock starts; the methods take turns going first, and the median of the runs is reported.
A third method, elasticsearch.helpers.async_bulk on the same async client as the Indexer, separates the
cost of the Indexer's own code from that of the async transport.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import time
import uuid

from worker_harness import endpoints, print_json

from elasticsearch import AsyncElasticsearch, Elasticsearch
from elasticsearch.helpers import async_bulk, bulk

import extractors
from extractors.schema import ExtractionResult, Incident
from news_filler import is_attack_article, mixed_stream, unique_devset
from streams.alerting.text import summarize
from streams.elasticsearch.documents import article_document, incident_document
from streams.elasticsearch.indexer import Indexer, index_action, versioned_action
from streams.elasticsearch.templates import ensure_templates
from streams.incidents.merge import ArticleRef
from streams.incidents.store import IncidentStore, record_report
from streams.runtime.messages import ExtractedArticle
from tests.integration.pipeline import drop_indices

BATCH = 200  # streams.agents.indexing.INDEX_BATCH


def extracted_articles(count: int) -> list[dict]:
    """ExtractedArticle messages (as JSON) for a mixed stream; the article document only needs the verdict."""
    messages = []
    for article in mixed_stream(count, seed=41, id_prefix="ix-"):
        verdict = ExtractionResult(id=article.id, is_attack_report=is_attack_article(article))
        duplicate_of = article.id.rpartition("-copy")[0] or None
        message = ExtractedArticle(article=article, duplicate_of=duplicate_of, extraction=verdict)
        messages.append(message.model_dump(mode="json"))
    return messages


def article_documents(messages: list[dict], now: dt.datetime) -> list[tuple[str, dict]]:
    """(id, document), as index_articles builds them from its messages."""
    documents = []
    for value in messages:
        extracted = ExtractedArticle.model_validate(value)
        documents.append((extracted.article.id, article_document(extracted.article, extracted.extraction,
                                                                 extracted.duplicate_of, now)))
    return documents


def merged_incidents(now: dt.datetime) -> list[Incident]:
    """Incidents as the pipeline makes them: the dev set's attack articles extracted and merged."""
    from extractors.schema import Article

    attacks, _ = unique_devset()
    articles = [Article(id=a["id"], url=a.get("url"), title=a.get("title"), text=a["text"], published=a.get("published"))
                for a in attacks]
    store = IncidentStore({})
    incidents: dict[str, Incident] = {}
    for article, result in zip(articles, extractors.extract_batch(articles)):
        for report in result.incidents:
            outcome = record_report(store, report, ArticleRef(article.id, "devset", article.url, article.published), now)
            incidents[outcome.incident.id] = outcome.incident
    return list(incidents.values())


def incident_messages(count: int, now: dt.datetime) -> list[dict]:
    """Incident messages (as JSON): the merged incidents copied under new ids until there are `count`."""
    incidents = merged_incidents(now)
    return [incidents[number % len(incidents)].model_copy(update={"id": f"ix-incident-{number:06d}"}).model_dump(mode="json")
            for number in range(count)]


def incident_documents(messages: list[dict], now: dt.datetime) -> list[tuple[str, int, dict]]:
    """(id, version, document), as index_incidents builds them from its messages."""
    documents = []
    for value in messages:
        incident = Incident.model_validate(value)
        documents.append((incident.id, incident.version, incident_document(incident, summarize(incident), now)))
    return documents


def mean_size(documents: list[tuple]) -> int:
    return round(statistics.mean(len(json.dumps(item[-1])) for item in documents))


def batches(actions: list[dict]) -> list[list[dict]]:
    return [actions[start:start + BATCH] for start in range(0, len(actions), BATCH)]


async def with_async_client(url: str, actions: list[dict], method: str) -> tuple[float, float, int]:
    """`indexer` (our Indexer.bulk) or `async_bulk` (the helper it builds on), on one AsyncElasticsearch client."""
    client = AsyncElasticsearch(url, request_timeout=60)
    indexer = Indexer(client)
    try:
        began, cpu, indexed = time.perf_counter(), time.process_time(), 0
        for batch in batches(actions):
            if method == "indexer":
                outcome = await indexer.bulk(batch, attempts=1)
                done, errors = outcome.indexed, outcome.failures + outcome.conflicts
            else:
                done, errors = await async_bulk(client, batch, raise_on_error=False)
            indexed += checked(method, done, errors)
        return time.perf_counter() - began, time.process_time() - cpu, indexed
    finally:
        await client.close()


def with_helpers_bulk(url: str, actions: list[dict]) -> tuple[float, float, int]:
    client = Elasticsearch(url, request_timeout=60)
    try:
        began, cpu, indexed = time.perf_counter(), time.process_time(), 0
        for batch in batches(actions):
            done, errors = bulk(client, batch, raise_on_error=False)
            indexed += checked("helpers_bulk", done, errors)
        return time.perf_counter() - began, time.process_time() - cpu, indexed
    finally:
        client.close()


def checked(method: str, done: int, errors: list) -> int:
    if errors:
        raise RuntimeError(f"{method}: {len(errors)} documents not indexed, e.g. {errors[:1]}")
    return done


def fresh_indices(url: str) -> str:
    """Templates and empty indices under a new prefix, created before the clock starts (creation takes ~1 s)."""
    prefix = f"nwbench-{uuid.uuid4().hex[:8]}"
    client = Elasticsearch(url, request_timeout=60)
    ensure_templates(client, prefix)
    for kind in ("articles", "incidents"):
        client.indices.create(index=f"{prefix}-{kind}")
    client.cluster.health(index=f"{prefix}-*", wait_for_status="yellow", timeout="30s")
    return prefix


def measure(url: str, method: str, make_actions) -> tuple[float, float, int]:
    """One timed pass of `method` into new indices, which are deleted afterwards: (wall s, client CPU s, indexed)."""
    prefix = fresh_indices(url)
    try:
        actions = make_actions(prefix)
        if method == "helpers_bulk":
            return with_helpers_bulk(url, actions)
        return asyncio.run(with_async_client(url, actions, method))
    finally:
        drop_indices(url, prefix)


def compare(url: str, count: int, make_actions, runs: int) -> dict:
    methods = ("indexer", "helpers_bulk", "async_bulk")
    wall: dict[str, list[float]] = {method: [] for method in methods}
    cpu: dict[str, list[float]] = {method: [] for method in methods}
    for run in range(runs):
        for method in methods[run % len(methods):] + methods[:run % len(methods)]:
            elapsed, used, indexed = measure(url, method, make_actions)
            if indexed != count:
                raise RuntimeError(f"{method} indexed {indexed} of {count} documents")
            wall[method].append(elapsed)
            cpu[method].append(used)
    rates = {method: count / statistics.median(values) for method, values in wall.items()}
    return {
        "documents": count,
        "docs_per_second": {method: round(rate) for method, rate in rates.items()},
        "ratio_indexer_to_helpers_bulk": round(rates["indexer"] / rates["helpers_bulk"], 3),
        "client_cpu_ms_per_document": {method: round(statistics.median(values) * 1000 / count, 3)
                                       for method, values in cpu.items()},
        "runs_seconds": {method: [round(v, 3) for v in values] for method, values in wall.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--incidents", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = endpoints().elasticsearch_url
    now = dt.datetime.now(dt.timezone.utc)

    article_values, incident_values = extracted_articles(args.articles), incident_messages(args.incidents, now)
    began = time.perf_counter()
    articles = article_documents(article_values, now)
    article_build = time.perf_counter() - began
    began = time.perf_counter()
    incidents = incident_documents(incident_values, now)
    incident_build = time.perf_counter() - began
    result = {
        "batch": BATCH,
        "documents_built_from_messages_per_second": {"articles": round(len(articles) / article_build),
                                                     "incidents": round(len(incidents) / incident_build)},
        "mean_document_bytes": {"articles": mean_size(articles), "incidents": mean_size(incidents)},
        "articles": compare(url, len(articles), lambda prefix: [
            index_action(f"{prefix}-articles", doc_id, document) for doc_id, document in articles], args.runs),
        "incidents": compare(url, len(incidents), lambda prefix: [
            versioned_action(f"{prefix}-incidents", doc_id, version, document) for doc_id, version, document in incidents],
            args.runs),
    }
    print_json(result)


if __name__ == "__main__":
    main()
