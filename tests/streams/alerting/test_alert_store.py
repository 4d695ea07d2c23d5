"""AlertStore over dicts: decisions remembered per (incident, watch), text matches kept, held alerts released from
the state itself (never by sending the incident again)."""

from __future__ import annotations

import datetime as dt

from extractors.schema import Count, Region, Rule, Watch
from streams.alerting.alert_store import AlertStore
from streams.watches import WatchIndex
from tests.streams.alert_factories import WHEN, quetta_incident

PAKISTAN = Watch(id="pk", name="Pakistan", region=Region(countries=["PK"]))
HOURLY = Watch(id="pk-hourly", name="Pakistan hourly", region=Region(countries=["PK"]), throttle_minutes=60)
AMBULANCES = Watch(id="ambulances", name="Ambulances", region=Region(countries=["PK"]), rule=Rule(text_query="ambulances"))
WATCHES = WatchIndex.build([PAKISTAN, HOURLY, AMBULANCES])


def kinds(alerts) -> list[tuple[str, str, str]]:
    return [(a.watch_id, a.kind, a.threshold) for a in alerts]


def test_new_then_escalation_with_the_state_in_plain_dicts():
    states, matched = {}, {}
    store = AlertStore(states, matched)
    first = store.decide(quetta_incident(), WATCHES, [], WHEN)
    assert kinds(first) == [("pk", "new", "match"), ("pk-hourly", "new", "match")]
    assert set(states["quetta-2016"]) == {"pk", "pk-hourly"} and matched == {}
    assert store.decide(quetta_incident(version=2), WATCHES, [], WHEN) == []
    rising = store.decide(quetta_incident(version=3, killed=Count(value=89)), WATCHES, [], WHEN + dt.timedelta(minutes=5))
    assert kinds(rising) == [("pk", "escalation", "killed:89")]  # the hourly watch holds its escalation back


def test_a_text_match_is_remembered_for_later_updates():
    store = AlertStore({}, {})
    assert kinds(store.decide(quetta_incident(), WatchIndex.build([AMBULANCES]), [], WHEN)) == []
    assert kinds(store.decide(quetta_incident(version=2), WatchIndex.build([AMBULANCES]), ["ambulances"], WHEN)) == [
        ("ambulances", "new", "match")]
    later = store.decide(quetta_incident(version=3, killed=Count(value=89)), WatchIndex.build([AMBULANCES]), [], WHEN)
    assert kinds(later) == [("ambulances", "escalation", "killed:89")]


def test_held_alerts_are_released_from_the_state_with_the_incident_they_were_decided_on():
    store = AlertStore({}, {})
    hourly = WatchIndex.build([HOURLY])
    store.decide(quetta_incident(), hourly, [], WHEN)
    assert store.decide(quetta_incident(version=2, killed=Count(value=89)), hourly, [], WHEN + dt.timedelta(minutes=5)) == []
    assert store.decide(quetta_incident(version=3, killed=Count(value=140)), hourly, [], WHEN + dt.timedelta(minutes=10)) == []
    assert store.held(hourly, WHEN + dt.timedelta(minutes=10)) == {"quetta-2016": WHEN + dt.timedelta(minutes=60)}
    assert store.release("quetta-2016", hourly, WHEN + dt.timedelta(minutes=59)) == []
    [released] = store.release("quetta-2016", hourly, WHEN + dt.timedelta(minutes=60))
    # The newer escalation of the same toll replaced the held one, and carries the incident it was decided on.
    assert (released.threshold, released.incident.version) == ("killed:140", 3)
    assert store.held(hourly, WHEN + dt.timedelta(minutes=60)) == {}
    assert store.release("quetta-2016", hourly, WHEN + dt.timedelta(minutes=90)) == []


def test_a_removed_watch_releases_nothing_and_historical_incidents_alert_nobody():
    store = AlertStore({}, {})
    hourly = WatchIndex.build([HOURLY])
    store.decide(quetta_incident(), hourly, [], WHEN)
    store.decide(quetta_incident(version=2, killed=Count(value=89)), hourly, [], WHEN)
    assert store.held(WatchIndex.build([]), WHEN) == {}
    assert store.release("quetta-2016", WatchIndex.build([]), WHEN + dt.timedelta(hours=2)) == []
    assert store.decide(quetta_incident(id="old", historical=True), WATCHES, ["ambulances"], WHEN) == []
