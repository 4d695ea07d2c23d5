"""The Elasticsearch client's options from the settings, and which errors mean the cluster is away.

Every process makes its clients from these options (the worker one, shared by its agents: Pipeline.indexer)."""

from __future__ import annotations

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch.exceptions import ApiError

# Overload and server-side errors: worth another try; any other status is the request's fault.
RETRY_STATUSES = (429, 500, 502, 503, 504)


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
