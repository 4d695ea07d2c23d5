"""The article's focus country, and namesakes abroad dropped against it (as CLIFF-style geoparsers do).

A town's name alone says little: "Solhan" is a village in Burkina Faso and a town in Turkey, "Gulshan" a
quarter of Dhaka and another name of an Iranian town. The countries an article names outright (dateline,
country names, demonyms) say which is meant: a candidate in a country the article never names is kept only
when it is a city big enough to be known by its name alone. Only country names vouch for a country here,
since a person's name matching a town or region abroad ("Salahuddin", "Alam") would otherwise vouch for
itself; a story that names no country at all is judged by the provinces it names. Among the candidates left, `focus_countries` (weighted towards the opening) ranks the countries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from extractors.location import BORDER_AFTER
from extractors.place_phrases import capital_mentions, unlisted_towns
from extractors.place_words import PlaceWords, place_words
from extractors.places import Gazetteer, PlaceMention, count_countries, dateline_span, distance_km

# The dateline, headline and lead say where the story is; victims' nationalities come later.
OPENING_CHARS = 800
OPENING_WEIGHT = 3
# A city this big is known by its name alone ("Paris", "Orlando") even when its country goes unnamed; the
# namesakes that misled us were towns of 3,000 to 125,000 people.
WELL_KNOWN_CITY_POPULATION = 250_000
# Two towns named a few words apart that lie close together in one country ("X, près de Rouen", "X, a suburb of
# Y") vouch for that country: a namesake pair abroad that close together is unlikely.
NEIGHBOUR_CHARS = 60
NEIGHBOUR_KM = 60


def read_places(text: str, gazetteer: Gazetteer, language: str = "en",
                names: Iterable[tuple[int, int]] = ()) -> tuple[list[PlaceMention], Counter[str]]:
    """The article's places, in order (namesakes abroad dropped, capitals named by role and towns named by a
    scene phrase added), and its focus_countries. `names` are the spans of other names (groups: "l'État
    islamique au Sahel") whose place words are no place of the story, as a medium's nationality is not ("la
    presse française"); a country across a border is a place but no weight for the focus."""
    spans = list(names)

    def outside_names(mentions: list[PlaceMention]) -> list[PlaceMention]:
        return [m for m in mentions if not any(start <= m.start and m.end <= end for start, end in spans)]

    words = place_words(language)
    found = [m for m in outside_names(gazetteer.find_places(text, language)) if not _media_nationality(text, m, words)]
    places = drop_namesakes_abroad(found, _dateline_place(text))
    focus = focus_countries([m for m in places if not _across_a_border(text, m, words)])
    described = (capital_mentions(text, places, focus, gazetteer, language)
                 + outside_names(unlisted_towns(text, places, gazetteer, language)))
    return sorted(places + described, key=lambda m: m.start), focus


def _across_a_border(text: str, mention: PlaceMention, words: PlaceWords) -> bool:
    """A country across a border ("près de la frontière malienne", "near the Bangladesh border") says where the
    story is not: no weight for its country."""
    return mention.kind == "country" and bool(
        BORDER_AFTER.match(text, mention.end) or words.border_before.search(text, max(0, mention.start - 40),
                                                                            mention.start))


def _media_nationality(text: str, mention: PlaceMention, words: PlaceWords) -> bool:
    """The nationality of the media telling the story ("la presse française", "French media") is no place of it."""
    return mention.kind == "country" and bool(words.media_before.search(text, max(0, mention.start - 40), mention.start)
                                              or words.media_after.match(text, mention.end))


def _dateline_place(text: str) -> tuple[int, int] | None:
    """The dateline up to the agency in brackets: "YAOUNDE, 5 octobre (Xinhua) --" names Cameroon, not China."""
    span = dateline_span(text)
    if span is None:
        return None
    bracket = text.find("(", span[0], span[1])
    return (span[0], bracket) if bracket >= 0 else span


def _neighbouring_towns(mentions: list[PlaceMention]) -> list[tuple[int, int]]:
    """Pairs of town mentions a few words apart (at most NEIGHBOUR_CHARS between them); a town named twice
    ("DHAKA — ... in Dhaka") vouches for nothing."""
    towns = [i for i, m in enumerate(mentions) if m.kind == "city"]
    return [(i, j) for i, j in zip(towns, towns[1:]) if mentions[j].start - mentions[i].end <= NEIGHBOUR_CHARS]


def focus_countries(mentions: list[PlaceMention]) -> Counter[str]:
    """Country weights: each country, demonym or unambiguous place counts (count_countries), three times
    over within the opening (dateline, headline, lead)."""
    opening = count_countries(m for m in mentions if m.start < OPENING_CHARS)
    return count_countries(mentions) + Counter({c: (OPENING_WEIGHT - 1) * n for c, n in opening.items()})


def drop_namesakes_abroad(mentions: list[PlaceMention], dateline: tuple[int, int] | None = None) -> list[PlaceMention]:
    """Each mention without the candidates that lie in countries the article never names, unless they are
    well-known cities or the next words name their region ("Orlando, Florida"); a mention left with none is
    no place of this story and is dropped. The dateline's place names its country as a country name does
    ("JOHOR BAHRU (May 17):" makes a Malaysian story, whatever else it names)."""
    named = {e.country for m in mentions if m.kind == "country" for e in m.candidates if e.kind == "country"}
    if named and dateline is not None:
        for mention in mentions:
            countries = {e.country for e in mention.candidates if e.kind == mention.kind}
            if dateline[0] <= mention.start < dateline[1] and len(countries) == 1:
                named |= countries
    if not named:  # a story that names no country may still name its provinces ("Zamfara State")
        regions = [{e.country for e in m.candidates if e.kind == "admin1"} for m in mentions if m.kind == "admin1"]
        named = {country for countries in regions if len(countries) == 1 for country in countries}
    if not named:
        return mentions
    vouched: dict[int, set[str]] = {}  # "Orlando, Florida": a town and its region vouch for each other
    for i, (town, region) in enumerate(zip(mentions, mentions[1:])):
        if region.kind == "admin1" and region.start - town.end <= 2:
            common = ({e.country for e in town.candidates if e.kind == "city"}
                      & {e.country for e in region.candidates if e.kind == "admin1"})
            vouched.setdefault(i, set()).update(common)
            vouched.setdefault(i + 1, set()).update(common)
    for i, j in _neighbouring_towns(mentions):  # "Saint-Etienne-du-Rouvray, près de Rouen"
        common = {a.country for a in mentions[i].candidates for b in mentions[j].candidates
                  if a.kind == b.kind == "city" and a.country == b.country and a.geonameid != b.geonameid
                  and distance_km(a.lat, a.lon, b.lat, b.lon) <= NEIGHBOUR_KM}
        vouched.setdefault(i, set()).update(common)
        vouched.setdefault(j, set()).update(common)
    kept = []
    for i, mention in enumerate(mentions):
        candidates = tuple(e for e in mention.candidates if e.country in named or e.kind == "country"
                           or e.country in vouched.get(i, ())
                           or (e.kind == "city" and e.population >= WELL_KNOWN_CITY_POPULATION))
        if candidates == mention.candidates:
            kept.append(mention)
        elif candidates:
            kind = mention.kind if any(e.kind == mention.kind for e in candidates) else candidates[0].kind
            kept.append(replace(mention, kind=kind, candidates=candidates))
    return kept
