"""Watches: which incidents a team cares about, loaded from YAML and matched against every incident update.

A watch matches when its region matches (any one part: a country, an admin1 region, a polygon, a circle, a
box; no part at all means anywhere) and every rule condition holds. Geometric parts need a city-level
location: a country or province centroid says nothing about whether the attack was inside a 100 km circle.
"""

from __future__ import annotations

import math
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pycountry
import shapely
import yaml
from pydantic import ValidationError
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from extractors.folding import fold_words
from extractors.places import EARTH_RADIUS_KM, distance_km
from extractors.schema import Count, Incident, Watch
from streams.text_query import QueryError, SearchableText, TextQuery


class WatchError(ValueError):
    """A watch that cannot be used; the message names the field and what to write instead."""


def load_watches(path: Path) -> list[Watch]:
    """Every watch in a YAML file (a list, or a mapping with a `watches:` list); all problems reported at once."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise WatchError(f"cannot read watches from {path}: {error}") from error
    return parse_watches(data, source=str(path))


def parse_watches(data: object, source: str) -> list[Watch]:
    items = data.get("watches") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise WatchError(f"{source}: expected a list of watches (or `watches:` followed by a list)")
    watches: list[Watch] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        label = f"watch #{number}"
        if isinstance(item, dict) and item.get("id"):
            label += f" ({item['id']!r})"
        try:
            watch = Watch.model_validate(item)
            prepare(watch)
        except ValidationError as error:
            errors += [f"{source}: {label}: {_dotted(e['loc'])}: {e['msg']}" for e in error.errors()]
            continue
        except WatchError as error:
            errors.append(f"{source}: {label}: {error}")
            continue
        if watch.id in seen:
            errors.append(f"{source}: {label}: id is used by an earlier watch; ids must be unique")
        seen.add(watch.id)
        watches.append(watch)
    if errors:
        raise WatchError("\n".join(errors))
    return watches


def _dotted(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "(watch)"


def lower_bound(count: Count | None) -> int | None:
    """The smallest toll a count allows: "more than 100" is at least 101."""
    if count is None:
        return None
    return count.value + (1 if count.qualifier == "more_than" else 0)


def meets_toll_minimums(min_killed: int, min_injured: int, killed: int | None, injured: int | None) -> bool:
    """Toll minimums are alternatives: "10 killed or 50 injured"; a rule without minimums always passes."""
    if min_killed <= 0 and min_injured <= 0:
        return True
    return (min_killed > 0 and (killed or 0) >= min_killed) or (min_injured > 0 and (injured or 0) >= min_injured)


@dataclass
class IncidentFacts:
    """What matching looks at, computed once per incident rather than once per watch (names and text only if asked)."""

    incident: Incident
    article_text: str | None
    text_matched: frozenset[str]  # ids of watches whose text query an article of the incident satisfied
    country: str | None
    admin1: str | None
    point: tuple[float, float] | None  # (lat, lon), only for city-level locations
    precision: str | None
    killed: int | None
    injured: int | None
    attack_types: frozenset[str]

    @classmethod
    def of(cls, incident: Incident, article_text: str | None = None, text_matched: Collection[str] = ()) -> IncidentFacts:
        location = incident.location
        has_point = location.lat is not None and location.lon is not None and location.precision in (None, "city")
        return cls(
            incident=incident,
            article_text=article_text,
            text_matched=frozenset(text_matched),
            country=location.country.upper() if location.country else None,
            admin1=fold_words(location.admin1) if location.admin1 else None,
            point=(location.lat, location.lon) if has_point else None,
            precision=location.precision,
            killed=lower_bound(incident.killed),
            injured=lower_bound(incident.injured),
            attack_types=frozenset(incident.attack_types),
        )

    @cached_property
    def perpetrators(self) -> frozenset[str]:
        """Every name a group goes by in the incident: name, branch and the mentions the extractor linked to it."""
        return frozenset(fold_words(name) for p in self.incident.perpetrators for name in (p.name, p.branch, *p.mentions) if name)

    @cached_property
    def searchable_text(self) -> SearchableText:
        """What a text query searches here: evidence sentences, target, place names, and the article text when given."""
        incident, location = self.incident, self.incident.location
        texts = (*(e.sentence for e in incident.evidence), incident.target.text, location.name, location.city,
                 location.admin1, self.article_text)
        return SearchableText(" \n ".join(t for t in texts if t))


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    km: float

    def distance_km(self, point: tuple[float, float]) -> float:
        return distance_km(self.lat, self.lon, point[0], point[1])

    def contains(self, point: tuple[float, float]) -> bool:
        return self.distance_km(point) <= self.km

    def boxes(self) -> list[BaseGeometry]:
        """Boxes that cover the circle (two when it crosses the antimeridian): the cheap prefilter before haversine."""
        angle = self.km / EARTH_RADIUS_KM
        dlat = math.degrees(angle)
        south, north = self.lat - dlat, self.lat + dlat
        spread = math.sin(angle) / max(math.cos(math.radians(self.lat)), 1e-12)
        if south <= -90 or north >= 90 or spread >= 1:
            return [box(-180, max(south, -90), 180, min(north, 90))]
        dlon = math.degrees(math.asin(spread))
        west, east = self.lon - dlon, self.lon + dlon
        if west < -180:
            return [box(west + 360, south, 180, north), box(-180, south, east, north)]
        if east > 180:
            return [box(west, south, 180, north), box(-180, south, east - 360, north)]
        return [box(west, south, east, north)]


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
            lines.append((bool(self.admin1 & _admin1_keys(facts)), f"admin1 in {wanted} (incident: {_or_unknown(facts.admin1)})"))
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


def _admin1_keys(facts: IncidentFacts) -> set[tuple[str | None, str]]:
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
        shapes=tuple(_shapes(region.geojson, region.bbox)),
        circle=_circle(region.point, region.radius_km),
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


def _shapes(geojson: dict | None, bbox: tuple[float, float, float, float] | None) -> list[tuple[str, BaseGeometry]]:
    shapes: list[tuple[str, BaseGeometry]] = []
    if geojson is not None:
        shapes.append((f"{geojson.get('type', 'geojson')} region", _polygon(geojson)))
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise WatchError(
                f"region.bbox: {list(bbox)} is not [min_lon, min_lat, max_lon, max_lat] with min < max inside "
                "[-180, -90, 180, 90]; split a box across the antimeridian into a MultiPolygon"
            )
        shapes.append((f"bbox {list(bbox)}", box(*bbox)))
    for _, geometry in shapes:
        shapely.prepare(geometry)
    return shapes


def _polygon(geojson: dict) -> BaseGeometry:
    geometry = geojson.get("geometry") if geojson.get("type") == "Feature" else geojson
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise WatchError("region.geojson: must be a GeoJSON Polygon or MultiPolygon (or a Feature holding one)")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise WatchError(f"region.geojson: not valid GeoJSON coordinates ({error})") from error
    if not isinstance(polygon, (Polygon, MultiPolygon)) or polygon.is_empty:
        raise WatchError("region.geojson: the polygon is empty")
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise WatchError("region.geojson: coordinates are [lon, lat] in degrees; some are out of range (lat/lon swapped?)")
    if not polygon.is_valid:
        raise WatchError(f"region.geojson: invalid polygon ({shapely.is_valid_reason(polygon)}); fix self-intersections")
    return polygon


def _circle(point: tuple[float, float] | None, radius_km: float | None) -> Circle | None:
    if point is None and radius_km is None:
        return None
    if point is None or radius_km is None:
        raise WatchError("region: point and radius_km go together; give both (point: [lat, lon], radius_km: 100)")
    lat, lon = point
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise WatchError(f"region.point: {list(point)} is not [lat, lon] in degrees")
    return Circle(lat, lon, radius_km)


def _query(text_query: str | None) -> TextQuery | None:
    if text_query is None:
        return None
    try:
        return TextQuery.parse(text_query)
    except QueryError as error:
        raise WatchError(f"rule.text_query: {error}") from error


def query_text(title: str | None, text: str | None) -> str:
    """What a text query reads of an article: its title and text."""
    return f"{title or ''}\n{text or ''}"


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


@dataclass
class WatchIndex:
    """All watches with their geometry in STRtrees and their countries and admin1 regions in dicts.

    Immutable: rebuild it when watches change (10,000 watches take about a second; see docs/benchmarks.md).
    """

    watches: list[PreparedWatch]
    _by_country: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _by_admin1: dict[tuple[str | None, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    _anywhere: list[int] = field(default_factory=list)
    _by_query_anchor: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, watches: Iterable[Watch]) -> WatchIndex:
        return cls([prepare(watch) for watch in watches])

    def __post_init__(self) -> None:
        shapes: list[BaseGeometry] = []
        shape_owners: list[int] = []
        circle_boxes: list[BaseGeometry] = []
        self._circle_owners: list[int] = []
        for number, prepared in enumerate(self.watches):
            if prepared.anywhere:
                self._anywhere.append(number)
            for word in prepared.rule.query.anchor if prepared.rule.query else ():
                self._by_query_anchor[word].append(number)
            for code in prepared.countries:
                self._by_country[code].append(number)
            for key in prepared.admin1:
                self._by_admin1[key].append(number)
            for _, geometry in prepared.shapes:
                shapes.append(geometry)
                shape_owners.append(number)
            if prepared.circle:
                for prefilter in prepared.circle.boxes():
                    circle_boxes.append(prefilter)
                    self._circle_owners.append(number)
        self._by_id = {prepared.watch.id: prepared.watch for prepared in self.watches}
        self._shape_tree = shapely.STRtree(shapes)
        self._shape_owners = shape_owners
        self._circle_tree = shapely.STRtree(circle_boxes)

    def __len__(self) -> int:
        return len(self.watches)

    def get(self, watch_id: str) -> Watch | None:
        return self._by_id.get(watch_id)

    def text_matches(self, article_text: str) -> list[str]:
        """The ids of the watches whose text query the article satisfies: evaluated where the text is, at
        extraction, and carried with the incident update, since the full text does not travel further."""
        if not self._by_query_anchor:
            return []
        text = SearchableText(article_text)
        candidates = {n for word in text.words & self._by_query_anchor.keys() for n in self._by_query_anchor[word]}
        return [self.watches[n].watch.id for n in sorted(candidates) if self.watches[n].rule.query.matches(text)]

    def matching(self, incident: Incident, article_text: str | None = None,
                 text_matched: Collection[str] = ()) -> list[Watch]:
        """The watches an incident matches, in the order they were given; `text_matched` names the watches whose
        text query an article of the incident satisfied (`text_matches`), as the stream remembers them."""
        facts = IncidentFacts.of(incident, article_text, text_matched)
        candidates = set(self._anywhere)
        if facts.country:
            candidates.update(self._by_country.get(facts.country, ()))
        for key in _admin1_keys(facts):
            candidates.update(self._by_admin1.get(key, ()))
        if facts.point is not None and (self._shape_owners or self._circle_owners):
            location = Point(facts.point[1], facts.point[0])
            candidates.update(self._shape_owners[i] for i in self._shape_tree.query(location, predicate="intersects"))
            for i in self._circle_tree.query(location):
                owner = self._circle_owners[i]
                if owner not in candidates and self.watches[owner].circle.contains(facts.point):
                    candidates.add(owner)
        return [self.watches[n].watch for n in sorted(candidates) if self.watches[n].rule.passes(facts)]
