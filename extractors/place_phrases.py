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
from extractors.places import Gazetteer, PlaceMention

UPPER = "A-ZÀ-ÖØ-Þ"
WORD = rf"[{UPPER}][^\W\d_]*(?:['’][^\W\d_]+)?"
# One to three capitalised words, joined by spaces or hyphens, after an optional Arabic article: "Solhan",
# "Tchoma Bangou", "al-Qadeeh".
NAME = rf"(?:(?:al|el|an|ad|ar|as|ash|at|az)-)?{WORD}(?:[ -]{WORD}){{0,2}}"
SETTLEMENT = r"(?:village|town|city|community|hamlet|settlement|locality)"
DIRECTION = r"(?:(?:north|south|east|west|central)(?:ern|east|west|eastern|western)?|far[ -]north)"
# The settlement noun ends its phrase ("a town in ...", "a village, ..."), unlike "the village head".
PHRASE_END = (r"(?=\s*(?:[,.;:)]|$)|\s+(?:in|of|on|near|close|located|lying|within|about|some|outside|along|by|that"
              r"|where|which|with|and|(?:north|south|east|west)\w*)\b)")
SCENE_PHRASES = [
    # "the village of Solhan", "the resort town of X", "the villages of Tchoma Bangou and Zaroumadareye"
    re.compile(rf"\b{SETTLEMENT}s?\s+of\s+(?P<name>{NAME})(?:\s+and\s+(?P<other>{NAME}))?"),
    # "Mpeketoni, a coastal town in ...", "Kasindi, an eastern Congolese city"
    re.compile(rf"(?P<name>{NAME}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?{SETTLEMENT}{PHRASE_END}"),
    # "at a place called Nyanya", "a village known as X", "an area named X"
    re.compile(rf"\b(?:place|area|spot|{SETTLEMENT})\s+(?:called|named|known\s+as)\s+(?P<name>{NAME})"),
    # "raided Kaboro village", "in al-Qadeeh village", "on Kaboro community"
    re.compile(rf"\b(?:in|at|near|on|into|raided|attacked|stormed|struck|hit|targeted)\s+(?P<name>{NAME})\s+"
               rf"(?:village|community|hamlet|settlement)\b"),
]
# "in Kolofata, northern Cameroon", "in X in Y province", "at X, near Y": the text places the name inside a
# known region or near a known town right after it ("in X, the Iraqi army said" does not).
SCENE_BEFORE_NAME = re.compile(rf"\b(?:in|at|near)\s+(?P<name>{NAME})"
                               rf"(?P<link>,\s*(?:near\s+)?|\s+(?:in|near)\s+(?:the\s+)?)(?:{DIRECTION}\s+)?")
ARTICLES = frozenset({"the", "a", "an"})
ARABIC_ARTICLES = frozenset({"al", "el", "an", "ad", "ar", "as", "ash", "at", "az"})
# The capital by its role: "the Turkish capital", "Somalia's capital", "the capital of Chad", "the country's
# capital", "in the capital". Provincial, state, commercial and other capitals are not the country's.
CAPITAL = re.compile(
    r"\b(?:(?:the|its)\s+(?P<qualifier>[\w'’-]+\s+)?|(?P<possessor>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)['’]s\s+)"
    r"capital(?:\s+city)?\b(?!\s+(?:punishment|markets?|gains|flight|investment))"
    r"(?:\s+of\b(?:\s+(?:the\s+)?(?P<of>[A-Z]))?)?")
COUNTRY_POSSESSIVES = re.compile(r"(?:country|nation|kingdom|republic)['’]s\s+$", re.IGNORECASE)


def capital_mentions(text: str, mentions: list[PlaceMention], focus: Counter[str],
                     gazetteer: Gazetteer) -> list[PlaceMention]:
    """The country capitals named by role; a bare "the capital" means the focus country's."""
    by_start = {m.start: m for m in mentions}
    found = []
    for match in CAPITAL.finditer(text):
        country = None
        if match.group(0).endswith("of"):
            continue  # "the capital of the region"
        if match.group("of"):
            named = by_start.get(match.start("of"))
            if named is None or named.kind != "country" or text.startswith(("'s", "’s"), named.end):
                continue  # "the capital of Borno state", "the capital of Chad's Lac province": a region's
            country = named.candidates[0].country
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
        elif match.group(0).startswith("the"):
            country = _focus_country(focus)
        capital = gazetteer.index.capital(country) if country else None
        if capital is not None:
            found.append(PlaceMention(match.group(0), match.start(), match.end(), "city", (capital,)))
    return found


def unlisted_towns(text: str, mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """Names a scene phrase calls a village or town, where no gazetteer place (of the article's countries)
    stands: candidate-less city mentions."""
    occupied = [(m.start, m.end) for m in mentions]
    by_start = {m.start: m for m in mentions}
    spans: set[tuple[int, int]] = set()
    for pattern in SCENE_PHRASES:
        for match in pattern.finditer(text):
            spans.update(match.span(group) for group, text_ in match.groupdict().items() if text_)
    for match in SCENE_BEFORE_NAME.finditer(text):
        following = by_start.get(match.end())
        near = "near" in match.group("link")
        if following is not None and (following.kind != "city" or near):
            spans.add(match.span("name"))
    found = []
    for start, end in sorted(spans):
        name = text[start:end]
        if any(s < end and start < e for s, e in occupied) or not _may_be_town(name, gazetteer):
            continue
        found.append(PlaceMention(name, start, end, "city", ()))
    return found


def _may_be_town(name: str, gazetteer: Gazetteer) -> bool:
    """Not an acronym, nor opened by an article, a stop name (months, titles, first names, groups) or a
    common word ("Police Station"); an Arabic article is skipped ("al-Qadeeh")."""
    words = [w for w in name.replace("-", " ").split() if w.lower() not in ARABIC_ARTICLES]
    if not words or words[0].lower() in ARTICLES or name.isupper():
        return False
    first = name_key(words[0])
    return first not in gazetteer.index.stop_keys and first not in gazetteer.index.common_keys


def _focus_country(focus: Counter[str]) -> str | None:
    return focus.most_common(1)[0][0] if focus else None
