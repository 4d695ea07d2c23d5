"""Where an incident happened: the place its first sentences put it, made as specific as they allow.

The lead usually names the region or country ("in central Mali") and the next sentence the town ("on
the edge of Bandiagara town"), so the town is taken from the first few event sentences when it lies
in the lead's country. Places after "from", "to" or "south of" are origins and landmarks, not the
scene. The dateline city is where the reporter files from: it counts only when the lead points back
to it ("in the city's Gulshan area") and names no other town.
"""

from __future__ import annotations

import re
from collections import Counter

from extractors.places import Gazetteer, PlaceMention
from extractors.schema import Location

SCENE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|inside|on the outskirts of|(?:city|town|village|district|province|state|region) of)"
    r"\s+(?:the\s+)?$", re.IGNORECASE)
REFERENCE_BEFORE = re.compile(
    r"\b(?:from|to|toward|towards|between|and|(?:north|south|east|west|northeast|northwest|southeast|southwest)"
    r"(?:ern)? of|(?:km|kilometers|kilometres|miles) (?:from|of))\s+(?:the\s+)?$", re.IGNORECASE)
POINTS_TO_DATELINE = re.compile(r"\bthe (?:city|capital|town)(?:'s|’s)?\b(?! of\b)", re.IGNORECASE)
SCENE_SENTENCES = 3
SPECIFICITY = {"city": 0, "admin1": 1, "country": 2}


def scene_rank(text: str, place: PlaceMention) -> int:
    """0 for the scene ("in Quetta", "city of Quetta"), 1 for a bare name, 2 for an origin or landmark."""
    window = text[max(0, place.start - 40):place.start]
    if REFERENCE_BEFORE.search(window):
        return 2
    return 0 if SCENE_BEFORE.search(window) else 1


def choose_location(text: str, sentence_spans: list[tuple[int, int, bool]], places: list[PlaceMention],
                    dateline_places: list[PlaceMention], country_hint: Counter,
                    gazetteer: Gazetteer) -> tuple[Location, PlaceMention | None]:
    """The incident's place from its sentences, given as (start_char, end_char, is_event) in text order."""
    event = [(start, end) for start, end, is_event in sentence_spans if is_event]
    others = [(start, end) for start, end, is_event in sentence_spans if not is_event]
    per_sentence = [_ranked(text, [p for p in places if start <= p.start < end]) for start, end in event]
    frame = next((mentions[0] for mentions in per_sentence if mentions), None)
    points_to_dateline = bool(event and dateline_places and POINTS_TO_DATELINE.search(text, *event[0]))
    if frame is None and points_to_dateline:
        return gazetteer.resolve(dateline_places[:1], country_hint), dateline_places[0]
    if frame is None:
        fallback = [p for start, end in others for p in _ranked(text, [p for p in places if start <= p.start < end])
                    if scene_rank(text, p) == 0]
        return (gazetteer.resolve([fallback[0]], country_hint), fallback[0]) if fallback else (Location(), None)
    context = [frame] if frame.kind != "city" else []
    frame_location = gazetteer.resolve([frame], country_hint)
    for mentions in per_sentence[:SCENE_SENTENCES]:
        for mention in mentions:
            if mention.kind != "city" or scene_rank(text, mention) == 2:
                continue
            location = gazetteer.resolve([mention] + context, country_hint)
            if location.city and location.country == frame_location.country:
                return location, mention
    if points_to_dateline:
        location = gazetteer.resolve(dateline_places[:1] + context, country_hint)
        if location.city and location.country == frame_location.country:
            return location, dateline_places[0]
    return frame_location, frame


def _ranked(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """A sentence's places, scene first, then the more specific, then the earlier."""
    return sorted(mentions, key=lambda p: (scene_rank(text, p), SPECIFICITY[p.kind], p.start))
