"""WatchIndex: every watch, indexed so that an incident is tested only against the watches that could match it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from extractors.schema import Incident, Watch
from streams.watches.facts import IncidentFacts
from streams.watches.prepared import PreparedWatch, admin1_keys, prepare
from streams.watches.text_query import SearchableText


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
        for key in admin1_keys(facts):
            candidates.update(self._by_admin1.get(key, ()))
        if facts.point is not None and (self._shape_owners or self._circle_owners):
            location = Point(facts.point[1], facts.point[0])
            candidates.update(self._shape_owners[i] for i in self._shape_tree.query(location, predicate="intersects"))
            for i in self._circle_tree.query(location):
                owner = self._circle_owners[i]
                if owner not in candidates and self.watches[owner].circle.contains(facts.point):
                    candidates.add(owner)
        return [self.watches[n].watch for n in sorted(candidates) if self.watches[n].rule.passes(facts)]
