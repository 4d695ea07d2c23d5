"""What the stages know of each sentence: its cues, its dates and whether it tells an attack or a toll.

pipeline.gather_facts builds these once; the attack's day (attack_day.py), the main story and its recaps
(segments.py), the tolls and the reports all read them, so they live below all of these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Span


# Nouns too common to tie a sentence to one incident rather than another.
GENERIC_NOUNS = frozenset({
    "attack", "attacks", "people", "person", "police", "official", "officials", "group", "groups", "city",
    "country", "province", "government", "security", "forces", "year", "years", "day", "time", "area", "statement",
    "responsibility", "militants", "gunmen", "attackers", "bomb", "blast", "explosion", "news", "agency",
    "reporters", "spokesman", "minister", "region", "state", "authorities", "incident", "members", "side",
})


@dataclass
class DatedSpan:
    """A date mention from extractors.dates with the tokens it covers."""

    mention: object
    span: Span

    @property
    def date(self) -> dt.date | None:
        return getattr(self.mention, "date", None)

    @property
    def precision(self) -> str:
        return getattr(self.mention, "precision", "day")

    @property
    def is_stamp(self) -> bool:
        return getattr(self.mention, "stamp", False)


@dataclass
class SentenceFacts:
    index: int
    span: Span
    paragraph: int
    text: str
    cues: list[Span]
    labels: frozenset[str]
    cue_tokens: frozenset[int]
    dates: list[DatedSpan]
    is_attack: bool = False
    has_casualties: bool = False

    @cached_property
    def nouns(self) -> frozenset[str]:
        """The nouns that can tie a sentence to one incident (not "attack", "police", "people")."""
        return frozenset(t.lower_ for t in self.span if t.tag_ in ("NN", "NNS", "NNP", "NNPS") and len(t) > 2
                         and t.lower_ not in GENERIC_NOUNS)

    @property
    def is_event(self) -> bool:
        """Tells of an attack or of a toll: the lead of a story may do either ("A man killed two people")."""
        return self.is_attack or self.has_casualties
