import datetime as dt

from extractors.schema import Alert, Count, Region, Rule, Watch
from streams.alerting.decision import AlertState, alerts_for, deliverable, escalation, quiet_until, record, release_at
from tests.streams.alert_factories import quetta_incident

NOW = dt.datetime(2016, 10, 25, 3, 0, tzinfo=dt.timezone.utc)
PAKISTAN = Watch(id="pk", name="Pakistan", region=Region(countries=["PK"]))


def step(incident, watch=PAKISTAN, state=None, now=NOW):
    """One update through the alerting decision: (alerts, state after recording them)."""
    alerts = alerts_for(incident, watch, state, now)
    return alerts, record(state, alerts)


def test_new_once_then_nothing_while_the_toll_stands():
    alerts, state = step(quetta_incident())
    assert [(a.kind, a.threshold) for a in alerts] == [("new", "match")]
    assert alerts[0].id == Alert.id_for("pk", "quetta-2016", "new", "match")
    assert alerts[0].incident_version == 1 and alerts[0].watch_name == "Pakistan"
    again, _ = step(quetta_incident(version=2), state=state)
    assert again == []


def test_escalation_when_the_toll_rises_by_half_and_by_five():
    _, state = step(quetta_incident())
    small, _ = step(quetta_incident(killed=Count(value=80), version=2), state=state)
    assert small == []
    [alert], state = step(quetta_incident(killed=Count(value=89), version=3), state=state)
    assert (alert.kind, alert.threshold) == ("escalation", "killed:89")
    assert alert.summary.endswith("(killed rose from 59 to 89)")
    assert step(quetta_incident(killed=Count(value=120), version=4), state=state)[0] == []


def test_a_rise_of_less_than_five_is_not_an_escalation():
    assert escalation("killed", 2, 4, 0) is None
    assert escalation("killed", 2, 7, 0) == ("killed:7", "killed rose from 2 to 7")
    assert escalation("injured", None, 5, 0) == ("injured:5", "injured rose from 0 to 5")
    assert escalation("killed", 59, None, 0) is None


def test_crossing_a_watch_minimum_not_reached_at_first_is_an_escalation():
    watch = Watch(id="toll", name="10 killed or 50 injured", region=Region(), rule=Rule(min_killed=10, min_injured=50))
    _, state = step(quetta_incident(killed=Count(value=12), injured=Count(value=3)), watch)
    [alert], state = step(quetta_incident(killed=Count(value=12), injured=Count(value=52), version=2), watch, state)
    assert alert.threshold == "injured>=50"
    assert "injured reached 52, past the watch's minimum of 50" in alert.summary
    assert step(quetta_incident(killed=Count(value=12), injured=Count(value=70), version=3), watch, state)[0] == []


def test_both_tolls_may_escalate_in_one_update():
    _, state = step(quetta_incident(killed=Count(value=10), injured=Count(value=10)))
    alerts, _ = step(quetta_incident(killed=Count(value=20), injured=Count(value=40), version=2), state=state)
    assert [a.threshold for a in alerts] == ["killed:20", "injured:40"]


def test_ids_are_the_same_for_every_worker_and_replay():
    first, _ = step(quetta_incident())
    replayed, _ = step(quetta_incident(), now=NOW + dt.timedelta(days=3))
    assert [a.id for a in first] == [a.id for a in replayed]
    assert first[0].created_at != replayed[0].created_at


def test_a_lost_state_reproduces_ids_the_alerts_index_refuses():
    _, state = step(quetta_incident())
    [escalated], _ = step(quetta_incident(killed=Count(value=89), version=2), state=state)
    new_again, _ = step(quetta_incident(killed=Count(value=89), version=2))
    assert new_again[0].id == Alert.id_for("pk", "quetta-2016", "new", "match")
    assert escalated.id == Alert.id_for("pk", "quetta-2016", "escalation", "killed:89")


def test_record_keeps_ids_and_the_tolls_last_told():
    alerts, state = step(quetta_incident())
    assert state.alert_ids == [alerts[0].id] and (state.killed, state.injured) == (59, 101)
    assert record(state, alerts).alert_ids == state.alert_ids


def throttled(minutes=30, **extra) -> Watch:
    return Watch(id="t", name="t", region=Region(), throttle_minutes=minutes, **extra)


def test_without_throttle_or_quiet_hours_alerts_go_at_once():
    alerts, state = step(quetta_incident())
    sent, state = deliverable(AlertState(), PAKISTAN, alerts, NOW)
    assert sent == alerts and state.delivered_at == NOW and state.pending == []


def test_throttle_holds_escalations_and_the_latest_per_toll_supersedes():
    watch = throttled()
    new, state = step(quetta_incident(), watch)
    sent, state = deliverable(state, watch, new, NOW)
    assert sent == new
    later = NOW + dt.timedelta(minutes=10)
    first, state = step(quetta_incident(killed=Count(value=90), version=2), watch, state, later)
    sent, state = deliverable(state, watch, first, later)
    assert sent == [] and state.pending == first
    second, state = step(quetta_incident(killed=Count(value=140), injured=Count(value=200), version=3), watch, state, later)
    sent, state = deliverable(state, watch, second, later)
    assert sent == [] and [a.threshold for a in state.pending] == ["killed:140", "injured:200"]
    due = release_at(state, watch, later)
    assert due == NOW + dt.timedelta(minutes=30)
    assert deliverable(state, watch, [], due - dt.timedelta(seconds=1))[0] == []
    sent, state = deliverable(state, watch, [], due)
    assert [a.threshold for a in sent] == ["killed:140", "injured:200"] and state.pending == [] and state.delivered_at == due


def test_quiet_hours_in_the_watch_time_zone():
    watch = throttled(0, quiet_hours=(22, 6), timezone="Asia/Karachi")  # UTC+5
    night = dt.datetime(2016, 10, 24, 18, 30, tzinfo=dt.timezone.utc)  # 23:30 in Quetta
    assert quiet_until(watch, night) == dt.datetime(2016, 10, 25, 1, 0, tzinfo=dt.timezone.utc)
    early = dt.datetime(2016, 10, 24, 23, 0, tzinfo=dt.timezone.utc)  # 04:00 in Quetta
    assert quiet_until(watch, early) == dt.datetime(2016, 10, 25, 1, 0, tzinfo=dt.timezone.utc)
    assert quiet_until(watch, dt.datetime(2016, 10, 25, 2, 0, tzinfo=dt.timezone.utc)) is None
    new, state = step(quetta_incident(), watch, now=night)
    sent, state = deliverable(state, watch, new, night)
    assert sent == [] and state.pending == new
    escalated, state = step(quetta_incident(killed=Count(value=100), version=2), watch, state, early)
    sent, state = deliverable(state, watch, escalated, early)
    assert sent == []
    sent, _ = deliverable(state, watch, [], release_at(state, watch, early))
    assert [a.kind for a in sent] == ["new", "escalation"]


def test_a_throttle_window_ending_in_quiet_hours_waits_for_the_morning():
    watch = throttled(60, quiet_hours=(1, 5))
    state = AlertState(delivered_at=dt.datetime(2016, 10, 25, 0, 30, tzinfo=dt.timezone.utc))
    assert release_at(state, watch, state.delivered_at) == dt.datetime(2016, 10, 25, 5, 0, tzinfo=dt.timezone.utc)
