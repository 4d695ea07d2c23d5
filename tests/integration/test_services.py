"""The local services: healthy after `up`, a second `up` changes nothing, and a stopped service restarts on its address."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from deploy.local.services import LocalServices

pytestmark = pytest.mark.integration


def test_up_is_idempotent(services):
    local = LocalServices()
    before = local.status()
    assert all(entry["healthy"] for entry in before.values()), before
    assert local.up() == services
    after = local.status()
    assert {name: entry["pid"] for name, entry in after.items()} == {name: entry["pid"] for name, entry in before.items()}


def test_elasticsearch_restarts_on_the_same_address(services):
    local = LocalServices()
    local.stop("elasticsearch")
    assert not local.status()["elasticsearch"]["running"]
    local.start("elasticsearch")
    assert local.endpoints() == services
    health = Elasticsearch(services.elasticsearch_url).cluster.health(wait_for_status="yellow", timeout="30s")
    assert health["status"] in ("yellow", "green")
