"""The local services: healthy after `up`, a second `up` changes nothing, one service stops and starts alone on its
address, and an `up` that fails half-way leaves nothing running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from deploy.local import processes
from deploy.local.services import KAFKA_VERSION, LocalServices, ServiceError
from tests.integration.pipeline import REPO

pytestmark = pytest.mark.integration


def newswatch_services(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.cli", "services", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_up_is_idempotent(services):
    local = LocalServices()
    before = local.status()
    assert all(entry["healthy"] for entry in before.values()), before
    assert all(entry["java"].startswith("Java ") for entry in before.values()), before
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


def test_services_stop_and_start_one_service_from_the_command_line(services):
    local = LocalServices()
    elasticsearch_pid = local.status()["elasticsearch"]["pid"]
    stopped = newswatch_services("stop", "kafka")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    status = local.status()
    assert not status["kafka"]["running"]
    assert status["elasticsearch"]["healthy"] and status["elasticsearch"]["pid"] == elasticsearch_pid
    started = newswatch_services("start", "kafka")
    assert started.returncode == 0, started.stdout + started.stderr
    assert started.stdout.strip() == f"kafka: {services.kafka_bootstrap}"
    assert local.endpoints() == services
    assert all(entry["healthy"] for entry in local.status().values())


def test_start_and_stop_need_a_service_name(services):
    result = newswatch_services("stop")
    assert result.returncode == 2 and "NAME" in result.stdout
    assert all(entry["healthy"] for entry in LocalServices().status().values())


def test_an_up_that_fails_stops_the_kafka_it_started(services, tmp_path, monkeypatch):
    """Kafka really starts in a home of its own (its classpath shared), then Elasticsearch dies at start-up."""
    shared_libs = LocalServices().home / "dist" / f"kafka-{KAFKA_VERSION}"
    home = tmp_path / "home"
    (home / "dist").mkdir(parents=True)
    (home / "dist" / shared_libs.name).symlink_to(shared_libs)

    def elasticsearch_that_dies(local, install, state, java):
        return processes.spawn(["/bin/sh", "-c", "echo 'fatal: node cannot start'; exit 3"],
                               local._log_path("elasticsearch"), env={}), java

    monkeypatch.setattr(LocalServices, "_provision_elasticsearch", lambda local: tmp_path)
    monkeypatch.setattr(LocalServices, "_launch_elasticsearch", elasticsearch_that_dies)
    local = LocalServices(home, start_timeout=120)
    with pytest.raises(ServiceError) as raised:
        local.up()
    message = str(raised.value)
    assert "elasticsearch exited during start-up" in message and "fatal: node cannot start" in message
    assert "kafka stopped again" in message and "newswatch services up" in message
    assert not any(entry["running"] for entry in local.status().values())
    assert not processes_mentioning(str(home))


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains `text` (Kafka's carries its config path under the home)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text in cmdline.read_bytes().decode(errors="replace") and processes.alive(int(cmdline.parent.name)):
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found
