"""Shared fixtures: real Kafka and Elasticsearch from deploy/local, started once per test session if not already up."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_ARTICLE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "quetta-2016.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.fail(f"the seed article is missing: {SEED_ARTICLE} (../shared/ beside the repository)")
    return SEED_ARTICLE


@pytest.fixture(scope="session")
def services():
    """Endpoints of the local services; started here (and stopped after the session) only if none are running."""
    from deploy.local.services import LocalServices

    local = LocalServices()
    already_running = all(entry["healthy"] for entry in local.status().values())
    endpoints = local.up()
    yield endpoints
    if not already_running:
        local.down()
