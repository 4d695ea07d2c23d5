"""Places the text names by description rather than by a gazetteer name: a country's capital named by its
role ("the Turkish capital", "the capital of Chad", "in the capital"), and villages no gazetteer lists
named by a scene phrase ("the village of Solhan", "Mpeketoni, a coastal town", "Kaboro village",
"in Kolofata, northern Cameroon").

Both become PlaceMentions of kind "city" that extractors.location weighs like any other; a town the
gazetteer lacks has no candidates, and the location takes its coordinates from the region or country the
text puts it in (its `precision` says which).
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.gazetteer import name_key
from extractors.location import DISTRICT_AFTER
from extractors.place_words import PlaceWords, place_words
from extractors.places import Gazetteer, PlaceMention

ARABIC_ARTICLES = frozenset({"al", "el", "an", "ad", "ar", "as", "ash", "at", "az"})
COUNTRY_POSSESSIVES = re.compile(r"(?:country|nation|kingdom|republic)['’]s\s+$", re.IGNORECASE)


def capital_mentions(text: str, mentions: list[PlaceMention], focus: Counter[str],
                     gazetteer: Gazetteer, language: str = "en") -> list[PlaceMention]:
    """The country capitals named by role (place_words' `capital`: "the Turkish capital", "Somalia's capital",
    "the capital of Chad", "la capitale burkinabè", "la capitale du pays"); a bare "the capital" means the focus
    country's. Provincial, state, commercial and other capitals are not the country's."""
    words = place_words(language)
    by_start = {m.start: m for m in mentions}
    found = []
    for match in words.capital.finditer(text):
        country, end = None, match.end("capital")
        after = by_start.get(match.start("after")) if match.group("after") else None
        if match.group("of_word") and not (match.group("of") or match.group("country_noun")):
            continue  # "the capital of the region"
        if match.group("of"):
            named = by_start.get(match.start("of"))
            if named is None or named.kind != "country" or text.startswith(("'s", "’s"), named.end):
                continue  # "the capital of Borno state", "the capital of Chad's Lac province": a region's
            country, end = named.candidates[0].country, named.end
        elif match.group("country_noun"):
            country, end = _focus_country(focus), match.end()  # "la capitale du pays"
        elif after is not None and after.kind == "country":
            country, end = after.candidates[0].country, after.end  # "la capitale burkinabè"
        elif match.group("possessor"):
            named = by_start.get(match.start("possessor"))
            if named is None or named.kind != "country":
                continue  # "the province's capital", "Borno's capital"
            country = named.candidates[0].country
        elif match.group("qualifier"):
            named = by_start.get(match.start("qualifier"))
            if named is not None and named.kind == "country":
                country = named.candidates[0].country
            elif COUNTRY_POSSESSIVES.fullmatch(match.group("qualifier")):
                country = _focus_country(focus)
            else:
                continue  # "the provincial capital", "the commercial capital"
        elif name_key(match.group("determiner")) in words.articles:
            country = _focus_country(focus)
        capital = gazetteer.index.capital(country) if country else None
        if capital is not None:
            found.append(PlaceMention(text[match.start():end], match.start(), end, "city", (capital,)))
    return found


def unlisted_towns(text: str, mentions: list[PlaceMention], gazetteer: Gazetteer,
                   language: str = "en") -> list[PlaceMention]:
    """Names a scene phrase calls a village or town, where no gazetteer place (of the article's countries)
    stands: candidate-less city mentions."""
    words = place_words(language)
    occupied = [(m.start, m.end) for m in mentions]
    by_start = {m.start: m for m in mentions}
    spans: set[tuple[int, int]] = set()
    # "the village of X", "le marché de Mémé", "à X, près de la frontière": X is a place, common word or not
    licensed: set[tuple[int, int]] = set()
    for number, pattern in enumerate(words.scene_phrases):
        for match in pattern.finditer(text):
            found_spans = {match.span(group) for group in ("name", "other") if match.groupdict().get(group)}
            spans |= found_spans
            if number == 0:
                licensed |= found_spans
    for match in words.scene_then_region.finditer(text):
        following = by_start.get(match.end())
        near = bool(words.near.search(match.group("link")))
        # "à Tiloua, dans la région d'Ouallam", "à Ben Guerdane, près de la frontière libyenne": a place named
        # after the comma says the name before it is a town, whether the gazetteer knows that place or not.
        placed = bool(match.group("comma_link"))
        # "in Daraban, in the Dera Ismail Khan district": a town named as a district is a region here
        region_after = following is not None and (following.kind != "city" or DISTRICT_AFTER.match(text, following.end))
        if placed or region_after or following is not None and near:
            spans.add(match.span("name"))
            if placed:
                licensed.add(match.span("name"))
    # "attaque terroriste à Barsalogho" in the headline, "Le samedi 24 août à Barsalogho" in the lead: a name the
    # story puts after a place preposition more than once is a town, though no scene phrase calls it one.
    after_preposition: dict[str, list[tuple[int, int]]] = {}
    for match in words.licensed_name.finditer(text):
        after_preposition.setdefault(match.group("name"), []).append(match.span("name"))
    spans.update(span for found_spans in after_preposition.values() if len(found_spans) > 1 for span in found_spans)
    found = []
    for start, end in sorted(spans):
        name = text[start:end]
        if any(s < end and start < e for s, e in occupied) or not _may_be_town(name, gazetteer, words,
                                                                             (start, end) in licensed):
            continue
        found.append(PlaceMention(name, start, end, "city", ()))
    return found


def _may_be_town(name: str, gazetteer: Gazetteer, words: PlaceWords, licensed: bool) -> bool:
    """Not an acronym, nor opened by an article, a stop name (months, titles, first names, groups) or, unless a
    settlement noun licenses it, a common word ("Police Station"); an Arabic article is skipped ("al-Qadeeh")."""
    parts = [w for w in name.replace("-", " ").split() if w.lower() not in ARABIC_ARTICLES]
    if not parts or name_key(parts[0]) in words.articles or name.isupper():
        return False
    first = name_key(parts[0])
    return (first not in gazetteer.index.stop_keys and first not in words.stop_keys
            and (licensed or first not in words.common_keys))


def _focus_country(focus: Counter[str]) -> str | None:
    return focus.most_common(1)[0][0] if focus else None
