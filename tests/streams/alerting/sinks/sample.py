"""Alerts for the sink tests."""

from __future__ import annotations

import datetime as dt

from extractors.schema import Alert, Region, Watch
from streams.alerting.decision import alerts_for
from tests.streams.alert_factories import namsiguia_incident, quetta_incident

BURKINA = Watch(id="burkina", name="Burkina Faso", region=Region(countries=["BF"]))
WATCH = Watch(id="quetta-100km", name="Within 100 km of Quetta", region=Region(point=(30.18, 66.98), radius_km=100))


def sample_alert(**incident_changes) -> Alert:
    [alert] = alerts_for(quetta_incident(**incident_changes), WATCH, None, dt.datetime(2016, 10, 25, 4, tzinfo=dt.timezone.utc))
    return alert


def french_alert() -> Alert:
    """An alert on an incident read from a French dispatch."""
    [alert] = alerts_for(namsiguia_incident(), BURKINA, None, dt.datetime(2026, 3, 14, 10, tzinfo=dt.timezone.utc))
    return alert
