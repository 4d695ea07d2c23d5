"""The in-memory outbox keeps the rules of the worker's alerts index: create once, publish again while undelivered."""

from __future__ import annotations

import datetime as dt

from streams.alerting.outbox import InMemoryOutbox
from tests.streams.alerting.sinks.sample import sample_alert

NOW = dt.datetime(2016, 10, 25, 4, tzinfo=dt.timezone.utc)


async def test_created_once_and_handed_back_until_delivered():
    outbox = InMemoryOutbox()
    alert = sample_alert()
    assert (await outbox.create([alert], NOW)).to_publish == [alert]
    again = sample_alert(version=2)  # the same id, decided again from a later update (state lost)
    assert (await outbox.create([again], NOW)).to_publish == [again]  # as the alerts index hands it back
    assert outbox.alerts[alert.id] == alert
    assert await outbox.undelivered([alert.id, "unknown"]) == {alert.id}
    await outbox.mark_delivered(alert, NOW)
    assert (await outbox.create([again], NOW)).to_publish == []
    assert await outbox.undelivered([alert.id]) == set()
