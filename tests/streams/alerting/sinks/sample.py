"""One alert for the sink tests."""

from __future__ import annotations

import datetime as dt

from extractors.schema import Alert, Region, Watch
from streams.alerting.decision import alerts_for
from tests.streams.alert_factories import quetta_incident

WATCH = Watch(id="quetta-100km", name="Within 100 km of Quetta", region=Region(point=(30.18, 66.98), radius_km=100))


def sample_alert(**incident_changes) -> Alert:
    [alert] = alerts_for(quetta_incident(**incident_changes), WATCH, None, dt.datetime(2016, 10, 25, 4, tzinfo=dt.timezone.utc))
    return alert
