"""Watches where people and workers can see them: the `<prefix>-watches` index (for Kibana) and a compacted topic.

Both are written with the watch id as key, so syncing the same file twice changes nothing; watches
removed from the file are deleted from the index and tombstoned on the topic.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from extractors.schema import Region, Rule, Watch


def describe_region(region: Region) -> str:
    parts = []
    if region.countries:
        parts.append(f"countries {', '.join(region.countries)}")
    if region.admin1:
        parts.append(f"admin1 {', '.join(region.admin1)}")
    if region.geojson:
        parts.append(f"GeoJSON {region.geojson.get('type', 'shape')}")
    if region.point and region.radius_km:
        parts.append(f"{region.radius_km:g} km around ({region.point[0]}, {region.point[1]})")
    if region.bbox:
        parts.append(f"bbox {list(region.bbox)}")
    return "; ".join(parts) or "anywhere"


def describe_rule(rule: Rule) -> str:
    minimums = [f"{name} >= {value}" for name, value in (("killed", rule.min_killed), ("injured", rule.min_injured)) if value > 0]
    parts = [" or ".join(minimums)] if minimums else []
    if rule.attack_types:
        parts.append(f"types {', '.join(rule.attack_types)}")
    if rule.perpetrators:
        parts.append(f"groups {', '.join(rule.perpetrators)}")
    if rule.text_query:
        parts.append(f"text {rule.text_query!r}")
    return "; ".join(parts) or "any incident"


def watch_document(watch: Watch, now: dt.datetime) -> dict:
    """The watch as a document of the watches index: ECS `rule.*` for search, the full watch kept as-is."""
    region = watch.region
    return {
        "@timestamp": now.isoformat(),
        "message": f"{watch.name}: {describe_region(region)}; {describe_rule(watch.rule)}",
        "event": {"kind": "state", "dataset": "newswatch.watch", "id": watch.id, "ingested": now.isoformat()},
        "rule": {"id": watch.id, "name": watch.name},
        "geo": {"location": {"lat": region.point[0], "lon": region.point[1]}} if region.point else None,
        "watch": watch.model_dump(mode="json"),
    }


@dataclass
class SyncResult:
    indexed: int
    removed: list[str]


def indexed_watch_ids(client, index: str) -> set[str]:
    from elasticsearch import helpers

    if not client.indices.exists(index=index):
        return set()
    return {hit["_id"] for hit in helpers.scan(client, index=index, query={"query": {"match_all": {}}}, _source=False)}


def read_watches(client, index: str) -> list[Watch]:
    from elasticsearch import helpers

    if not client.indices.exists(index=index):
        return []
    hits = helpers.scan(client, index=index, query={"query": {"match_all": {}}}, _source=["watch"])
    return sorted((Watch.model_validate(hit["_source"]["watch"]) for hit in hits), key=lambda watch: watch.id)


def sync_index(client, index: str, watches: list[Watch], now: dt.datetime) -> SyncResult:
    """Make the index hold exactly these watches (bulk, ids = watch ids); refreshes so `list` sees them at once."""
    from elasticsearch import helpers

    removed = sorted(indexed_watch_ids(client, index) - {watch.id for watch in watches})
    actions = [{"_op_type": "index", "_index": index, "_id": w.id, "_source": watch_document(w, now)} for w in watches]
    actions += [{"_op_type": "delete", "_index": index, "_id": watch_id} for watch_id in removed]
    indexed, errors = helpers.bulk(client, actions, refresh="wait_for", raise_on_error=False)
    if errors:
        raise RuntimeError(f"Elasticsearch refused {len(errors)} watch action(s); first: {json.dumps(errors[0])[:500]}")
    return SyncResult(indexed=len(watches), removed=removed)


def publish(bootstrap_servers: str, topic: str, watches: list[Watch], removed: list[str], timeout: float = 30.0) -> None:
    """The latest version of every watch on the compacted topic, and a tombstone for each removed one."""
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap_servers, acks="all", client_id="newswatch-watches")
    try:
        records = [(w.id, json.dumps(w.model_dump(mode="json")).encode("utf-8")) for w in watches]
        records += [(watch_id, None) for watch_id in removed]
        futures = [producer.send(topic, key=key.encode("utf-8"), value=value) for key, value in records]
        producer.flush(timeout=timeout)
        for future in futures:
            future.get(timeout=timeout)
    finally:
        producer.close(timeout=timeout)
