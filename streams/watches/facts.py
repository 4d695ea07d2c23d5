"""An incident as watches read it: the facts matching looks at, computed once per incident, not once per watch."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

from extractors.folding import fold_words
from extractors.schema import Count, Incident
from streams.watches.text_query import SearchableText


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
