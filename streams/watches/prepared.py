"""A watch made ready for matching: what pydantic cannot check (codes, geometry, ranges, time zones) checked,
its region and rule built into the sets, shapes and queries that matching tests, and `explain`, which says
condition by condition why a watch matches an incident or not."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

import pycountry
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from extractors.folding import fold_words
from extractors.schema import Incident, Watch
from streams.watches.errors import WatchError
from streams.watches.facts import IncidentFacts, meets_toll_minimums
from streams.watches.geometry import Circle, region_circle, region_shapes
from streams.watches.text_query import QueryError, TextQuery


@dataclass(frozen=True)
class PreparedRule:
    watch_id: str
    min_killed: int
    min_injured: int
    attack_types: frozenset[str]
    perpetrators: frozenset[str]
    query: TextQuery | None

    def tolls_ok(self, facts: IncidentFacts) -> bool:
        return meets_toll_minimums(self.min_killed, self.min_injured, facts.killed, facts.injured)

    def types_ok(self, facts: IncidentFacts) -> bool:
        return not self.attack_types or bool(self.attack_types & facts.attack_types)

    def perpetrators_ok(self, facts: IncidentFacts) -> bool:
        return not self.perpetrators or bool(self.perpetrators & facts.perpetrators)

    def text_ok(self, facts: IncidentFacts) -> bool:
        return self.query is None or self.watch_id in facts.text_matched or self.query.matches(facts.searchable_text)

    @cached_property
    def _checks(self) -> tuple[Callable[[IncidentFacts], bool], ...]:
        """Only the conditions this rule has, so a rule with one condition costs one call per candidate incident."""
        wanted = (
            (self.min_killed > 0 or self.min_injured > 0, self.tolls_ok),
            (bool(self.attack_types), self.types_ok),
            (bool(self.perpetrators), self.perpetrators_ok),
            (self.query is not None, self.text_ok),
        )
        return tuple(check for present, check in wanted if present)

    def passes(self, facts: IncidentFacts) -> bool:
        for check in self._checks:
            if not check(facts):
                return False
        return True

    def explain(self, facts: IncidentFacts) -> list[tuple[bool, str]]:
        lines: list[tuple[bool, str]] = []
        minimums = [f"{name} >= {value}" for name, value in (("killed", self.min_killed), ("injured", self.min_injured)) if value > 0]
        if minimums:
            lines.append((self.tolls_ok(facts), f"toll {' or '.join(minimums)} (incident, lower bounds: killed {_or_unknown(facts.killed)}, injured {_or_unknown(facts.injured)})"))
        if self.attack_types:
            lines.append((self.types_ok(facts), f"attack type in {_listed(self.attack_types)} (incident: {_listed(facts.attack_types)})"))
        if self.perpetrators:
            lines.append((self.perpetrators_ok(facts), f"perpetrator in {_listed(self.perpetrators)} (incident: {_listed(facts.perpetrators)})"))
        if self.query is not None:
            found = ("matched an article of the incident when it was extracted" if self.watch_id in facts.text_matched
                     else self.query.describe(facts.searchable_text))
            lines.append((self.text_ok(facts), f"text query: {found}"))
        return lines or [(True, "no conditions")]


@dataclass(frozen=True)
class PreparedWatch:
    watch: Watch
    countries: frozenset[str]
    admin1: frozenset[tuple[str | None, str]]  # (country or None, folded name)
    shapes: tuple[tuple[str, BaseGeometry], ...]  # polygons and boxes, with a label for explanations
    circle: Circle | None
    rule: PreparedRule

    @property
    def anywhere(self) -> bool:
        return not (self.countries or self.admin1 or self.shapes or self.circle)

    def region_lines(self, facts: IncidentFacts) -> list[tuple[bool, str]]:
        if self.anywhere:
            return [(True, "anywhere (the watch names no region)")]
        lines: list[tuple[bool, str]] = []
        if self.countries:
            lines.append((facts.country in self.countries, f"country in {_listed(self.countries)} (incident: {_or_unknown(facts.country)})"))
        if self.admin1:
            wanted = _listed(f"{c}/{n}" if c else n for c, n in self.admin1)
            lines.append((bool(self.admin1 & admin1_keys(facts)), f"admin1 in {wanted} (incident: {_or_unknown(facts.admin1)})"))
        geometric = [(label, None) for label, _ in self.shapes] + ([("circle", self.circle)] if self.circle else [])
        if geometric and facts.point is None:
            lines += [(False, f"{label}: needs a city-level location (incident precision: {_or_unknown(facts.precision)})") for label, _ in geometric]
            return lines
        for label, geometry in self.shapes:
            lat, lon = facts.point or (0, 0)
            inside = geometry.intersects(Point(lon, lat))
            lines.append((inside, f"{label}: ({lat:.4f}, {lon:.4f}) is {'inside' if inside else 'outside'}"))
        if self.circle and facts.point:
            distance = self.circle.distance_km(facts.point)
            lines.append((distance <= self.circle.km, f"within {self.circle.km:g} km of ({self.circle.lat}, {self.circle.lon}): {distance:.1f} km away"))
        return lines


def admin1_keys(facts: IncidentFacts) -> set[tuple[str | None, str]]:
    return {(None, facts.admin1), (facts.country, facts.admin1)} if facts.admin1 else set()


def _listed(values: Iterable[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def _or_unknown(value: object) -> str:
    return "unknown" if value is None else str(value)


def prepare(watch: Watch) -> PreparedWatch:
    """Validate what pydantic cannot (codes, geometry, ranges) and build the shapes matching uses."""
    _check_delivery(watch)
    region, rule = watch.region, watch.rule
    return PreparedWatch(
        watch=watch,
        countries=frozenset(_country_code(code) for code in region.countries),
        admin1=frozenset(_admin1_key(name) for name in region.admin1),
        shapes=tuple(region_shapes(region.geojson, region.bbox)),
        circle=region_circle(region.point, region.radius_km),
        rule=PreparedRule(
            watch_id=watch.id,
            min_killed=rule.min_killed,
            min_injured=rule.min_injured,
            attack_types=frozenset(rule.attack_types),
            perpetrators=frozenset(fold_words(name) for name in rule.perpetrators),
            query=_query(rule.text_query),
        ),
    )


def _check_delivery(watch: Watch) -> None:
    if not watch.sinks:
        raise WatchError("sinks: empty; name at least one sink (e.g. [log])")
    if watch.quiet_hours is not None and (
        not all(0 <= hour <= 23 for hour in watch.quiet_hours) or watch.quiet_hours[0] == watch.quiet_hours[1]
    ):
        raise WatchError(f"quiet_hours: {list(watch.quiet_hours)} is not [start, end], two different hours 0-23; write [22, 6] for 22:00-06:00")
    try:
        zoneinfo.ZoneInfo(watch.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise WatchError(f"timezone: {watch.timezone!r} is not an IANA time zone (e.g. Asia/Karachi, UTC)") from error


def _country_code(code: str) -> str:
    upper = code.strip().upper()
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper):
        return upper
    try:
        suggestion = f"; did you mean {pycountry.countries.lookup(code).alpha_2!r}?"
    except LookupError:
        suggestion = ""
    raise WatchError(f"region.countries: {code!r} is not an ISO 3166-1 alpha-2 code{suggestion}")


def _admin1_key(name: str) -> tuple[str | None, str]:
    """`Balochistan` matches that name in any country; `PK/Punjab` only in Pakistan (India has a Punjab too)."""
    country, slash, rest = name.partition("/")
    if slash:
        return _country_code(country), _nonempty_fold(rest, name)
    return None, _nonempty_fold(name, name)


def _nonempty_fold(text: str, original: str) -> str:
    folded = fold_words(text)
    if not folded:
        raise WatchError(f"region.admin1: {original!r} has no letters; write a name such as 'Balochistan' or 'PK/Punjab'")
    return folded


def _query(text_query: str | None) -> TextQuery | None:
    if text_query is None:
        return None
    try:
        return TextQuery.parse(text_query)
    except QueryError as error:
        raise WatchError(f"rule.text_query: {error}") from error


def explain(watch: Watch, incident: Incident, article_text: str | None = None,
            text_matched: Collection[str] = ()) -> list[str]:
    """Why a watch matches an incident or not, one line per condition, the verdict first (`newswatch watches test`)."""
    prepared = prepare(watch)
    facts = IncidentFacts.of(incident, article_text, text_matched)
    region = prepared.region_lines(facts)
    rule = prepared.rule.explain(facts)
    region_ok = any(ok for ok, _ in region)
    rule_ok = all(ok for ok, _ in rule)
    verdict = "MATCHES" if region_ok and rule_ok else "does not match"
    failed = [name for name, ok in (("region", region_ok), ("rule", rule_ok)) if not ok]
    header = f"watch {watch.id!r} {verdict} incident {incident.id!r}" + (f" (failed: {', '.join(failed)})" if failed else "")
    return [header] + [f"  {'yes' if ok else 'no '}  region: {text}" for ok, text in region] + [
        f"  {'yes' if ok else 'no '}  rule: {text}" for ok, text in rule
    ]
