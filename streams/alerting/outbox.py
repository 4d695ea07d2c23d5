"""The alerts outbox: every alert is created once, and remembered as delivered once a sink delivered it.

Alert ids are deterministic, so "create" refuses an alert that any worker, restart or replay created
before; such an alert is still handed back for publishing when it has no delivered mark (a crash came
between creating and publishing). The worker's outbox is the alerts index (`ElasticsearchOutbox`); replay
and tests use `InMemoryOutbox`, which keeps the same rules in a dict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from extractors.schema import Alert


@dataclass
class Created:
    """The outcome of creating alerts: those to publish, and those the store refused (alert id -> error)."""

    to_publish: list[Alert] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


class Outbox(Protocol):
    async def create(self, alerts: list[Alert], now: dt.datetime) -> Created:
        """Create the alerts not created before; hand back those and the created but undelivered ones."""

    async def undelivered(self, alert_ids: Collection[str]) -> set[str]:
        """Those of the alerts in the outbox that have no delivered mark."""

    async def mark_delivered(self, alert: Alert, at: dt.datetime) -> None:
        """Remember that a sink delivered the alert, so no record of it is delivered again."""


class InMemoryOutbox:
    """The outbox in a dict (alert id -> the alert and when it was delivered), for replay and tests."""

    def __init__(self) -> None:
        self.alerts: dict[str, Alert] = {}
        self.delivered_at: dict[str, dt.datetime] = {}

    async def create(self, alerts: list[Alert], now: dt.datetime) -> Created:
        created = Created()
        for alert in alerts:
            if alert.id not in self.alerts:
                self.alerts[alert.id] = alert
                created.to_publish.append(alert)
            elif alert.id not in self.delivered_at:
                created.to_publish.append(alert)
        return created

    async def undelivered(self, alert_ids: Collection[str]) -> set[str]:
        return {alert_id for alert_id in alert_ids if alert_id in self.alerts and alert_id not in self.delivered_at}

    async def mark_delivered(self, alert: Alert, at: dt.datetime) -> None:
        self.delivered_at[alert.id] = at
