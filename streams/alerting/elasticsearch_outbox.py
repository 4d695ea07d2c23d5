"""The worker's alerts outbox: the `<prefix>-alerts` index, created with op_type=create, marked with `alert.delivered_at`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from extractors.schema import Alert
from streams.alerting.outbox import Created
from streams.elasticsearch.documents import alert_document
from streams.elasticsearch.indexer import Indexer, create_action


class ElasticsearchOutbox:
    """Every request retried while Elasticsearch is away (Indexer), so an outage holds alerts back, never drops them.

    `indexer` is called at first use: the client must be made inside the worker's event loop.
    """

    def __init__(self, indexer: Callable[[], Indexer], index: str):
        self._indexer = indexer
        self.index = index

    async def create(self, alerts: list[Alert], now: dt.datetime) -> Created:
        if not alerts:
            return Created()
        outcome = await self._indexer().bulk([create_action(self.index, a.id, alert_document(a, now)) for a in alerts])
        failed = {failure.get("_id"): str(failure.get("error")) for failure in outcome.failures}
        undelivered = await self.undelivered(outcome.conflicts)
        conflicts = set(outcome.conflicts)
        return Created([a for a in alerts if a.id not in failed and (a.id not in conflicts or a.id in undelivered)], failed)

    async def undelivered(self, alert_ids: Collection[str]) -> set[str]:
        if not alert_ids:
            return set()
        indexer = self._indexer()
        found = await indexer.retrying(
            lambda: indexer.client.mget(index=self.index, ids=list(alert_ids), source_includes=["alert.delivered_at"]),
            f"reading {len(alert_ids)} alerts")
        return {doc["_id"] for doc in found["docs"]
                if doc.get("found") and not doc["_source"].get("alert", {}).get("delivered_at")}

    async def mark_delivered(self, alert: Alert, at: dt.datetime) -> None:
        indexer = self._indexer()
        await indexer.retrying(
            lambda: indexer.client.update(index=self.index, id=alert.id, doc={"alert": {"delivered_at": at.isoformat()}}),
            f"marking alert {alert.id} delivered")
