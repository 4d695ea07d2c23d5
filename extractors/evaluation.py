"""Scores extraction results against dev-set labels (tests/data/devset/FORMAT.md), field by field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

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
    main_correct: dict[str, int] = field(default_factory=lambda: {name: 0 for name in MAIN_FIELDS})
    claimed_total: int = 0
    claimed_found: int = 0
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
        main = {name: _ratio(self.main_correct[name], self.main_total) for name in MAIN_FIELDS}
        return {
            "articles": self.true_positive + self.false_positive + self.false_negative + self.true_negative,
            "detection_precision": round(precision, 3),
            "detection_recall": round(recall, 3),
            "detection_f1": round(f1, 3),
            **main,
            "main_incidents": self.main_total,
            "claimed_group_recall": _ratio(self.claimed_found, self.claimed_total),
            "attack_type_accuracy": _ratio(self.attack_types_correct, self.main_total),
            "background_incidents": self.background_total,
            "background_promoted_to_main": self.background_promoted,
            "prefilter_recall": _ratio(self.prefilter_passed, self.prefilter_positives),
            "mistakes": self.mistakes,
        }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def evaluate(results: dict[str, ExtractionResult], labels: list[dict], prefilter_passed: set[str]) -> Scores:
    """Compare each label with the result of the same id; a missing result counts as "not an attack"."""
    scores = Scores()
    for label in labels:
        result = results.get(label["id"]) or ExtractionResult(id=label["id"], is_attack_report=False)
        _score_detection(scores, label, result)
        if label["is_attack_report"]:
            scores.prefilter_positives += 1
            scores.prefilter_passed += label["id"] in prefilter_passed
        if label["is_attack_report"] and label.get("main"):
            _score_main(scores, label, result.main)
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


def _score_main(scores: Scores, label: dict, main: IncidentReport | None) -> None:
    truth = label["main"]
    scores.main_total += 1
    checks = {
        "country": main is not None and main.location.country == truth.get("country"),
        "city": main is not None and city_matches(truth, main),
        "date": main is not None and _iso(main.date) == truth.get("date"),
        "killed": main is not None and counts_equal(truth.get("killed"), main.killed),
        "injured": main is not None and counts_equal(truth.get("injured"), main.injured),
    }
    for name, correct in checks.items():
        scores.main_correct[name] += correct
        if not correct:
            predicted = _describe(name, main)
            scores.mistakes.setdefault(name, []).append(f"{label['id']}: expected {truth.get(name)}, got {predicted}")
    claimed = set(truth.get("claimed") or [])
    found = {p.name for p in main.perpetrators if p.role == "claimed"} if main else set()
    scores.claimed_total += len(claimed)
    scores.claimed_found += len(claimed & found)
    types_ok = main is not None and set(main.attack_types) == set(truth.get("attack_types") or [])
    scores.attack_types_correct += types_ok
    if not types_ok:
        scores.mistakes.setdefault("attack_types", []).append(
            f"{label['id']}: expected {sorted(truth.get('attack_types') or [])}, got {main.attack_types if main else None}")
    for background in label.get("background") or []:
        scores.background_total += 1
        if main is not None and is_promoted(background, truth, main):
            scores.background_promoted += 1
            scores.mistakes.setdefault("background", []).append(f"{label['id']}: {background} taken as main")


def city_matches(truth: dict, main: IncidentReport) -> bool:
    """Same city by name, or within 25 km of the labelled coordinates; no city when the label names none."""
    expected = truth.get("city")
    location = main.location
    if expected is None:
        return location.city is None
    if location.city is None:
        return False
    if _folded(location.city) == _folded(expected):
        return True
    if None in (location.lat, location.lon, truth.get("lat"), truth.get("lon")):
        return False
    return distance_km(location.lat, location.lon, truth["lat"], truth["lon"]) <= CITY_RADIUS_KM


def counts_equal(truth: dict | None, predicted: Count | None) -> bool:
    if truth is None or predicted is None:
        return truth is None and predicted is None
    return truth["value"] == predicted.value and truth["qualifier"] == predicted.qualifier


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
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("-", " ")


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


def format_table(summary: dict) -> str:
    """The scores as an aligned two-column table, with the four targets marked."""
    rows = [
        ("articles", summary["articles"]),
        ("detection precision", summary["detection_precision"]),
        ("detection recall", summary["detection_recall"]),
        ("detection F1", summary["detection_f1"]),
        ("prefilter recall (attack articles kept)", summary["prefilter_recall"]),
        ("main incidents scored", summary["main_incidents"]),
        ("country accuracy", summary["country"]),
        ("city accuracy (name or <= 25 km)", summary["city"]),
        ("date accuracy", summary["date"]),
        ("killed exact", summary["killed"]),
        ("injured exact", summary["injured"]),
        ("claimed-group recall", summary["claimed_group_recall"]),
        ("attack-type accuracy (exact set)", summary["attack_type_accuracy"]),
        ("background incidents", summary["background_incidents"]),
        ("background promoted to main", summary["background_promoted_to_main"]),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{'field'.ljust(width)}  score", f"{'-' * width}  -----"]
    lines += [f"{name.ljust(width)}  {value}" for name, value in rows]
    return "\n".join(lines)
