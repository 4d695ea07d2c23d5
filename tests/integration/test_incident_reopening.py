"""An event reported again after its incident closed: the new incident is indexed in the real Elasticsearch,
beside the closed one, through the merge store and the indexing agent's action (external versioning)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from elasticsearch import AsyncElasticsearch, Elasticsearch

from extractors.schema import Count, IncidentReport, Location
from streams.alerting.text import summarize
from streams.elasticsearch.indexer import BulkOutcome, Indexer, incident_action
from streams.elasticsearch.templates import ensure_templates
from streams.incidents.merge import ArticleRef
from streams.incidents.store import IncidentStore, record_report

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

ATTACK_DAY = dt.datetime(2016, 10, 24, 21, tzinfo=dt.timezone.utc)
QUETTA = Location(city="Quetta", admin1="Balochistan", country="PK", lat=30.18, lon=66.98, precision="city")
LAHORE = Location(city="Lahore", admin1="Punjab", country="PK", lat=31.55, lon=74.34, precision="city")


def report(killed: int, location: Location = QUETTA, day: dt.date = ATTACK_DAY.date()) -> IncidentReport:
    return IncidentReport(location=location, date=day, date_precision="day", attack_types=["armed_assault"], role="main",
                          killed=Count(value=killed))


def at(days: float) -> dt.datetime:
    return ATTACK_DAY + dt.timedelta(days=days)


def index(url: str, index_name: str, incidents) -> BulkOutcome:
    async def send() -> BulkOutcome:
        client = AsyncElasticsearch(url, request_timeout=30)
        try:
            return await Indexer(client).bulk([incident_action(index_name, incident, summarize(incident), at(30)) for incident in incidents], attempts=3)
        finally:
            await client.close()

    return asyncio.run(send())


def test_an_incident_reopened_after_its_quiet_window_is_indexed_beside_the_closed_one(pipeline):
    ensure_templates(Elasticsearch(pipeline.elasticsearch_url, request_timeout=30), pipeline.index_prefix)
    index_name = f"{pipeline.index_prefix}-incidents"
    store = IncidentStore({}, open_for=dt.timedelta(days=14))
    first = record_report(store, report(59), ArticleRef("first-report"), at(0.3)).incident
    closed = record_report(store, report(61), ArticleRef("follow-up"), at(1)).incident
    # Another attack in the country after the quiet window closes the first incident and drops it from the store.
    elsewhere = record_report(store, report(2, LAHORE, at(16).date()), ArticleRef("lahore"), at(16)).incident
    assert store.get(closed.id) is None
    reopened = record_report(store, report(62), ArticleRef("inquiry-report"), at(20))
    assert reopened.status == "created" and reopened.incident.version == 1

    outcome = index(pipeline.elasticsearch_url, index_name, [first, closed, elsewhere, reopened.incident])
    assert (outcome.indexed, outcome.conflicts, outcome.failures) == (4, [], [])
    documents = {doc["_id"]: doc["incident"] for doc in pipeline.search("incidents")}
    assert {doc_id: (doc["version"], doc["article_ids"]) for doc_id, doc in documents.items()} == {
        closed.id: (2, ["first-report", "follow-up"]),
        elsewhere.id: (1, ["lahore"]),
        reopened.incident.id: (1, ["inquiry-report"]),
    }
    # What the new id avoids: version 1 under the closed incident's id is refused as older than its document.
    stale = reopened.incident.model_copy(update={"id": closed.id})
    assert index(pipeline.elasticsearch_url, index_name, [stale]).conflicts == [closed.id]
