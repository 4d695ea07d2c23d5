"""AlertStore over dicts: decisions remembered per (incident, watch), text matches kept, held alerts released from
the state itself (never by sending the incident again), and the state of incidents past the incident store's
window expired."""

from __future__ import annotations

import datetime as dt
from collections import UserDict

from extractors.schema import Count, Region, Rule, Watch
from streams.alerting.alert_store import AlertStore
from streams.watches.index import WatchIndex
from tests.streams.alert_factories import WHEN, quetta_incident

PAKISTAN = Watch(id="pk", name="Pakistan", region=Region(countries=["PK"]))
HOURLY = Watch(id="pk-hourly", name="Pakistan hourly", region=Region(countries=["PK"]), throttle_minutes=60)
AMBULANCES = Watch(id="ambulances", name="Ambulances", region=Region(countries=["PK"]), rule=Rule(text_query="ambulances"))
WATCHES = WatchIndex.build([PAKISTAN, HOURLY, AMBULANCES])


AMBULANCES_IN_AFGHANISTAN = Watch(id="af-ambulances", name="Ambulances in Afghanistan", region=Region(countries=["AF"]),
                                  rule=Rule(text_query="ambulances"))
DAY = dt.timedelta(days=1)


class ChangelogRecorder(UserDict):
    """A dict that records what a Faust table would send to its changelog: assignments and deletions."""

    def __init__(self):
        super().__init__()
        self.sent: list[tuple[str, str]] = []

    def __setitem__(self, key, value):
        self.sent.append(("set", key))
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self.sent.append(("delete", key))
        super().__delitem__(key)


def kinds(alerts) -> list[tuple[str, str, str]]:
    return [(a.watch_id, a.kind, a.threshold) for a in alerts]


def test_new_then_escalation_with_the_state_in_plain_dicts():
    states, matched = {}, {}
    store = AlertStore(states, matched)
    first = store.decide(quetta_incident(), WATCHES, [], WHEN)
    assert kinds(first) == [("pk", "new", "match"), ("pk-hourly", "new", "match")]
    assert set(states["quetta-2016"]["watches"]) == {"pk", "pk-hourly"} and matched == {}
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


def test_an_incident_not_updated_for_the_window_loses_its_state_and_text_matches():
    states, matched = ChangelogRecorder(), ChangelogRecorder()
    store = AlertStore(states, matched, keep_for=14 * DAY)
    store.decide(quetta_incident(), WATCHES, ["ambulances"], WHEN)
    later = WHEN + 15 * DAY
    store.decide(quetta_incident(id="later", first_seen=later, last_updated=later), WATCHES, [], later)
    assert store.latest_update() == later
    assert store.expired(later) == ["quetta-2016"]
    assert store.expire("quetta-2016", later) is True
    assert set(states) == {"later"} and "quetta-2016" not in matched
    # The deletions reach the changelogs, as deletions.
    assert ("delete", "quetta-2016") in states.sent and ("delete", "quetta-2016") in matched.sent
    assert store.expire("quetta-2016", later) is False and store.expired(later) == []


def test_an_update_within_the_window_keeps_the_state_from_its_own_time():
    store = AlertStore({}, {}, keep_for=14 * DAY)
    store.decide(quetta_incident(), WATCHES, [], WHEN)
    store.decide(quetta_incident(version=2, last_updated=WHEN + 10 * DAY), WATCHES, [], WHEN + 10 * DAY)
    assert store.expired(WHEN + 20 * DAY) == []
    assert store.expire("quetta-2016", WHEN + 20 * DAY) is False
    assert store.expired(WHEN + 25 * DAY) == ["quetta-2016"]
    # A late, older update (or a release) never moves the incident's time back.
    store.decide(quetta_incident(version=2, last_updated=WHEN + DAY), WATCHES, [], WHEN + 10 * DAY)
    assert store.expired(WHEN + 20 * DAY) == []


def test_text_matches_of_an_incident_no_watch_alerted_on_expire_too():
    states, matched = {}, {}
    store = AlertStore(states, matched, keep_for=14 * DAY)
    assert store.decide(quetta_incident(), WatchIndex.build([AMBULANCES_IN_AFGHANISTAN]), ["af-ambulances"], WHEN) == []
    assert matched == {"quetta-2016": ["af-ambulances"]} and states["quetta-2016"]["watches"] == {}
    assert store.expire("quetta-2016", WHEN + 15 * DAY) is True
    assert states == {} and matched == {}


def test_an_unmatched_incident_leaves_no_state_and_an_empty_store_has_no_clock():
    store = AlertStore({}, {})
    assert store.decide(quetta_incident(), WatchIndex.build([AMBULANCES_IN_AFGHANISTAN]), [], WHEN) == []
    assert store.states == {} and store.latest_update() is None


def test_expired_held_alerts_go_with_the_state():
    store = AlertStore({}, {}, keep_for=14 * DAY)
    hourly = WatchIndex.build([HOURLY])
    store.decide(quetta_incident(), hourly, [], WHEN)
    store.decide(quetta_incident(version=2, killed=Count(value=89)), hourly, [], WHEN)
    assert store.expire("quetta-2016", WHEN + 15 * DAY) is True
    assert store.held(hourly, WHEN + 15 * DAY) == {}


def test_a_decision_changes_no_state_until_kept_so_a_crash_before_that_decides_its_alerts_again():
    states, matched = ChangelogRecorder(), ChangelogRecorder()
    store = AlertStore(states, matched)
    decision = store.decision_on(quetta_incident(), WATCHES, ["ambulances"], WHEN)
    assert states.sent == matched.sent == []
    again = store.decision_on(quetta_incident(), WATCHES, ["ambulances"], WHEN)
    assert [a.id for a in again.alerts] == [a.id for a in decision.alerts] and len(decision.alerts) == 3
    store.keep(decision)
    assert store.decision_on(quetta_incident(), WATCHES, ["ambulances"], WHEN).alerts == []
    assert matched == {"quetta-2016": ["ambulances"]}


def test_a_release_changes_no_state_until_kept():
    store = AlertStore({}, {})
    hourly = WatchIndex.build([HOURLY])
    store.decide(quetta_incident(), hourly, [], WHEN)
    store.decide(quetta_incident(version=2, killed=Count(value=89)), hourly, [], WHEN + dt.timedelta(minutes=5))
    due = WHEN + dt.timedelta(minutes=60)
    release = store.release_decision("quetta-2016", hourly, due)
    assert kinds(release.alerts) == [("pk-hourly", "escalation", "killed:89")]
    assert kinds(store.release_decision("quetta-2016", hourly, due).alerts) == kinds(release.alerts)
    store.keep(release)
    assert store.release_decision("quetta-2016", hourly, due).alerts == []
