"""Where an incident happened: the place its first sentences put it, made as specific as they allow.

The lead usually names the region or country ("in central Mali") and the next sentence the town ("on
the edge of Bandiagara town"), so the town is taken from the first few event sentences when it lies
in the lead's country; failing that, from the lines above a lead that names no place, then from a
scene phrase further down inside the lead's province. Places after "from", "to" or "south of" are
origins and landmarks, not the scene; a town named "near" or as a district ("Kasese District") is refined
by a town close to it that the next sentences put the scene in. The dateline city is where the reporter
files from: it counts only when the lead points back to it ("in the city's Gulshan area", "here") and names
no other town.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from extractors.place_words import PlaceWords, place_words
from extractors.places import Gazetteer, PlaceMention, distance_km, to_location
from extractors.schema import Location

# "near the Bangladesh border", "on Myanmar's border with Bangladesh", "près de la frontière malienne": the
# country across a frontier is a landmark; the scene lies on the story's side of it ("Myanmar's border").
BORDER_AFTER = re.compile(r"\s+(?:border|frontier)\b", re.IGNORECASE)
# "a school near Sao Paulo": the lead names a landmark town; a town the next sentences put the scene in
# ("the school in Suzano") within NEARBY_KM of it is where it happened.
NEARBY_KM = 100
# "Kasese District", "the district of Kasese": a district named after its main town. The scene may be another
# town in it ("the school in Mpondwe"; "Mpondwe lies in Kasese district"), so a town the story also names as a
# district is refined like "near X", and gives way to another town of the same sentence.
DISTRICT_AFTER = re.compile(r"\s+district\b", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*(?=\S)")  # as extractors.pipeline numbers paragraphs
# "in the city's Gulshan area", "an attack here today": the lead means the place the reporter files from.
POINTS_TO_DATELINE = re.compile(r"\bthe (?:city|capital|town)(?:'s|’s)?\b(?! of\b)|\bhere\b", re.IGNORECASE)
SCENE_SENTENCES = 4
LATER_SENTENCES = 6
SPECIFICITY = {"city": 0, "admin1": 1, "country": 2}


class SceneSentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    is_event: bool


def scene_rank(text: str, place: PlaceMention, language: str = "en") -> int:
    """0 for the scene ("in Quetta", "the city of Quetta", "close to Quetta"), 1 for a bare name, 2 for an
    origin or landmark ("from Quetta", "south of Quetta", "near the Afghan border"), where someone spoke
    ("told reporters in Quetta") or another event's place ("two days after a bombing in Quetta")."""
    words = place_words(language)
    if words.earlier_event_before.search(text, max(0, place.start - 150), place.start):
        return 2
    window = text[max(0, place.start - 40):place.start]
    if (place.kind == "country" and (BORDER_AFTER.match(text, place.end) or words.border_before.search(window))
            or words.speaking_before.search(window)):
        return 2
    scene = words.scene_before.search(window)
    if scene and not _origin_before(words, window, scene.start()):
        return 0  # "from the town of X", "de retour de la localité de X": an origin all the same
    return 2 if words.reference_before.search(window) or scene else 1


def _origin_before(words: PlaceWords, window: str, end: int) -> bool:
    """Whether the window before a scene phrase ends in an origin ("from", "retour de"), not in a phrase of
    proximity that also reads as one ("not far from")."""
    return bool(words.reference_before.search(window, 0, end)) and not words.scene_before.search(window, 0, end)


def choose_location(text: str, sentences: list[SceneSentence], places: list[PlaceMention],
                    dateline_places: list[PlaceMention], country_hint: Counter,
                    gazetteer: Gazetteer, language: str = "en") -> tuple[Location, PlaceMention | None]:
    """The incident's place: the lead's region, narrowed to a town named in the lead or the paragraph after."""
    event = [s for s in sentences if s.is_event]
    if not event:
        return _first_scene(text, sentences, places, country_hint, gazetteer, language)
    lead = event[0]
    frame = _frame(text, places, event, language)
    context = [frame] if frame is not None and frame.kind != "city" else []
    frame_country = gazetteer.resolve([frame], country_hint).country if frame is not None else None
    # A lead glued to the line above it ("a standfirst\nOfficials said ...") still has its next paragraph.
    lead_last_paragraph = lead.paragraph + len(PARAGRAPH_BREAK.findall(text, lead.start, lead.end))
    scope = [s for s in sentences if s.start >= lead.start and s.paragraph <= lead_last_paragraph + 1][:SCENE_SENTENCES]
    opening = [s for s in sentences if s.start < lead.start and s.paragraph >= lead.paragraph - 1]
    later = [s for s in sentences if s.start >= lead.start and s not in scope][:LATER_SENTENCES]
    framed_by_region = frame is not None and frame.kind == "admin1"
    frame_region = gazetteer.resolve([frame], country_hint).admin1 if framed_by_region else None
    # The lead and the paragraph after it; then the lines before a lead that tells no place ("tourists were
    # killed ... near the town of X" above the first toll); then, only for scene phrases and inside the lead's
    # province, the story below (where recaps of other attacks also name towns).
    districts = _district_names(text, places, language)
    for candidates, worst_rank, region in ((scope, 1, None), (opening, 1, None), (later, 0, frame_region)):
        for position, sentence in enumerate(candidates):
            within = (frame_country, region)
            found = _town_in(text, places, sentence, worst_rank, context, within, districts, country_hint, gazetteer,
                             language)
            if found is not None and _is_landmark(text, found[1], districts, language):
                # a district's town may be named further down ("Mpondwe lies in Kasese district")
                further = [s for s in later if s.start > sentence.start and s not in candidates]
                following = candidates[position + 1:] + (further if _as_district(text, found[1], districts, language)
                                                          else [])
                return _town_close_to(text, places, found, following, context, within, districts, country_hint,
                                      gazetteer, language)
            if found is not None:
                return found
    if dateline_places and POINTS_TO_DATELINE.search(text, lead.start, lead.end):
        location = gazetteer.resolve(dateline_places[:1] + context, country_hint)
        if location.city and frame_country in (None, location.country):
            return location, dateline_places[0]
    if frame is None:  # event sentences that name no place: the scene the lines above them name
        return _first_scene(text, [s for s in sentences if s.start < lead.start], places, country_hint, gazetteer,
                            language)
    return gazetteer.resolve([frame], country_hint), frame


def dateline_country(dateline_places: list[PlaceMention], country_hint: Counter,
                      gazetteer: Gazetteer) -> tuple[Location, PlaceMention | None]:
    """A main incident whose scene no place the gazetteer knows names ("storming the Daraban police station") is
    still in the country its dateline files from; the town is the reporter's, not the scene."""
    if not dateline_places:
        return Location(), None
    country = gazetteer.index.country(gazetteer.resolve(dateline_places[:1], country_hint).country or "")
    return (to_location(country), dateline_places[0]) if country else (Location(), None)


def _first_scene(text: str, sentences: list[SceneSentence], places: list[PlaceMention], country_hint: Counter,
                 gazetteer: Gazetteer, language: str) -> tuple[Location, PlaceMention | None]:
    """The first place the sentences name as a scene ("in X", "dans un lycée d'Arras")."""
    scenes = [p for s in sentences for p in _places_in(text, places, s, language) if scene_rank(text, p, language) == 0]
    return (gazetteer.resolve(scenes[:1], country_hint), scenes[0]) if scenes else (Location(), None)


def _town_in(text: str, places: list[PlaceMention], sentence: SceneSentence, worst_rank: int,
             context: list[PlaceMention], within: tuple[str | None, str | None], districts: frozenset[str],
             country_hint: Counter, gazetteer: Gazetteer, language: str) -> tuple[Location, PlaceMention] | None:
    """The sentence's best town that lies within the frame's country (and province, when one is given); a town
    the story also names as a district only when the sentence names no other."""
    frame_country, frame_region = within
    mentions = _places_in(text, places, sentence, language)
    # A town the sentence names as a district's ("dans le territoire de Djugu") or as a landmark ("20 km south of
    # Y", "à une vingtaine de kilomètres au sud de Y") places an unlisted village better than its province does.
    landmark_before = place_words(language).landmark_before
    regions = [m for m in mentions if m.candidates and frame_country in (None, *(e.country for e in m.candidates))
               and (m.kind != "city" or m.text in districts
                    or landmark_before.search(text, max(0, m.start - 40), m.start))]
    district_town = None
    for mention in mentions:
        if mention.kind != "city" or scene_rank(text, mention, language) > worst_rank:
            continue
        if mention.candidates:
            location = gazetteer.resolve([mention] + context, country_hint)
        else:
            location = _unlisted_town(mention, regions + context, country_hint, gazetteer)
        if location.city and frame_country in (None, location.country) and frame_region in (None, location.admin1):
            if not _as_district(text, mention, districts, language):
                return location, mention
            district_town = district_town or (location, mention)
    return district_town


def _is_landmark(text: str, place: PlaceMention, districts: frozenset[str], language: str) -> bool:
    """A town the lead names as nearby ("near Sao Paulo") or as a district ("Kasese District")."""
    proximity = place_words(language).proximity_before
    return _as_district(text, place, districts, language) or bool(
        proximity.search(text, max(0, place.start - 40), place.start))


def _as_district(text: str, place: PlaceMention, districts: frozenset[str], language: str) -> bool:
    """Whether a mention of a town the story also names as a district's stands for the district: not where a
    settlement noun names it as the town ("dans la localité de Bosso, département de Bosso", "the town of
    Kasese")."""
    town_before = place_words(language).town_before
    return place.text in districts and not town_before.search(text, max(0, place.start - 25), place.start)


def _district_names(text: str, places: list[PlaceMention], language: str) -> frozenset[str]:
    """Town names the story also uses as a district's ("Kasese District", "the district of Kasese", "la région
    d'Ouallam")."""
    district_before = place_words(language).district_before
    return frozenset(p.text for p in places if p.kind == "city" and (
        DISTRICT_AFTER.match(text, p.end) or district_before.search(text, max(0, p.start - 25), p.start)))


def _town_close_to(text: str, places: list[PlaceMention], landmark: tuple[Location, PlaceMention],
                   sentences: list[SceneSentence], context: list[PlaceMention], within: tuple[str | None, str | None],
                   districts: frozenset[str], country_hint: Counter,
                   gazetteer: Gazetteer, language: str) -> tuple[Location, PlaceMention]:
    """The first town the sentences put the scene in ("the school in Suzano") close to the landmark the lead
    named ("a school near Sao Paulo"): within NEARBY_KM, or in its province for a town no gazetteer lists;
    else the landmark."""
    near, _ = landmark
    for sentence in sentences:
        found = _town_in(text, places, sentence, 0, context, within, districts, country_hint, gazetteer, language)
        if found is None or _is_landmark(text, found[1], districts, language):
            continue
        town = found[0]
        if town.gazetteer_id is None:
            close = town.admin1 is not None and town.admin1 == near.admin1
        else:
            close = distance_km(town.lat, town.lon, near.lat, near.lon) <= NEARBY_KM
        if close:
            return found
    return landmark


def _frame(text: str, places: list[PlaceMention], event: list[SceneSentence], language: str) -> PlaceMention | None:
    """The first event sentence's best place that the gazetteer knows; a sentence that names places only as
    origins or landmarks ("back to Bamiyan province") frames the story only when no sentence names a scene."""
    found = [[p for p in _places_in(text, places, s, language) if p.candidates] for s in event]
    scene = next((mentions[0] for mentions in found if mentions and scene_rank(text, mentions[0], language) < 2),
                 None)
    return scene or next((mentions[0] for mentions in found if mentions), None)


def _unlisted_town(town: PlaceMention, regions: list[PlaceMention], country_hint: Counter,
                   gazetteer: Gazetteer) -> Location:
    """A town no gazetteer lists, placed at the district, region or country the text puts it in (its precision:
    a district's town gives the point of a region, not of the village)."""
    region = gazetteer.resolve(regions, country_hint) if regions else Location()
    if region.country is None and country_hint:
        country = gazetteer.index.country(country_hint.most_common(1)[0][0])
        region = to_location(country) if country else Location()
    if region.country is None:
        return Location()
    precision = "admin1" if region.precision == "city" else region.precision
    return region.model_copy(update={"name": town.text, "city": town.text, "gazetteer_id": None,
                                     "precision": precision})


def _places_in(text: str, places: list[PlaceMention], sentence: SceneSentence, language: str) -> list[PlaceMention]:
    """A sentence's places, scene first, then the more specific, then those the gazetteer knows, then the
    earlier."""
    inside = [p for p in places if sentence.start <= p.start < sentence.end]
    return sorted(inside, key=lambda p: (scene_rank(text, p, language), SPECIFICITY[p.kind], not p.candidates, p.start))
