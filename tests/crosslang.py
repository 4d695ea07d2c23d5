"""The cross-language merge material (tests/data/crosslang: one attack reported in French and in English is one
incident; another attack the same day elsewhere in the same country stays apart), and the checks the replay and
the integration tests both make on it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from extractors.schema import Alert
from streams.alerting.text import alert_fields
from streams.elasticsearch.documents import country_name

CROSSLANG = Path(__file__).resolve().parent / "data" / "crosslang"
ARTICLES = CROSSLANG / "crosslang-articles.jsonl"
LABELS = CROSSLANG / "crosslang-labels.jsonl"
# One watch per country of the material, so every incident placed in one of them is alerted on.
WATCHED_COUNTRIES = ("BF", "NE", "CD")
WATCHES = "watches:\n" + "".join(f"  - {{id: {code}, name: {code}, region: {{countries: [{code}]}}, sinks: [log]}}\n"
                                 for code in WATCHED_COUNTRIES)
ARTICLE_KEYS = ("id", "url", "title", "published", "text")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def articles() -> dict[str, dict]:
    return {record["id"]: record for record in _records(ARTICLES)}


def write_articles(path: Path) -> Path:
    """The articles as plain article records (the corpus format's labels left out), for ingest and replay."""
    lines = (json.dumps({key: record[key] for key in ARTICLE_KEYS}, ensure_ascii=False) for record in articles().values())
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def groups() -> dict[str, list[str]]:
    """The labelled incidents: their sorted article ids by group."""
    members: dict[str, list[str]] = {}
    for label in _records(LABELS):
        members.setdefault(label["group"], []).append(label["id"])
    return {group: sorted(ids) for group, ids in members.items()}


def check_merging(incidents: list[dict]) -> None:
    """Each labelled attack is one news incident, and no incident holds articles of two attacks. `incidents` are
    Incident records."""
    found = [sorted(incident["article_ids"]) for incident in incidents if not incident["historical"]]
    group_of = {article: group for group, ids in groups().items() for article in ids}
    for ids in found:
        assert len({group_of[article] for article in ids}) == 1, f"one incident holds articles of two attacks: {ids}"
    for group, ids in groups().items():
        assert ids in found, f"{group}: {ids} should be one incident; incidents: {found}"


def french_words_in_summary(alert: Alert) -> set[str]:
    """Words of the alert's summary found in its French articles, besides the names of places and groups: the
    summary must be English built from fields, with the French words only in the quoted title and evidence."""
    french = " ".join(articles()[title.article_id]["text"] + " " + title.text
                      for title in alert.incident.titles if title.language == "fr")
    incident = alert.incident
    location = incident.location
    names = [location.name, location.city, location.admin1, country_name(location.country),
             *(p.name for p in incident.perpetrators)]
    allowed = {word.lower() for name in names if name for word in _WORD.findall(name)}
    found = {word.lower() for word in _WORD.findall(alert.summary)} & {word.lower() for word in _WORD.findall(french)}
    return found - allowed


def check_french_alert(alert: Alert) -> None:
    """An alert on an incident with a French article: English summary, the French title and sentences marked."""
    fields = alert_fields(alert)
    assert any(t.language == "fr" for t in alert.incident.titles), alert.incident.titles
    assert fields["original_titles"].startswith("[fr] "), fields["original_titles"]
    assert any(line.startswith("[fr] ") for line in fields["evidence"].splitlines()), fields["evidence"]
    assert french_words_in_summary(alert) == set(), alert.summary
