"""The alerting stage's state, over injected mappings (Faust tables in the stream, dicts in replay and tests).

Key layout, both keyed by incident id (as the incidents topic, so each worker holds its own partitions):
  states        incident id -> {watch id: AlertState as JSON}: what was decided, delivered and held back
  text_matched  incident id -> sorted ids of the watches whose text query an article of the incident
                satisfied; later updates keep matching them, though their articles lack the words
Values are only ever assigned, never mutated in place, so every change reaches a table's changelog. No
method awaits between reading and writing a key, so two agents of one event loop never interleave there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, MutableMapping

from extractors.schema import Alert, Incident
from streams.alerting.decision import AlertState, deliverable, on_update, release_at
from streams.watches import WatchIndex


class AlertStore:
    def __init__(self, states: MutableMapping[str, dict], text_matched: MutableMapping[str, list[str]],
                 summary_template: str | None = None):
        self.states = states
        self.text_matched = text_matched
        self.summary_template = summary_template

    def decide(self, incident: Incident, watches: WatchIndex, text_matches: Collection[str], now: dt.datetime) -> list[Alert]:
        """One incident update: the alerts to send now (held ones stay in the state until `release`)."""
        if incident.historical:
            return []
        matched_text = self._remember_text_matches(incident.id, text_matches)
        current = self._states(incident.id)
        changed, released = on_update(incident, watches.matching(incident, text_matched=matched_text), current, now,
                                      self.summary_template)
        self._store(incident.id, changed)
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
        self._store(incident_id, changed)
        return released

    def _remember_text_matches(self, incident_id: str, arrived: Collection[str]) -> list[str]:
        known = self.text_matched.get(incident_id) or []
        if set(arrived) <= set(known):
            return known
        remembered = sorted({*known, *arrived})
        self.text_matched[incident_id] = remembered
        return remembered

    def _states(self, incident_id: str) -> dict[str, AlertState]:
        return {watch_id: AlertState.model_validate(raw) for watch_id, raw in (self.states.get(incident_id) or {}).items()}

    def _store(self, incident_id: str, changed: dict[str, AlertState]) -> None:
        if changed:
            stored = self.states.get(incident_id) or {}
            self.states[incident_id] = stored | {watch_id: state.model_dump(mode="json") for watch_id, state in changed.items()}
