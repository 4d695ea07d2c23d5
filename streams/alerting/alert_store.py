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
changelog. No method awaits between reading and writing a key, so two agents of one event loop never
interleave there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, MutableMapping

from extractors.schema import Alert, Incident
from streams.alerting.decision import AlertState, deliverable, on_update, release_at
from streams.incidents.store import OPEN_FOR
from streams.watches.index import WatchIndex


class AlertStore:
    def __init__(self, states: MutableMapping[str, dict], text_matched: MutableMapping[str, list[str]],
                 summary_template: str | None = None, keep_for: dt.timedelta = OPEN_FOR):
        self.states = states
        self.text_matched = text_matched
        self.summary_template = summary_template
        self.keep_for = keep_for

    def decide(self, incident: Incident, watches: WatchIndex, text_matches: Collection[str], now: dt.datetime) -> list[Alert]:
        """One incident update: the alerts to send now (held ones stay in the state until `release`)."""
        if incident.historical:
            return []
        matched_text = self._remember_text_matches(incident.id, text_matches)
        current = self._states(incident.id)
        changed, released = on_update(incident, watches.matching(incident, text_matched=matched_text), current, now,
                                      self.summary_template)
        if changed or matched_text or incident.id in self.states:
            self._store(incident.id, changed, incident.last_updated)
        return [alert for _, alert in released]

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
        """The held alerts of an incident that may go out at `now`, taken out of its state.

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
        if changed:
            self._store(incident_id, changed)
        return released

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

    def _remember_text_matches(self, incident_id: str, arrived: Collection[str]) -> list[str]:
        known = self.text_matched.get(incident_id) or []
        if set(arrived) <= set(known):
            return known
        remembered = sorted({*known, *arrived})
        self.text_matched[incident_id] = remembered
        return remembered

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
