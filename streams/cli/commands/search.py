"""`newswatch search`: recent incidents from Elasticsearch, filtered by place, attack type, group and age."""

from __future__ import annotations

import json
import re
import sys

_RELATIVE = re.compile(r"^\d+[mhdw]$")
_ABSOLUTE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")
COLUMNS = ("UPDATED", "DATE", "PLACE", "TYPES", "KILLED", "INJURED", "GROUPS", "ID")


def register(subparsers) -> None:
    parser = subparsers.add_parser("search", help="recent incidents as a table")
    parser.add_argument("--country", help="ISO 3166-1 alpha-2 code, e.g. PK")
    parser.add_argument("--admin1", help="province or state, e.g. Balochistan (case-insensitive)")
    parser.add_argument("--type", dest="attack_type", help="attack type, e.g. bombing, armed_assault")
    parser.add_argument("--group", help="perpetrator, claimed or suspected (case-insensitive)")
    parser.add_argument("--since", default="7d", help="age (30m, 24h, 7d, 2w) or a date (2016-10-24); default 7d")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the incidents as JSON Lines instead")
    parser.set_defaults(handler=run)


def since_bound(since: str) -> str:
    """Elasticsearch date math for an age (`24h` -> `now-24h`), or the date itself."""
    if _RELATIVE.match(since):
        return f"now-{since}"
    if _ABSOLUTE.match(since):
        return since
    raise ValueError(f"--since {since!r}: give an age such as 30m, 24h, 7d, 2w, or a date such as 2016-10-24")


def incident_query(country: str | None = None, admin1: str | None = None, attack_type: str | None = None,
                   group: str | None = None, since: str = "7d") -> dict:
    filters: list[dict] = [{"range": {"incident.last_updated": {"gte": since_bound(since)}}}]
    if country:
        filters.append({"term": {"geo.country_iso_code": country.upper()}})
    if admin1:
        filters.append({"term": {"geo.region_name": {"value": admin1, "case_insensitive": True}}})
    if attack_type:
        filters.append({"term": {"incident.attack_types": attack_type}})
    if group:
        filters.append({"term": {"incident.perpetrators": {"value": group, "case_insensitive": True}}})
    return {"bool": {"filter": filters}}


def incident_row(source: dict) -> tuple[str, ...]:
    incident, geo = source.get("incident") or {}, source.get("geo") or {}
    place = ", ".join(part for part in (geo.get("city_name"), geo.get("region_name"), geo.get("country_iso_code")) if part)
    return (
        (incident.get("last_updated") or "")[:16].replace("T", " "),
        incident.get("date") or "",
        place or "?",
        ", ".join(incident.get("attack_types") or []),
        _toll(incident, "killed"),
        _toll(incident, "injured"),
        ", ".join(incident.get("perpetrators") or []),
        incident.get("id") or "",
    )


def _toll(incident: dict, name: str) -> str:
    value = incident.get(name)
    if value is None:
        return "-"
    return {"at_least": "≥", "more_than": ">", "about": "~"}.get(incident.get(f"{name}_qualifier"), "") + str(value)


def run(args) -> int:
    from elasticsearch import Elasticsearch

    from streams.elasticsearch.client import settings_client_options
    from streams.settings import Settings
    from streams.terminal_tables import format_table

    settings = Settings()
    try:
        query = incident_query(args.country, args.admin1, args.attack_type, args.group, args.since)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    index = settings.elasticsearch.index("incidents")
    client = Elasticsearch(**settings_client_options(settings.elasticsearch))
    if not client.indices.exists(index=index):
        print(f"no index {index} yet: start a worker and ingest articles first", file=sys.stderr)
        return 1
    response = client.search(index=index, query=query, size=args.limit, sort=[{"incident.last_updated": "desc"}],
                             source_excludes=["incident.record", "incident.evidence"])
    hits = response["hits"]["hits"]
    if args.json:
        for hit in hits:
            print(json.dumps(hit["_source"], ensure_ascii=False))
        return 0
    if not hits:
        print("no incidents match")
        return 0
    print(format_table(COLUMNS, [incident_row(hit["_source"]) for hit in hits]))
    return 0
