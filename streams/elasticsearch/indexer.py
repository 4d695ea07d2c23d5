"""Bulk indexing into Elasticsearch: deterministic ids, retries until the cluster answers.

An outage blocks the calling agent (so Kafka offsets are not committed past unindexed records) instead of
dropping documents; when Elasticsearch returns, the same batch is sent again and ids keep it exactly-once.
A request refused as a whole (one `_id` over 512 bytes makes Elasticsearch answer 400 for the entire bulk
request) is sent again one document at a time, so a refused document costs only itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from elasticsearch import AsyncElasticsearch
from elasticsearch.exceptions import ApiError
from elasticsearch.helpers import async_streaming_bulk

from extractors.schema import Incident
from streams.elasticsearch.client import RETRY_STATUSES, is_unavailable
from streams.elasticsearch.documents import incident_document
from streams.retry import Backoff, retry

log = logging.getLogger(__name__)

T = TypeVar("T")

CONFLICT = 409


@dataclass
class BulkOutcome:
    indexed: int = 0
    conflicts: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    def add(self, other: BulkOutcome) -> None:
        self.indexed += other.indexed
        self.conflicts += other.conflicts
        self.failures += other.failures


def refusal(action: dict, error: ApiError) -> dict:
    """A refused request of one action, as the bulk response item its refusal would have been."""
    reason = error.body.get("error", error.body) if isinstance(error.body, dict) else str(error.body or error.message)
    return {"_index": action.get("_index"), "_id": action.get("_id"), "status": error.status_code, "error": reason}


class Indexer:
    """Sends bulk actions; retries the whole batch on connection errors, per item on 429/5xx."""

    def __init__(self, client: AsyncElasticsearch, chunk_size: int = 500, max_backoff: float = 30.0):
        self.client = client
        self.chunk_size = chunk_size
        self.max_backoff = max_backoff

    async def bulk(self, actions: Sequence[dict], attempts: int | None = None) -> BulkOutcome:
        """Index `actions` (helpers format with `_index`, `_id`, `_op_type`). `attempts=None` retries until it works.

        Documents Elasticsearch refuses come back in `failures`, in the shape of a bulk response item."""
        try:
            return await self.retrying(lambda: self._send(actions), f"{len(actions)} actions", attempts)
        except ApiError as error:
            if error.status_code in RETRY_STATUSES:
                raise  # attempts ran out on an outage: not the documents' fault
            if len(actions) == 1:
                return BulkOutcome(failures=[refusal(actions[0], error)])
            log.warning("Elasticsearch refused a bulk request of %d actions (%s); sending them one by one",
                        len(actions), error.message)
            outcome = BulkOutcome()
            for action in actions:
                outcome.add(await self.bulk([action], attempts))
            return outcome

    async def retrying(self, request: Callable[[], Awaitable[T]], what: str, attempts: int | None = None) -> T:
        """`request()`, again with capped exponential backoff while the cluster is unreachable or overloaded."""
        return await retry(
            request,
            transient=is_unavailable,
            backoff=Backoff(0.5, self.max_backoff),
            attempts=attempts,
            on_retry=lambda error, _, wait: log.warning(
                "Elasticsearch unavailable (%s); retrying %s in %.1f s", error, what, wait),
        )

    async def _send(self, actions: Sequence[dict]) -> BulkOutcome:
        outcome = BulkOutcome()
        async for ok, item in async_streaming_bulk(
            self.client, list(actions), chunk_size=self.chunk_size, max_retries=5, initial_backoff=0.5,
            max_backoff=self.max_backoff, retry_on_status=RETRY_STATUSES, raise_on_error=False,
            raise_on_exception=True,
        ):
            result = next(iter(item.values()))
            if ok:
                outcome.indexed += 1
            elif result.get("status") == CONFLICT:
                outcome.conflicts.append(result.get("_id"))
            else:
                outcome.failures.append(result)
        return outcome


def index_action(index: str, doc_id: str, document: dict) -> dict:
    return {"_op_type": "index", "_index": index, "_id": doc_id, "_source": document}


def versioned_action(index: str, doc_id: str, version: int, document: dict) -> dict:
    """External versioning: an older incident version arriving late is a conflict, never an overwrite."""
    return {"_op_type": "index", "_index": index, "_id": doc_id, "version": version,
            "version_type": "external_gte", "_source": document}


def incident_action(index: str, incident: Incident, summary: str, now: dt.datetime) -> dict:
    """An incident update for the incidents index: its document under the incident's id, at the incident's version."""
    return versioned_action(index, incident.id, incident.version, incident_document(incident, summary, now))


def create_action(index: str, doc_id: str, document: dict) -> dict:
    """Create-only: a second write of the same id is a conflict, which is how duplicate alerts are detected."""
    return {"_op_type": "create", "_index": index, "_id": doc_id, "_source": document}
