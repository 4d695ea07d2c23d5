"""Human text for incidents and alerts from configurable templates.

A template names fields in braces, `{headline}`, and may put optional parts in square brackets:
`[: {tolls}]` is left out when any field inside it is empty, so a missing toll leaves no dangling colon.
Write `[[` and `]]` for literal brackets, as `{{` and `}}` are literal braces.

Alerts are written in English whatever the language of the articles: every word of the summary comes from
structured fields (types, counts, gazetteer names, canonical group names). The one free text it may quote,
the target's words, is used only when they are English and name a place or thing; otherwise the kind of
target stands in. What the articles said in their own words travels beside it: `original_titles` and
`evidence`, each line in a language other than English marked with its code ("[fr] ...").
"""

from __future__ import annotations

import re
import string

from extractors.schema import Alert, Count, Evidence, Incident, Title
from streams.elasticsearch.documents import country_name

DEFAULT_SUMMARY_TEMPLATE = "{headline}[: {tolls}][; {responsibility}][ ({change})]"
DEFAULT_TEXT_TEMPLATE = "{kind_label} — {watch}: {summary}[ {url}][ — original title: {original_titles}]"
DEFAULT_SUBJECT_TEMPLATE = "[[newswatch]] {kind_label}: {headline}"

ATTACK_LABELS = {
    "assassination": "assassination",
    "armed_assault": "armed assault",
    "bombing": "bombing",
    "hijacking": "hijacking",
    "hostage_barricade": "hostage-taking",
    "kidnapping": "kidnapping",
    "facility_attack": "attack on a facility",
    "unarmed_assault": "unarmed assault",
    "unknown": "attack",
}
# What a target is, in English, for an incident whose target words are in another language ("targeting civilians").
TARGET_TYPE_LABELS = {
    "civilians": "civilians",
    "military": "the military",
    "police": "the police",
    "government": "government",
    "business": "a business",
    "religious": "a place of worship",
    "educational": "a school",
    "transport": "transport",
    "journalists": "journalists",
    "diplomatic": "diplomats",
    "utilities": "utilities",
    "tourists": "tourists",
    "ngo": "aid workers",
    "unknown": "",
}
ALERT_LANGUAGE = "en"
MAX_EVIDENCE_LINES = 3
DATELINE_DASHES = "-–— "  # what a sentence right after a dateline may start with ("NIAMEY, 4 février -- Neuf civils")
QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about "}
KIND_LABELS = {"new": "New incident", "escalation": "Escalation"}
INCIDENT_FIELDS = ("headline", "attack", "target", "place", "tolls", "killed", "injured", "responsibility",
                   "claimed_by", "suspected", "date", "incident_id", "url", "sources", "change", "original_titles",
                   "evidence")
ALERT_FIELDS = INCIDENT_FIELDS + ("summary", "kind", "kind_label", "watch", "watch_id", "threshold", "alert_id")

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SPACES = re.compile(r"[ \t]+")
_LITERAL_BRACKETS = {"[[": "\x00", "]]": "\x01"}


class TemplateError(ValueError):
    """A template that names a field we do not have; the message lists the ones we do."""


def check_template(template: str, fields: tuple[str, ...] = ALERT_FIELDS) -> str:
    """Fail at start-up, not at the first alert, when a template has a typo."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise TemplateError(f"template {template!r}: {error}") from error
    unknown = names - set(fields)
    if unknown:
        raise TemplateError(f"template {template!r} uses unknown field(s) {sorted(unknown)}; available: {', '.join(fields)}")
    return template


def render(template: str, fields: dict[str, str]) -> str:
    def optional(match: re.Match) -> str:
        part = match.group(1)
        names = [name for _, name, _, _ in string.Formatter().parse(part) if name]
        return part.format_map(fields) if all(fields.get(name) for name in names) else ""

    for literal, placeholder in _LITERAL_BRACKETS.items():
        template = template.replace(literal, placeholder)
    text = _SPACES.sub(" ", _OPTIONAL.sub(optional, template).format_map(fields)).strip()
    for literal, placeholder in _LITERAL_BRACKETS.items():
        text = text.replace(placeholder, literal[0])
    return text


def summarize(incident: Incident, template: str = DEFAULT_SUMMARY_TEMPLATE, change: str = "") -> str:
    """One line an ops team can act on: what, where, how many, who."""
    return render(template, incident_fields(incident, change))


def alert_fields(alert: Alert) -> dict[str, str]:
    return {
        **incident_fields(alert.incident),
        "summary": alert.summary,
        "kind": alert.kind,
        "kind_label": KIND_LABELS[alert.kind],
        "watch": alert.watch_name,
        "watch_id": alert.watch_id,
        "threshold": alert.threshold,
        "alert_id": alert.id,
    }


def incident_fields(incident: Incident, change: str = "") -> dict[str, str]:
    attack, place = _attack(incident), _place(incident)
    target, target_phrase = _target(incident)
    claimed = _names(incident, "claimed")
    suspected = _names(incident, "suspected")
    responsibility = "; ".join(
        part for part in (f"claimed by {claimed}" if claimed else "", f"suspected: {suspected}" if suspected else "") if part
    )
    killed, injured = _toll(incident.killed, "killed"), _toll(incident.injured, "injured")
    return {
        "headline": " ".join(part for part in (attack, target_phrase, place and f"in {place}") if part),
        "attack": attack,
        "target": target,
        "place": place,
        "tolls": ", ".join(part for part in (killed, injured) if part),
        "killed": killed,
        "injured": injured,
        "responsibility": responsibility,
        "claimed_by": claimed,
        "suspected": suspected,
        "date": incident.date.isoformat() if incident.date else "",
        "incident_id": incident.id,
        "url": incident.source_urls[0] if incident.source_urls else "",
        "sources": str(incident.article_count),
        "change": change,
        "original_titles": " | ".join(marked(t.text, t.language) for t in original_titles(incident.titles)),
        "evidence": "\n".join(evidence_lines(incident.evidence)),
    }


def marked(text: str, language: str | None) -> str:
    """The text, with its language code in front when it is not the alerts' language ("[fr] ...")."""
    return text if language in (None, ALERT_LANGUAGE) else f"[{language}] {text}"


def original_titles(titles: list[Title]) -> list[Title]:
    """The titles of the incident's articles in languages other than the alerts' (an English title says no more
    than the summary)."""
    return [title for title in titles if title.language not in (None, ALERT_LANGUAGE)]


def evidence_lines(evidence: list[Evidence], limit: int = MAX_EVIDENCE_LINES) -> list[str]:
    """The first `limit` distinct evidence sentences, each marked with its language when not the alerts'."""
    sentences = dict.fromkeys((" ".join(e.sentence.split()).lstrip(DATELINE_DASHES), e.language) for e in evidence)
    return [marked(sentence, language) for sentence, language in list(sentences)[:limit]]


def _attack(incident: Incident) -> str:
    labels = [
        ("suicide " if incident.suicide and kind == "bombing" else "") + ATTACK_LABELS[kind]
        for kind in incident.attack_types
    ] or ["attack"]
    text = _and(labels)
    return text[0].upper() + text[1:]


def _target(incident: Incident) -> tuple[str, str]:
    """(the target, its phrase in the headline): the article's words when they are English and name a place or thing
    ("at a police training college"), else the kind of target ("targeting civilians"), never English grammar around
    words of another language."""
    target = incident.target
    text = (target.text or "").strip()
    if target.language not in (None, ALERT_LANGUAGE) or text[:1].isdigit():  # "25 civilians": people, counted
        label = TARGET_TYPE_LABELS[target.type]
        return label, label and f"targeting {label}"
    if not text:
        return "", ""
    if text.split()[0].lower() not in ("a", "an", "the"):
        text = f"{'an' if text[0].lower() in 'aeiou' else 'a'} {text}"
    return text, f"at {text}"


def _place(incident: Incident) -> str:
    location = incident.location
    parts: list[str] = []
    for part in (location.city or location.name, location.admin1, country_name(location.country) or location.country):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts)


def _toll(count: Count | None, what: str) -> str:
    if count is None:
        return ""
    return f"{QUALIFIER_WORDS[count.qualifier]}{count.value} {what}"


def _names(incident: Incident, role: str) -> str:
    return _and(list(dict.fromkeys(p.name for p in incident.perpetrators if p.role == role)))


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
