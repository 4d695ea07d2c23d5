"""All configuration, from NEWSWATCH_* environment variables and an optional YAML file.

Only entry points (the CLI, the Faust app) build a Settings; library code takes plain values.
Nested sections use a double underscore: NEWSWATCH_KAFKA__BOOTSTRAP_SERVERS=127.0.0.1:9092.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, YamlConfigSettingsSource

DEPLOY_DIR = Path(__file__).resolve().parent.parent / "deploy"


class KafkaSettings(BaseModel):
    bootstrap_servers: str = "127.0.0.1:9092"


class TopicSettings(BaseModel):
    raw_articles: str = "newswatch.articles.raw"
    unique_articles: str = "newswatch.articles.unique"
    extractions: str = "newswatch.extractions"
    incident_reports: str = "newswatch.incident-reports"
    incidents: str = "newswatch.incidents"
    alerts: str = "newswatch.alerts"
    dead_letters: str = "newswatch.dead-letters"
    watches: str = "newswatch.watches"  # compacted: the latest version of every watch, keyed by id
    partitions: int = Field(default=4, ge=1)


class ElasticsearchSettings(BaseModel):
    url: str = "http://127.0.0.1:9200"
    api_key: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    ca_file: Path | None = None
    index_prefix: str = "newswatch"

    def index(self, kind: str) -> str:
        """The index (or alias) name for one document kind: articles, incidents, alerts, watches, feeds."""
        return f"{self.index_prefix}-{kind}"


class DedupSettings(BaseModel):
    # Calibrated on tests/data/dedup/pairs.jsonl (docs/benchmarks.md, "Dedup and merge").
    threshold: float = Field(default=0.4, gt=0, le=1)
    containment: float = Field(default=0.7, gt=0, le=1)
    max_age_days: float = Field(default=7, gt=0)


class WorkerSettings(BaseModel):
    app_id: str = "newswatch"
    data_dir: Path = Path(os.environ.get("NEWSWATCH_HOME", Path.home() / ".cache" / "newswatch")) / "worker"
    extract_batch_size: int = Field(default=16, ge=1)
    extract_batch_seconds: float = Field(default=0.5, gt=0)
    extractor: str = Field(
        default="extractors:extract_batch",
        description="module:function taking a list of Articles and returning ExtractionResults (to plug in another extractor)",
    )
    # A worker that dies without leaving holds its partitions until the broker misses its heartbeats this long.
    # Heartbeats come from the event loop, which never runs spaCy, so it is never blocked for seconds.
    session_timeout_seconds: float = Field(default=10.0, ge=6, le=300)  # 6: Kafka's group.min.session.timeout.ms
    heartbeat_interval_seconds: float = Field(default=1.0, gt=0)

    @model_validator(mode="after")
    def _heartbeats_fit_the_session(self) -> WorkerSettings:
        if self.heartbeat_interval_seconds * 3 > self.session_timeout_seconds:
            raise ValueError("worker.heartbeat_interval_seconds must be at most a third of session_timeout_seconds, "
                             "so that one late heartbeat does not end the session")
        return self


class FeedSettings(BaseModel):
    """Limits for feed polling; feeds are untrusted input, so every request, body and queue is bounded."""

    default_interval_seconds: float = Field(default=900, gt=0)
    jitter: float = Field(default=0.1, ge=0, le=0.5)
    global_concurrency: int = Field(default=64, ge=1)
    per_host_concurrency: int = Field(default=4, ge=1)
    connect_timeout_seconds: float = Field(default=10, gt=0)
    read_timeout_seconds: float = Field(default=20, gt=0)
    total_timeout_seconds: float = Field(default=60, gt=0)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_items: int = Field(default=1000, ge=1)
    parse_time_limit_seconds: float = Field(default=10, gt=0)
    max_redirects: int = Field(default=5, ge=0)
    backoff_base_seconds: float = Field(default=60, gt=0)
    backoff_cap_seconds: float = Field(default=6 * 3600, gt=0)
    max_retry_after_seconds: float = Field(default=24 * 3600, gt=0)
    quarantine_seconds: float = Field(default=6 * 3600, gt=0)
    allowed_private_hosts: list[str] = Field(default_factory=list)
    user_agent: str = "newswatch-feeds/0.1 (+https://github.com/newswatch/newswatch)"
    full_text_min_chars: int = Field(default=1000, ge=0)
    full_text_concurrency: int = Field(default=8, ge=1)
    full_text_timeout_seconds: float = Field(default=20, gt=0)
    full_text_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    seen_retention_days: float = Field(default=30, gt=0)
    buffer_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1024 * 1024)
    health_interval_seconds: float = Field(default=60, gt=0)


class KibanaSettings(BaseModel):
    """Where `newswatch kibana import` sends the saved objects of deploy/kibana."""

    url: str = "http://127.0.0.1:5601"
    space: str | None = None
    api_key: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None


class SinkSettings(BaseModel):
    """One alert sink; `type` defaults to the sink's name, other options go to the sink class, checked at start-up."""

    model_config = ConfigDict(extra="allow")

    type: str | None = None
    secret: SecretStr | None = None
    password: SecretStr | None = None


class AlertingSettings(BaseModel):
    """Sinks by name (watches list the names they send to; `log` needs no configuration) and the alert text."""

    sinks: dict[str, SinkSettings] = Field(default_factory=dict)
    summary_template: str | None = Field(default=None, description="None: streams.alerting.text.DEFAULT_SUMMARY_TEMPLATE")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSWATCH_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    home: Path = Path.home() / ".cache" / "newswatch"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    topics: TopicSettings = Field(default_factory=TopicSettings)
    elasticsearch: ElasticsearchSettings = Field(default_factory=ElasticsearchSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    dedup: DedupSettings = Field(default_factory=DedupSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)
    alerting: AlertingSettings = Field(default_factory=AlertingSettings)
    kibana: KibanaSettings = Field(default_factory=KibanaSettings)
    feeds_file: Path = DEPLOY_DIR / "feeds.example.opml"
    watches_file: Path = DEPLOY_DIR / "watches.example.yaml"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit arguments beat the environment, which beats the YAML file named by NEWSWATCH_CONFIG_FILE."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("NEWSWATCH_CONFIG_FILE")
        if config_file:
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=config_file))
        return tuple(sources)
