"""Deciding alerts for an incident that matches a watch, and when to deliver them.

One small record per (watch, incident), `AlertState`, remembers which alerts were decided and the toll they
reported, so that escalations compare against what the team was last told, not against the previous
update. Alert ids are deterministic (`Alert.id_for`), so even a lost or stale state cannot produce a second
alert with the same (watch, incident, kind, threshold): the alerts index refuses it (op_type=create).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, Field

from extractors.schema import Alert, Incident, Watch
from streams.alerting.text import DEFAULT_SUMMARY_TEMPLATE, summarize
from streams.watches.facts import lower_bound

TollField = Literal["killed", "injured"]
TOLL_FIELDS: tuple[TollField, ...] = ("killed", "injured")
RISE_FACTOR = 1.5
RISE_MINIMUM = 5


class AlertState(BaseModel):
    """What has been decided and delivered for one (watch, incident); JSON, so a Faust table can hold it."""

    alert_ids: list[str] = Field(default_factory=list)
    killed: int | None = None  # the tolls of the latest alert decided
    injured: int | None = None
    delivered_at: dt.datetime | None = None
    pending: list[Alert] = Field(default_factory=list)  # held back by the throttle window or quiet hours


def alerts_for(
    incident: Incident,
    watch: Watch,
    state: AlertState | None,
    now: dt.datetime,
    summary_template: str | None = None,
) -> list[Alert]:
    """The alerts an update of a matching incident calls for: `new` once, then `escalation`s as the toll grows.

    An escalation is due when a toll crosses one of the watch's minimums it had not reached before (a watch
    for "10 killed or 50 injured" that first fired on the deaths), or rises substantially: by half and by at
    least 5 over the last alerted figure. Call only with watches the incident matches (WatchIndex.matching).
    """
    state = state or AlertState()
    summary_template = summary_template or DEFAULT_SUMMARY_TEMPLATE
    sent = set(state.alert_ids)
    if Alert.id_for(watch.id, incident.id, "new", "match") not in sent:
        return [_alert("new", "match", "", incident, watch, now, summary_template)]
    current = {"killed": lower_bound(incident.killed), "injured": lower_bound(incident.injured)}
    minimums = {"killed": watch.rule.min_killed, "injured": watch.rule.min_injured}
    alerts = []
    for toll in TOLL_FIELDS:
        step = escalation(toll, getattr(state, toll), current[toll], minimums[toll])
        if step and Alert.id_for(watch.id, incident.id, "escalation", step[0]) not in sent:
            alerts.append(_alert("escalation", step[0], step[1], incident, watch, now, summary_template))
    return alerts


def escalation(toll: TollField, alerted: int | None, current: int | None, minimum: int) -> tuple[str, str] | None:
    """(threshold, change) when `current` is worth telling a team that was last told `alerted`, else None."""
    if current is None:
        return None
    before = alerted or 0
    if 0 < minimum <= current and before < minimum:
        return f"{toll}>={minimum}", f"{toll} reached {current}, past the watch's minimum of {minimum}"
    if current >= before * RISE_FACTOR and current >= before + RISE_MINIMUM:
        return f"{toll}:{current}", f"{toll} rose from {before} to {current}"
    return None


def _alert(kind: str, threshold: str, change: str, incident: Incident, watch: Watch, now: dt.datetime,
           template: str) -> Alert:
    return Alert(
        id=Alert.id_for(watch.id, incident.id, kind, threshold),
        kind=kind,
        watch_id=watch.id,
        watch_name=watch.name,
        incident_id=incident.id,
        incident_version=incident.version,
        threshold=threshold,
        summary=summarize(incident, template, change),
        incident=incident,
        created_at=now,
    )


def record(state: AlertState | None, alerts: list[Alert]) -> AlertState:
    """The state after deciding `alerts` (whether sent now, held back, or already sent by another worker)."""
    state = (state or AlertState()).model_copy(deep=True)
    for alert in alerts:
        if alert.id not in state.alert_ids:
            state.alert_ids.append(alert.id)
        for toll in TOLL_FIELDS:
            told = lower_bound(getattr(alert.incident, toll))
            if told is not None:
                setattr(state, toll, max(getattr(state, toll) or 0, told))
    return state


def quiet_until(watch: Watch, at: dt.datetime) -> dt.datetime | None:
    """The end of the watch's quiet hours when `at` falls inside them (hours are [start, end) in watch.timezone)."""
    if watch.quiet_hours is None:
        return None
    start, end = watch.quiet_hours
    local = at.astimezone(zoneinfo.ZoneInfo(watch.timezone))
    hour = local.hour
    inside = start <= hour < end if start < end else hour >= start or hour < end
    if not inside:
        return None
    end_day = local.date() + dt.timedelta(days=1 if hour >= end else 0)
    local_end = dt.datetime.combine(end_day, dt.time(end), tzinfo=local.tzinfo)
    return local_end.astimezone(dt.timezone.utc)


def release_at(state: AlertState, watch: Watch, now: dt.datetime) -> dt.datetime:
    """The earliest time an alert may go out: after the throttle window, and never inside quiet hours."""
    at = now
    if state.delivered_at is not None and watch.throttle_minutes:
        at = max(at, state.delivered_at + dt.timedelta(minutes=watch.throttle_minutes))
    return quiet_until(watch, at) or at


def _supersedes(alert: Alert, held: Alert) -> bool:
    return alert.kind == held.kind == "escalation" and _toll_of(alert.threshold) == _toll_of(held.threshold)


def _toll_of(threshold: str) -> str:
    return re.split(r"[:>]", threshold, maxsplit=1)[0]


def deliverable(state: AlertState, watch: Watch, alerts: list[Alert], now: dt.datetime) -> tuple[list[Alert], AlertState]:
    """Queue `alerts` and release the queue if allowed: (alerts to send now, new state).

    Nothing is dropped: a held-back escalation is only superseded by a later one for the same toll, which
    reports the newer figures. Call again with no alerts at `release_at(...)` to flush what was held back.
    """
    state = state.model_copy(deep=True)
    for alert in alerts:
        state.pending = [held for held in state.pending if held.id != alert.id and not _supersedes(alert, held)] + [alert]
    if not state.pending or release_at(state, watch, now) > now:
        return [], state
    released, state.pending, state.delivered_at = state.pending, [], now
    return released, state


def on_update(
    incident: Incident,
    matching: Iterable[Watch],
    states: Mapping[str, AlertState],
    now: dt.datetime,
    summary_template: str | None = None,
) -> tuple[dict[str, AlertState], list[tuple[Watch, Alert]]]:
    """One incident update against the watches it matches: (new state per watch id, alerts to send now)."""
    changed: dict[str, AlertState] = {}
    released: list[tuple[Watch, Alert]] = []
    for watch in matching:
        state = states.get(watch.id)
        decided = alerts_for(incident, watch, state, now, summary_template)
        ready, changed[watch.id] = deliverable(record(state, decided), watch, decided, now)
        released += [(watch, alert) for alert in ready]
    return changed, released
