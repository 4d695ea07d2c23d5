"""Every Kafka topic of the pipeline, declared once: name, partitions, and whether it is compacted."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from streams.settings import TopicSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compacted: bool = False


def topic_specs(topics: TopicSettings) -> dict[str, TopicSpec]:
    """Dedup and extraction see every article in arrival order (one partition each), so each country's
    reports reach the merge in that order and a stream makes the same incidents as a replay; merging,
    indexing and alerting fan out."""
    fan_out = topics.partitions
    return {
        "raw_articles": TopicSpec(topics.raw_articles, 1),
        "unique_articles": TopicSpec(topics.unique_articles, 1),
        "extractions": TopicSpec(topics.extractions, fan_out),
        "incident_reports": TopicSpec(topics.incident_reports, fan_out),
        "incidents": TopicSpec(topics.incidents, fan_out),
        "alerts": TopicSpec(topics.alerts, 1),
        "dead_letters": TopicSpec(topics.dead_letters, 1),
        "watches": TopicSpec(topics.watches, 1, compacted=True),
    }


# The agents' Faust tables (name -> fans out like the merge and alert topics, else one partition like dedup).
TABLES = {"dedup-state": False, "incident-store": True, "alert-state": True, "text-query-matches": True}


def private_topic_specs(app_id: str, topics: TopicSettings) -> dict[str, TopicSpec]:
    """The topics of one consumer group, named after its app id as Faust names changelogs: the tables'
    changelogs (`<app id>-<table>-changelog`) and the alert-release requests (`<app id>-alert-releases`, keyed
    by incident id and partitioned as the incidents topic, so a request reaches the worker holding that
    incident's alert state; a replaying group has its own).

    Created before the worker starts: a changelog that Faust creates itself can be missing from the
    consumer's metadata at the first table write, which crashes the agent and loses that record's output.
    """
    changelogs = {
        f"{table}-changelog": TopicSpec(f"{app_id}-{table}-changelog", topics.partitions if fans_out else 1, compacted=True)
        for table, fans_out in TABLES.items()
    }
    return changelogs | {"alert_releases": TopicSpec(f"{app_id}-alert-releases", topics.partitions)}


def ensure_topics(bootstrap_servers: str, topics: TopicSettings, keys: Collection[str] | None = None,
                  app_id: str | None = None) -> None:
    """Create missing topics with their partition counts (Kafka's auto-create would give them one partition);
    with `app_id`, also that app's private topics."""
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="newswatch-topics")
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(spec.name, spec.partitions, 1, topic_configs={"cleanup.policy": "compact"} if spec.compacted else {})
            for key, spec in (topic_specs(topics) | (private_topic_specs(app_id, topics) if app_id else {})).items()
            if spec.name not in existing and (keys is None or key in keys)
        ]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
            log.info("created topics %s", ", ".join(t.name for t in missing))
    finally:
        admin.close()


def commit_start_offsets(bootstrap_servers: str, group: str, topic_names: Collection[str]) -> None:
    """Give every partition of `topic_names` without a committed offset for `group` its first offset.

    Faust only seeks a partition back after a rebalance when it has a committed offset, and its commit
    tracking cannot tell a never-processed head of a partition from a processed one: a record fetched
    just before a rebalance, dropped from the agent's buffer by it, and followed by processed records
    would be committed past and lost. A committed start offset makes every rebalance re-read from there.
    Commits are only possible while the group has no members, so a worker joining a running group (which
    has committed already) may find the commit refused, and a racing worker may have done it first.
    """
    from kafka import KafkaConsumer, TopicPartition
    from kafka.errors import KafkaError
    from kafka.structs import OffsetAndMetadata

    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=group, enable_auto_commit=False,
                             client_id="newswatch-start-offsets")
    try:
        partitions = [TopicPartition(name, p) for name in topic_names for p in consumer.partitions_for_topic(name) or ()]
        missing = [tp for tp in partitions if consumer.committed(tp) is None]
        if not missing:
            return
        starts = consumer.beginning_offsets(missing)
        try:
            consumer.commit({tp: OffsetAndMetadata(starts[tp], "", -1) for tp in missing})
        except KafkaError as error:
            still_missing = [tp for tp in missing if consumer.committed(tp) is None]
            if still_missing:
                log.warning("could not commit start offsets for %d partitions of group %s (%s): a rebalance "
                            "before their first commit may skip records", len(still_missing), group, error)
    finally:
        consumer.close(autocommit=False)
