"""Bulk indexing into Elasticsearch: templates created idempotently, deterministic ids, retries until the cluster answers.

An outage blocks the calling agent (so Kafka offsets are not committed past unindexed records) instead of
dropping documents; when Elasticsearch returns, the same batch is sent again and ids keep it exactly-once.
A request refused as a whole (one `_id` over 512 bytes makes Elasticsearch answer 400 for the entire bulk
request) is sent again one document at a time, so a refused document costs only itself.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import AsyncElasticsearch, Elasticsearch
from elasticsearch.exceptions import ApiError
from elasticsearch.helpers import async_streaming_bulk

from extractors.schema import Incident
from streams.alerting.text import summarize
from streams.documents import incident_document
from streams.retry import Backoff, retry

log = logging.getLogger(__name__)

T = TypeVar("T")

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "deploy" / "elasticsearch"
COMPONENTS = ("base", "incident")
INDEX_KINDS = ("articles", "incidents", "alerts", "watches", "feeds")
# Overload and server-side errors: worth another try; any other status is the request's fault.
RETRY_STATUSES = (429, 500, 502, 503, 504)
CONFLICT = 409


def is_unavailable(error: Exception) -> bool:
    """The cluster is unreachable, slow or overloaded: the request may work later as it is."""
    if isinstance(error, ApiError):
        return error.status_code in RETRY_STATUSES
    return isinstance(error, TransportConnectionError | ConnectionTimeout)


def client_options(url: str, api_key: str | None = None, username: str | None = None,
                   password: str | None = None, ca_file: str | None = None) -> dict:
    options: dict = {"hosts": [url], "request_timeout": 30}
    if api_key:
        options["api_key"] = api_key
    elif username:
        options["basic_auth"] = (username, password or "")
    if ca_file:
        options["ca_certs"] = ca_file
    return options


def settings_client_options(es_settings) -> dict:
    """Client options from the ElasticsearchSettings section (secrets unwrapped here, at the edge)."""
    return client_options(
        es_settings.url,
        api_key=es_settings.api_key.get_secret_value() if es_settings.api_key else None,
        username=es_settings.username,
        password=es_settings.password.get_secret_value() if es_settings.password else None,
        ca_file=str(es_settings.ca_file) if es_settings.ca_file else None,
    )


def template_bodies(prefix: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """Component and index template bodies from deploy/elasticsearch, with the index prefix filled in."""

    def load(name: str) -> dict:
        return json.loads((TEMPLATES_DIR / f"{name}.json").read_text().replace("{prefix}", prefix))

    components = {f"{prefix}-{name}": load(f"component-{name}") for name in COMPONENTS}
    indices = {
        f"{prefix}-{kind}": load(kind) for kind in INDEX_KINDS if (TEMPLATES_DIR / f"{kind}.json").exists()
    }
    return components, indices


def ensure_templates(client: Elasticsearch, prefix: str) -> None:
    """Create or update the templates (PUT is idempotent); indices are created from them on first write.

    Indices that already exist get the templates' fields too: the mappings are strict, so a field added in
    a newer version would otherwise make Elasticsearch refuse every document that carries it."""
    components, indices = template_bodies(prefix)
    for name, body in components.items():
        client.cluster.put_component_template(name=name, template=body["template"], meta=body.get("_meta"))
    for name, body in indices.items():
        client.indices.put_index_template(
            name=name,
            index_patterns=body["index_patterns"],
            composed_of=body.get("composed_of", []),
            priority=body.get("priority"),
            template=body.get("template"),
            meta=body.get("_meta"),
        )
        properties: dict = {}
        for part in [components[component] for component in body.get("composed_of", [])] + [body]:
            properties |= part.get("template", {}).get("mappings", {}).get("properties", {})
        client.indices.put_mapping(index=body["index_patterns"], properties=properties, allow_no_indices=True,
                                   ignore_unavailable=True)


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


def incident_action(index: str, incident: Incident, now: dt.datetime) -> dict:
    """An incident update for the incidents index: its document under the incident's id, at the incident's version."""
    return versioned_action(index, incident.id, incident.version, incident_document(incident, summarize(incident), now))


def create_action(index: str, doc_id: str, document: dict) -> dict:
    """Create-only: a second write of the same id is a conflict, which is how duplicate alerts are detected."""
    return {"_op_type": "create", "_index": index, "_id": doc_id, "_source": document}
