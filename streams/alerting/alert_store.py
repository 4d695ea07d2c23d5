"""The alerting stage's state, over injected mappings (Faust tables in the stream, dicts in replay and tests).

Key layout, both keyed by incident id (as the incidents topic, so each worker holds its own partitions):
  states        incident id -> {"updated": the incident's last update as epoch seconds,
                                "watches": {watch id: AlertState as JSON}}: what was decided, delivered and held
  text_matched  incident id -> sorted ids of the watches whose text query an article of the incident
                satisfied; later updates keep matching them, though their articles lack the words
An incident with either gets a `states` entry. Both keys go (`expire`) once the incident has not been
updated for `keep_for`, the incident store's window: after it no report can change the incident, so no
update will ask for its state again. Incident times are event times (`article_time`), so the clock that
expiry compares with is the latest update the store holds (`latest_update`), not the wall clock.
Values are only ever assigned or deleted, never mutated in place, so every change reaches a table's
changelog. An update is decided (`decision_on`, `release_decision`) and kept (`keep`) apart, so that its
alerts can go out in between (`AlertPublisher`, which holds the incident's lock across the three, so the two
alerting agents of one event loop never interleave on an incident).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, MutableMapping
from dataclasses import dataclass, field

from extractors.schema import Alert, Incident
from streams.alerting.decision import AlertState, deliverable, on_update, release_at
from streams.incidents.store import OPEN_FOR
from streams.watches.index import WatchIndex


@dataclass(frozen=True)
class Decision:
    """What one incident update (or release) decided: the alerts to send now, and the state to keep once they are
    out. Kept only after they are out, a crash in between decides them again, and the outbox turns the repeat
    into a no-op for an alert already delivered."""

    incident_id: str
    alerts: list[Alert]
    changed: dict[str, AlertState] = field(default_factory=dict)
    updated: dt.datetime | None = None  # the incident's last update, when the store tracks the incident
    text_matched: list[str] | None = None  # every text-matched watch, when the update brought new ones


class AlertStore:
    def __init__(self, states: MutableMapping[str, dict], text_matched: MutableMapping[str, list[str]],
                 summary_template: str | None = None, keep_for: dt.timedelta = OPEN_FOR):
        self.states = states
        self.text_matched = text_matched
        self.summary_template = summary_template
        self.keep_for = keep_for

    def decide(self, incident: Incident, watches: WatchIndex, text_matches: Collection[str], now: dt.datetime) -> list[Alert]:
        """One incident update, decided and kept at once: the alerts to send now (held ones stay until `release`)."""
        decision = self.decision_on(incident, watches, text_matches, now)
        self.keep(decision)
        return decision.alerts

    def decision_on(self, incident: Incident, watches: WatchIndex, text_matches: Collection[str],
                    now: dt.datetime) -> Decision:
        """One incident update, decided but not yet kept: the alerts to send now and the state to keep once they are out."""
        if incident.historical:
            return Decision(incident.id, [])
        known = self.text_matched.get(incident.id) or []
        matched_text = sorted({*known, *text_matches})
        changed, released = on_update(incident, watches.matching(incident, text_matched=matched_text),
                                      self._states(incident.id), now, self.summary_template)
        tracked = bool(changed or matched_text or incident.id in self.states)
        return Decision(incident.id, [alert for _, alert in released], changed,
                        incident.last_updated if tracked else None, matched_text if matched_text != known else None)

    def keep(self, decision: Decision) -> None:
        """The state a decision leads to, once its alerts are out."""
        if decision.text_matched is not None:
            self.text_matched[decision.incident_id] = decision.text_matched
        if decision.changed or decision.updated is not None:
            self._store(decision.incident_id, decision.changed, decision.updated)

    def held(self, watches: WatchIndex, now: dt.datetime) -> dict[str, dt.datetime]:
        """Incident id -> the earliest time (not before `now`) one of its held alerts may go out."""
        earliest: dict[str, dt.datetime] = {}
        for incident_id in list(self.states):
            for watch_id, state in self._states(incident_id).items():
                watch = watches.get(watch_id)
                if state.pending and watch is not None:
                    at = release_at(state, watch, now)
                    earliest[incident_id] = min(at, earliest.get(incident_id, at))
        return earliest

    def release(self, incident_id: str, watches: WatchIndex, now: dt.datetime) -> list[Alert]:
        """The held alerts of an incident that may go out at `now`, released and kept at once."""
        decision = self.release_decision(incident_id, watches, now)
        self.keep(decision)
        return decision.alerts

    def release_decision(self, incident_id: str, watches: WatchIndex, now: dt.datetime) -> Decision:
        """The held alerts of an incident that may go out at `now`, and its state without them once they are out.

        They carry the incident as it was when they were decided: nothing is sent on the incidents topic."""
        changed: dict[str, AlertState] = {}
        released: list[Alert] = []
        for watch_id, state in self._states(incident_id).items():
            watch = watches.get(watch_id)
            if state.pending and watch is not None:
                ready, after = deliverable(state, watch, [], now)
                if ready:
                    changed[watch_id] = after
                    released += ready
        return Decision(incident_id, released, changed)

    def latest_update(self) -> dt.datetime | None:
        """The latest incident update the store holds: the stream's clock for `expired` and `expire`."""
        latest = max((entry["updated"] for entry in self.states.values()), default=None)
        return None if latest is None else dt.datetime.fromtimestamp(latest, dt.timezone.utc)

    def expired(self, now: dt.datetime) -> list[str]:
        """The incidents whose state may go at `now`: not updated for `keep_for`."""
        oldest = (now - self.keep_for).timestamp()
        return [incident_id for incident_id, entry in list(self.states.items()) if entry["updated"] < oldest]

    def expire(self, incident_id: str, now: dt.datetime) -> bool:
        """Drop the incident's state and text matches if it has not been updated for `keep_for` at `now`.

        Alerts still held back go with it: a throttle window or quiet hours end long before, unless their
        watch was removed."""
        entry = self.states.get(incident_id)
        if entry is None or entry["updated"] >= (now - self.keep_for).timestamp():
            return False
        del self.states[incident_id]
        if incident_id in self.text_matched:
            del self.text_matched[incident_id]
        return True

    def _states(self, incident_id: str) -> dict[str, AlertState]:
        entry = self.states.get(incident_id) or {"watches": {}}
        return {watch_id: AlertState.model_validate(raw) for watch_id, raw in entry["watches"].items()}

    def _store(self, incident_id: str, changed: dict[str, AlertState], updated: dt.datetime | None = None) -> None:
        """Assign the entry with the changed states; `updated` moves the incident's last update forward (never back)."""
        stored = self.states.get(incident_id) or {"updated": 0.0, "watches": {}}
        entry = {"updated": max(stored["updated"], updated.timestamp() if updated else 0.0),
                 "watches": stored["watches"] | {watch_id: state.model_dump(mode="json") for watch_id, state in changed.items()}}
        if entry != stored:
            self.states[incident_id] = entry
