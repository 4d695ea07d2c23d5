import pytest

from extractors.schema import Count
from streams.cli.commands.search import incident_query, incident_row, since_bound
from streams.elasticsearch.documents import incident_document
from tests.streams.alert_factories import WHEN, quetta_incident


@pytest.mark.parametrize(("since", "bound"), [("24h", "now-24h"), ("30m", "now-30m"), ("2w", "now-2w"), ("2016-10-24", "2016-10-24")])
def test_since_accepts_ages_and_dates(since, bound):
    assert since_bound(since) == bound


@pytest.mark.parametrize("since", ["yesterday", "24", "now-1d", "-3d"])
def test_since_rejects_anything_else_with_examples(since):
    with pytest.raises(ValueError, match="give an age such as 30m, 24h"):
        since_bound(since)


def test_filters_use_the_indexed_field_names():
    query = incident_query(country="pk", admin1="balochistan", attack_type="bombing", group="islamic state", since="24h")
    assert query["bool"]["filter"] == [
        {"range": {"incident.last_updated": {"gte": "now-24h"}}},
        {"term": {"geo.country_iso_code": "PK"}},
        {"term": {"geo.region_name": {"value": "balochistan", "case_insensitive": True}}},
        {"term": {"incident.attack_types": "bombing"}},
        {"term": {"incident.perpetrators": {"value": "islamic state", "case_insensitive": True}}},
    ]


def test_a_row_reads_an_incident_document():
    document = incident_document(quetta_incident(killed=Count(value=61)), "summary", WHEN)
    assert incident_row(document) == (
        "2016-10-25 03:00", "2016-10-25", "Quetta, Balochistan, PK", "armed_assault, bombing", "61", ">100",
        "Islamic State, Lashkar-e-Jhangvi", "quetta-2016",
    )
