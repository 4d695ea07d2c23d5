"""Human text for incidents and alerts from configurable templates.

A template names fields in braces, `{headline}`, and may put optional parts in square brackets:
`[: {tolls}]` is left out when any field inside it is empty, so a missing toll leaves no dangling colon.
Write `[[` and `]]` for literal brackets, as `{{` and `}}` are literal braces.
"""

from __future__ import annotations

import re
import string

from extractors.schema import Alert, Count, Incident
from streams.elasticsearch.documents import country_name

DEFAULT_SUMMARY_TEMPLATE = "{headline}[: {tolls}][; {responsibility}][ ({change})]"
DEFAULT_TEXT_TEMPLATE = "{kind_label} — {watch}: {summary}[ {url}]"
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
QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about "}
KIND_LABELS = {"new": "New incident", "escalation": "Escalation"}
INCIDENT_FIELDS = ("headline", "attack", "target", "place", "tolls", "killed", "injured", "responsibility",
                   "claimed_by", "suspected", "date", "incident_id", "url", "sources", "change")
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
    attack, target, place = _attack(incident), _target(incident), _place(incident)
    claimed = _names(incident, "claimed")
    suspected = _names(incident, "suspected")
    responsibility = "; ".join(
        part for part in (f"claimed by {claimed}" if claimed else "", f"suspected: {suspected}" if suspected else "") if part
    )
    killed, injured = _toll(incident.killed, "killed"), _toll(incident.injured, "injured")
    return {
        "headline": " ".join(part for part in (attack, target and f"at {target}", place and f"in {place}") if part),
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
        "sources": str(len(incident.source_urls or incident.article_ids)),
        "change": change,
    }


def _attack(incident: Incident) -> str:
    labels = [
        ("suicide " if incident.suicide and kind == "bombing" else "") + ATTACK_LABELS[kind]
        for kind in incident.attack_types
    ] or ["attack"]
    text = _and(labels)
    return text[0].upper() + text[1:]


def _target(incident: Incident) -> str:
    text = (incident.target.text or "").strip()
    if not text:
        return ""
    if text.split()[0].lower() in ("a", "an", "the"):
        return text
    return f"{'an' if text[0].lower() in 'aeiou' else 'a'} {text}"


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
