"""Sending what the alert store decided: the alerts go to the outbox and out (the alerts topic, acknowledged)
before the state that says they went is kept.

A table writes its changelog at once and an agent's output leaves only at the offset commit, so kept first,
the state of a worker killed in between would say "decided" for alerts that never went out, and the restarted
worker would find nothing left to send. Kept last, a crash in between decides them again, and the outbox turns
the repeat into a no-op for an alert already delivered. A lock per incident keeps the two alerting agents
(incident updates, held-alert releases) from deciding on the same state while the alerts are under way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from extractors.schema import Alert
from streams.alerting.alert_store import AlertStore, Decision
from streams.alerting.outbox import Outbox
from streams.runtime.keyed_locks import KeyedLocks


class AlertPublisher:
    def __init__(self, store: AlertStore, outbox: Outbox, send: Callable[[Alert], Awaitable[None]],
                 refused: Callable[[str, str], Awaitable[None]]):
        """`send` returns once the alert is out; `refused(alert id, error)` hears of alerts the outbox refused."""
        self.store = store
        self.outbox = outbox
        self.send = send
        self.refused = refused
        self._deciding = KeyedLocks()

    async def publish(self, incident_id: str, decide: Callable[[], Decision], now: dt.datetime) -> None:
        """Decide (under the incident's lock), create and send the alerts, then keep the decision."""
        async with self._deciding.holding(incident_id):
            decision = decide()
            created = await self.outbox.create(decision.alerts, now)
            for alert_id, error in created.failed.items():
                await self.refused(alert_id, error)
            for alert in created.to_publish:
                await self.send(alert)
            self.store.keep(decision)
