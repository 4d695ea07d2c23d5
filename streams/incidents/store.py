"""Open incidents per merge key over an injected key-value mapping, and recording one report into them.

The mapping is a dict in replay and a Faust Table in the merge agent (keyed, like its input topic, by merge
key, so one task owns every incident a report may join). Values are JSON and only ever assigned or
deleted, never mutated in place, so the changelog carries every change:
  "i:<incident id>"   the incident
  "k:<merge key>"     [[incident id, last update as epoch seconds, ISO day or null], ...]: the open incidents
An incident leaves the open set (and the mapping) once nothing has updated it for `open_for`. Parsed
incidents are memoised by id and version: a speed-up only, rebuilt from the mapping after a restart.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Literal

from extractors.schema import Incident, IncidentReport, stable_id
from streams.incidents.matching import DATE_WINDOW_DAYS, best_match, compatible
from streams.incidents.merge import ArticleRef, incident_id_for, merge, merge_key

MAX_ID_SUFFIX = 100
MAX_PARSED = 20_000
# How long an incident stays open for matching after its last update; stages that keep state per incident
# (alerting) keep it as long, since no report can change the incident after that.
OPEN_FOR = dt.timedelta(days=14)


@dataclass(frozen=True)
class MergeOutcome:
    """The incident a report went to, and what the report did to it.

    "counted before": the report's article is already a member, so the report is a redelivery (a crash came
    after the store kept the incident and before the incident was sent on) or a second report of one article
    about the same event. Either way the incident is sent on again: its version is unchanged, so the stages
    downstream take it as a repeat.
    """

    incident: Incident
    status: Literal["created", "updated", "unchanged", "counted before"]

    @property
    def to_send(self) -> bool:
        return self.status != "unchanged"


class IncidentStore:
    """The incidents still open for matching, per merge key; needs only get, `in`, assignment and `del` on `storage`."""

    def __init__(self, storage: MutableMapping[str, Any], open_for: dt.timedelta = OPEN_FOR,
                 max_open_per_key: int = 2000):
        if max_open_per_key < 1:
            raise ValueError(f"max_open_per_key must be at least 1, got {max_open_per_key}")
        self.storage = storage
        self.open_for = open_for
        self.max_open_per_key = max_open_per_key
        self._parsed: OrderedDict[str, tuple[int, str, Incident]] = OrderedDict()

    def get(self, incident_id: str) -> Incident | None:
        value = self.storage.get(f"i:{incident_id}")
        if value is None:
            return None
        cached = self._parsed.get(incident_id)
        if cached is not None and cached[:2] == (value["version"], value["last_updated"]):
            self._parsed.move_to_end(incident_id)
            return cached[2]
        incident = Incident.model_validate(value)
        self._parsed[incident_id] = (value["version"], value["last_updated"], incident)
        if len(self._parsed) > MAX_PARSED:
            self._parsed.popitem(last=False)
        return incident

    def open_incidents(self, key: str, now: dt.datetime, around: dt.date | None = None) -> list[Incident]:
        """The open incidents under `key`, oldest first; with `around`, only those whose day could be within the date window of it."""
        oldest = (now - self.open_for).timestamp()
        found = []
        for incident_id, updated, day in self.storage.get(f"k:{key}") or ():
            if updated < oldest or (around and day and abs((dt.date.fromisoformat(day) - around).days) > DATE_WINDOW_DAYS):
                continue
            incident = self.get(incident_id)
            if incident is not None:
                found.append(incident)
        return found

    def put(self, key: str, incident: Incident, now: dt.datetime) -> None:
        """Store the incident under `key`, and close the incidents of that key that have gone quiet."""
        oldest = (now - self.open_for).timestamp()
        others = sorted((entry for entry in self.storage.get(f"k:{key}") or () if entry[0] != incident.id),
                        key=lambda entry: (entry[1], entry[0]))
        fresh = [entry for entry in others if entry[1] >= oldest]
        kept = fresh[max(0, len(fresh) - self.max_open_per_key + 1):]
        kept_ids = {entry[0] for entry in kept}
        for closed_id, *_ in others:
            if closed_id not in kept_ids and f"i:{closed_id}" in self.storage:
                del self.storage[f"i:{closed_id}"]
                self._parsed.pop(closed_id, None)
        day = incident.date.isoformat() if incident.date and (incident.date_precision or "day") == "day" else None
        kept.append([incident.id, incident.last_updated.timestamp(), day])
        self.storage[f"i:{incident.id}"] = incident.model_dump(mode="json")
        self.storage[f"k:{key}"] = kept


def record_report(store: IncidentStore, report: IncidentReport, article: ArticleRef, now: dt.datetime) -> MergeOutcome:
    """Merge one report into the best-matching open incident, or open a new one.

    Safe to repeat: an article already counted in a compatible incident changes nothing, so a redelivered
    report does not create a second incident ("counted before").
    """
    key = merge_key(report)
    day_dated = report.date is not None and (report.date_precision or "day") == "day"
    candidates = store.open_incidents(key, now, around=report.date if day_dated else None)
    for incident in candidates:
        if article.id in incident.article_ids and compatible(incident, report):
            return MergeOutcome(incident, "counted before")
    best = best_match(candidates, report, article.published_on)
    if best is not None:
        merged = merge(best, report, article, now)
        if merged is best:
            return MergeOutcome(merged, "unchanged")
        store.put(key, merged, now)
        return MergeOutcome(merged, "updated")
    wanted = incident_id_for(report, article, now)
    opened = store.get(wanted)
    if opened is not None and article.id in opened.article_ids:
        # This report opened it, but the key's list lacks it: a crash came between the two writes of `put`.
        store.put(key, opened, now)
        return MergeOutcome(opened, "counted before")
    created = merge(None, report, article, now, incident_id=_free_id(store, wanted))
    store.put(key, created, now)
    return MergeOutcome(created, "created")


def _free_id(store: IncidentStore, wanted: str) -> str:
    """`wanted`, or a deterministic variant when a different open incident already has it (two events with the same
    key facts in one article)."""
    candidate = wanted
    for suffix in range(1, MAX_ID_SUFFIX + 1):
        if store.get(candidate) is None:
            return candidate
        candidate = stable_id(wanted, str(suffix))
    raise ValueError(f"{MAX_ID_SUFFIX} open incidents share the key facts of {wanted}; raise MAX_ID_SUFFIX or check the extractor")
