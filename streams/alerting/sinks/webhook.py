"""The generic webhook: the alert as JSON, signed with HMAC-SHA256 so the receiver knows it came from us."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import ClassVar

from pydantic import SecretStr

from extractors.schema import Alert
from streams.alerting.sinks.http import HttpSink
from streams.alerting.sinks.signing import ALERT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign


class WebhookSink(HttpSink):
    """POSTs `Alert` JSON (validate it with `Alert.model_validate`); verify with streams.alerting.sinks.signing.verify."""

    name: ClassVar[str] = "webhook"
    required: ClassVar[frozenset[str]] = frozenset({"url", "secret"})

    def __init__(self, url: str, secret: SecretStr, headers: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.time, **options):
        super().__init__(url, **options)
        self.secret = secret
        self.headers = headers or {}
        self.clock = clock

    def request(self, alert: Alert) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(alert.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = int(self.clock())
        return body, {
            **self.headers,
            "Content-Type": "application/json",
            ALERT_ID_HEADER: alert.id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(self.secret.get_secret_value(), timestamp, body),
        }
