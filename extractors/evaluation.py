"""Scores extraction results against labels, field by field, in two label conventions.

The dev sets (tests/data/devset/FORMAT.md) label every field, so every field is scored, an unlabelled city or
count must come out empty, and counts must match with their qualifier. The real-news corpus
(../shared/corpus/realnews/README.md, labels with a `kind`) labels only what its text determines, so it is
scored as its own scorer does: only labelled fields count, counts by value (0 is met by no count), a claim
when every claimed group is found, attack types when one agrees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from extractors.folding import fold_words
from extractors.groups import find_groups
from extractors.places import distance_km
from extractors.schema import Count, ExtractionResult, IncidentReport

CITY_RADIUS_KM = 25.0
MAIN_FIELDS = ("country", "city", "date", "killed", "injured")
TARGETS = {"detection_f1": 0.95, "city": 0.9, "date": 0.9, "killed": 0.9}


@dataclass
class Scores:
    """Counts behind every reported figure, so a table row can be traced to articles."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    main_total: int = 0
    main_scored: dict[str, int] = field(default_factory=lambda: {name: 0 for name in MAIN_FIELDS})
    main_correct: dict[str, int] = field(default_factory=lambda: {name: 0 for name in MAIN_FIELDS})
    claimed_total: int = 0
    claimed_found: int = 0
    attack_types_scored: int = 0
    attack_types_correct: int = 0
    background_total: int = 0
    background_promoted: int = 0
    prefilter_positives: int = 0
    prefilter_passed: int = 0
    mistakes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        detected = self.true_positive + self.false_positive
        actual = self.true_positive + self.false_negative
        precision = self.true_positive / detected if detected else 0.0
        recall = self.true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        main = {name: _ratio(self.main_correct[name], self.main_scored[name]) for name in MAIN_FIELDS}
        return {
            "articles": self.true_positive + self.false_positive + self.false_negative + self.true_negative,
            "detection_precision": round(precision, 3),
            "detection_recall": round(recall, 3),
            "detection_f1": round(f1, 3),
            **main,
            "main_incidents": self.main_total,
            "claimed_group_recall": _ratio(self.claimed_found, self.claimed_total),
            "attack_type_accuracy": _ratio(self.attack_types_correct, self.attack_types_scored),
            "background_incidents": self.background_total,
            "background_promoted_to_main": self.background_promoted,
            "prefilter_recall": _ratio(self.prefilter_passed, self.prefilter_positives),
            "scored": {**self.main_scored, "detection_f1": detected + self.false_negative,
                       "claimed_group_recall": self.claimed_total, "attack_type_accuracy": self.attack_types_scored,
                       "prefilter_recall": self.prefilter_positives},
            "mistakes": self.mistakes,
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def devset_label(label: dict) -> dict:
    """A label in the dev-set format, converted when it is a real-news label (which has a `kind`)."""
    if "kind" not in label:
        return label
    if label["kind"] != "attack":
        return {"id": label["id"], "is_attack_report": False, "main": None}
    main = {
        "country": label.get("country"), "admin1": label.get("admin1"), "city": label.get("city"),
        "lat": label.get("lat"), "lon": label.get("lon"), "date": label.get("incident_date"),
        "killed": _realnews_count(label, "killed"), "injured": _realnews_count(label, "injured"),
        "attack_types": label.get("attack_types") or [], "claimed": label.get("perpetrator_claimed") or [],
        "suspected": label.get("perpetrator_suspected") or [],
    }
    return {"id": label["id"], "is_attack_report": True, "main": main, "background": [], "labelled_only": True}


def _realnews_count(label: dict, name: str) -> dict | None:
    if label.get(name) is None:
        return None
    return {"value": label[name], "qualifier": label.get(f"{name}_qualifier")}


def evaluate(results: Mapping[str, ExtractionResult], labels: list[dict], prefilter_passed: set[str]) -> Scores:
    """Compare each label with the result of the same id; a missing result counts as "not an attack"."""
    scores = Scores()
    for label in map(devset_label, labels):
        result = results.get(label["id"]) or ExtractionResult(id=label["id"], is_attack_report=False)
        _score_detection(scores, label, result)
        if label["is_attack_report"]:
            scores.prefilter_positives += 1
            scores.prefilter_passed += label["id"] in prefilter_passed
        if label["is_attack_report"] and label.get("main"):
            _score_main(scores, label, result.main, labelled_only=label.get("labelled_only", False))
    return scores


def _score_detection(scores: Scores, label: dict, result: ExtractionResult) -> None:
    truth, predicted = label["is_attack_report"], result.is_attack_report
    if truth and predicted:
        scores.true_positive += 1
    elif predicted:
        scores.false_positive += 1
        scores.mistakes.setdefault("detection", []).append(f"{label['id']}: false positive")
    elif truth:
        scores.false_negative += 1
        scores.mistakes.setdefault("detection", []).append(f"{label['id']}: missed")
    else:
        scores.true_negative += 1


def _score_main(scores: Scores, label: dict, main: IncidentReport | None, labelled_only: bool) -> None:
    truth = label["main"]
    scores.main_total += 1
    checks = {
        "country": main is not None and main.location.country == truth.get("country"),
        "city": main is not None and city_matches(truth, main, labelled_only),
        "date": main is not None and _iso(main.date) == truth.get("date"),
        "killed": main is not None and counts_equal(truth.get("killed"), main.killed, labelled_only),
        "injured": main is not None and counts_equal(truth.get("injured"), main.injured, labelled_only),
    }
    unlabelled = {"city", "date", "killed", "injured"} - {name for name in checks if truth.get(name) is not None}
    for name, correct in checks.items():
        if labelled_only and name in unlabelled:
            continue
        scores.main_scored[name] += 1
        scores.main_correct[name] += correct
        if not correct:
            predicted = _describe(name, main)
            scores.mistakes.setdefault(name, []).append(f"{label['id']}: expected {truth.get(name)}, got {predicted}")
    claimed = {canonical_group(name) for name in truth.get("claimed") or []}
    found = {canonical_group(p.name) for p in main.perpetrators if p.role == "claimed"} if main else set()
    if labelled_only:
        scores.claimed_total += bool(claimed)
        scores.claimed_found += bool(claimed) and claimed <= found
    else:
        scores.claimed_total += len(claimed)
        scores.claimed_found += len(claimed & found)
    if claimed - found:
        scores.mistakes.setdefault("claimed", []).append(f"{label['id']}: expected {sorted(claimed)}, got {sorted(found)}")
    for background in label.get("background") or []:
        scores.background_total += 1
        if main is not None and is_promoted(background, truth, main):
            scores.background_promoted += 1
            scores.mistakes.setdefault("background", []).append(f"{label['id']}: {background} taken as main")
    expected_types, predicted_types = set(truth.get("attack_types") or []), set(main.attack_types) if main else set()
    if labelled_only and not expected_types:
        return
    scores.attack_types_scored += 1
    types_ok = bool(expected_types & predicted_types) if labelled_only else (main is not None and predicted_types == expected_types)
    scores.attack_types_correct += types_ok
    if not types_ok:
        scores.mistakes.setdefault("attack_types", []).append(
            f"{label['id']}: expected {sorted(expected_types)}, got {main.attack_types if main else None}")


def canonical_group(name: str) -> str:
    """A group's canonical name when the name starts with one of our aliases ("ISIS", "Islamic State's branch in
    Yemen"), else its folded form. An alias later in the name does not count: "Tehreek e Taliban" is not the Taliban.
    """
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    bare = re.sub(r"^the\s+", "", bare, flags=re.IGNORECASE)
    mentions = find_groups(bare)
    if mentions and mentions[0].start == 0:
        return mentions[0].name
    return _folded(bare)


def city_matches(truth: dict, main: IncidentReport, any_place_name: bool = False) -> bool:
    """Same city by name, or within 25 km of the labelled coordinates; no city when the label names none.

    any_place_name: a located place without a city (a village kept at its province's coordinates) may match by
    its name, as the real-news scorer reads it.
    """
    expected = truth.get("city")
    location = main.location
    found = (location.city or location.name) if any_place_name else location.city
    if expected is None:
        return found is None
    if found is None:
        return False
    if _folded(found) == _folded(expected):
        return True
    if None in (location.lat, location.lon, truth.get("lat"), truth.get("lon")):
        return False
    return distance_km(location.lat, location.lon, truth["lat"], truth["lon"]) <= CITY_RADIUS_KM


def counts_equal(truth: dict | None, predicted: Count | None, value_only: bool = False) -> bool:
    """Value and qualifier agree; with value_only, the value alone, and a true 0 is met by no count at all."""
    if value_only and truth is not None and truth["value"] == 0 and predicted is None:
        return True
    if truth is None or predicted is None:
        return truth is None and predicted is None
    return truth["value"] == predicted.value and (value_only or truth["qualifier"] == predicted.qualifier)


def is_promoted(background: dict, truth: dict, main: IncidentReport) -> bool:
    """The predicted main carries a recap's figure, date or city where the true main has a different one."""
    killed = background.get("killed")
    if killed and main.killed and main.killed.value == killed["value"] and not counts_equal(truth.get("killed"), main.killed):
        return True
    date = background.get("date")
    if date and main.date and main.date.isoformat().startswith(date) and _iso(main.date) != truth.get("date"):
        return True
    city = background.get("city")
    return bool(city and main.location.city and _folded(main.location.city) == _folded(city)
                and _folded(city) != _folded(truth.get("city") or ""))


def _folded(name: str) -> str:
    """Accents, case, apostrophes and punctuation ignored: "N’Djamena" = "N'Djamena", "al-Qudeeh" = "Al Qudeeh"."""
    return fold_words(name.replace("'", "").replace("’", ""))


def bcubed(clusters: Mapping[str, object], groups: Mapping[str, str]) -> dict:
    """B-cubed precision, recall and F1 of a clustering of the labelled ids; an id with no cluster is alone."""
    ids = list(groups)
    if not ids:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "groups": 0}
    cluster_of = {i: clusters.get(i, ("alone", i)) for i in ids}
    members: dict[object, list[str]] = {}
    for i in ids:
        members.setdefault(cluster_of[i], []).append(i)
    group_size = {g: sum(groups[i] == g for i in ids) for g in set(groups.values())}
    precision = sum(sum(groups[j] == groups[i] for j in members[cluster_of[i]]) / len(members[cluster_of[i]])
                    for i in ids) / len(ids)
    recall = sum(sum(groups[j] == groups[i] for j in members[cluster_of[i]]) / group_size[groups[i]]
                 for i in ids) / len(ids)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "groups": len(group_size)}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _describe(name: str, main: IncidentReport | None):
    if main is None:
        return "no main incident"
    if name in ("country", "city"):
        return getattr(main.location, name)
    if name == "date":
        return _iso(main.date)
    count = getattr(main, name)
    return count.model_dump() if count else None
