"""Settings: environment beats the YAML file, nested sections use a double underscore, secrets stay hidden."""

from __future__ import annotations

import pytest

from streams.settings import Settings


def test_environment_and_config_file(tmp_path, monkeypatch):
    config = tmp_path / "newswatch.yaml"
    config.write_text("kafka:\n  bootstrap_servers: 10.0.0.1:9092\nelasticsearch:\n  url: http://es.test:9200\n  index_prefix: ops\n")
    monkeypatch.setenv("NEWSWATCH_CONFIG_FILE", str(config))
    monkeypatch.setenv("NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH__API_KEY", "s3cret")
    settings = Settings()
    assert settings.kafka.bootstrap_servers == "127.0.0.1:19092"
    assert settings.elasticsearch.url == "http://es.test:9200"
    assert settings.elasticsearch.index("incidents") == "ops-incidents"
    assert "s3cret" not in repr(settings)
    assert settings.elasticsearch.api_key.get_secret_value() == "s3cret"


def test_explicit_arguments_win(monkeypatch):
    monkeypatch.setenv("NEWSWATCH_TOPICS__PARTITIONS", "8")
    assert Settings(topics={"partitions": 2}).topics.partitions == 2
    assert Settings().topics.partitions == 8


def test_the_worker_session_reaches_the_kafka_consumer_and_heartbeats_fit_in_it(monkeypatch):
    from streams.runtime.app import create_app

    monkeypatch.setenv("NEWSWATCH_WORKER__SESSION_TIMEOUT_SECONDS", "12")
    conf = create_app(Settings()).app.conf
    assert (conf.broker_session_timeout, conf.broker_heartbeat_interval) == (12.0, 1.0)
    with pytest.raises(ValueError, match="heartbeat_interval_seconds must be at most a third of session_timeout_seconds"):
        Settings(worker={"session_timeout_seconds": 10, "heartbeat_interval_seconds": 4})
    with pytest.raises(ValueError, match="greater than or equal to 6"):
        Settings(worker={"session_timeout_seconds": 3, "heartbeat_interval_seconds": 1})


def test_the_worker_makes_one_elasticsearch_client_for_all_its_agents(monkeypatch):
    import streams.runtime.app
    from streams.runtime.app import create_app

    made = []
    monkeypatch.setattr(streams.runtime.app, "AsyncElasticsearch", lambda **options: made.append(options) or object())
    pipeline = create_app(Settings())
    assert pipeline.indexer() is pipeline.indexer()
    assert len(made) == 1
