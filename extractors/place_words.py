"""The place rules' words in one language (words/places.toml, words/place_common_words.toml), compiled once
into the patterns extractors.places, extractors.place_phrases and extractors.location test.

The rules' shapes are written here once ("a scene preposition, maybe an article, maybe a direction, then the
name"); each language fills them with its words, so French "dans le nord du Mali" and English "in northern
Mali" are one rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from extractors.gazetteer import name_key
from extractors.languages import resources

APOSTROPHE = "['’]"
NEVER = "(?:(?!))"  # an empty word set: a group that never matches


def alternatives(phrases: Iterable[str]) -> str:
    """A group matching any of the phrases (longest first), any run of spaces between their words."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not ordered:
        return NEVER
    return "(?:" + "|".join(_phrase(p) for p in ordered) + ")"


def leading(phrases: Iterable[str]) -> str:
    """A group matching any of the phrases with the space after it: none after an elision ("d'Arras")."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not ordered:
        return NEVER
    return "(?:" + "|".join(_phrase(p) + (r"\s*" if p.endswith("'") else r"\s+") for p in ordered) + ")"


def _phrase(phrase: str) -> str:
    return r"\s+".join(re.escape(word).replace("'", APOSTROPHE) for word in phrase.split())


@dataclass(frozen=True)
class PlaceWords:
    stop_keys: frozenset[str]
    common_keys: frozenset[str]
    openers: frozenset[str]
    elisions: frozenset[str]
    lowercase_demonyms: re.Pattern[str]  # case-sensitive: "nigériens", not the noun "Nigériens" (the gazetteer's)
    articles: frozenset[str]
    # Each matches a text that ends right before a place name.
    licensing_before: re.Pattern[str]
    admin1_before: re.Pattern[str]
    town_before: re.Pattern[str]
    district_before: re.Pattern[str]
    scene_before: re.Pattern[str]
    proximity_before: re.Pattern[str]
    reference_before: re.Pattern[str]
    speaking_before: re.Pattern[str]
    border_before: re.Pattern[str]
    media_before: re.Pattern[str]
    media_after: re.Pattern[str]  # matches right after a name ("French media")
    landmark_before: re.Pattern[str]
    earlier_event_before: re.Pattern[str]
    # extractors.place_phrases: towns named by a scene phrase.
    scene_phrases: tuple[re.Pattern[str], ...]
    capital: re.Pattern[str]
    scene_then_region: re.Pattern[str]
    near: re.Pattern[str]  # in scene_then_region's link: the name is near the region's town, not in it
    licensed_name: re.Pattern[str]  # "à Barsalogho", "in Kawuri": a name after a preposition that licenses places


@cache
def place_words(language: str) -> PlaceWords:
    words = resources(language).words
    of = leading(words["place_of"])
    articles = leading(words["place_articles"])
    definite = leading(words["place_definite_articles"])
    direction = leading(words["place_directions"]) + leading(words["place_direction_links"]) + "?"
    possessor = r"(?:[A-Z][\w-]+(?:\s[A-Z][\w-]+)?['’]s\s+)?"  # "in Nigeria's Borno state"
    adjective = rf"(?:\s+{alternatives(words['place_noun_adjectives'])})?"  # "la base militaire de"
    before = re.IGNORECASE
    return PlaceWords(
        stop_keys=frozenset(name_key(w) for w in words["place_stopwords"]),
        common_keys=words["place_common_words"],
        openers=frozenset(name_key(w) for w in words["place_openers"]),
        elisions=frozenset(words["place_elisions"]),
        lowercase_demonyms=re.compile(rf"(?<!\w){alternatives(words['place_lowercase_demonyms'])}s?(?!\w)"),
        articles=frozenset(name_key(w) for w in words["place_articles"]),
        licensing_before=re.compile(rf"\b{leading(words['place_licensing'])}$", before),
        admin1_before=re.compile(rf"\b{alternatives(words['admin1_nouns'])}\s+{of}$", before),
        town_before=re.compile(rf"\b{alternatives(words['town_nouns'])}\s+{of}$", before),
        district_before=re.compile(rf"\b{alternatives(words['district_nouns'])}\s+{of}{definite}?$", before),
        scene_before=re.compile(
            rf"(?:\b{leading(words['scene_prepositions'])}{definite}?{possessor}(?:{direction})?"
            rf"|\b{articles}(?:[\w-]+\s+){{0,2}}{alternatives(words['scene_nouns'])}{adjective}\s+{of}"
            rf"|\b{articles}{alternatives(words['named_place_nouns'])}\s+{leading(words['called_words'])})$", before),
        proximity_before=re.compile(rf"\b{leading(words['proximity_prepositions'])}{definite}?$", before),
        reference_before=re.compile(rf"\b{leading(words['reference_phrases'])}{definite}?$", before),
        near=re.compile(alternatives(words["scene_then_region_near"]), re.IGNORECASE),
        speaking_before=re.compile(
            rf"\b(?:{leading(words['speaking_verbs'])}{definite}?{alternatives(words['speaking_audiences'])}"
            rf"|{alternatives(words['speaking_alone'])})\s+(?:[\w-]+\s+)?{leading(words['speaking_prepositions'])}"
            rf"{definite}?$", before),
        border_before=re.compile(rf"\b{leading(words['border_before'])}{definite}?$", before),
        media_before=re.compile(rf"\b{alternatives(words['media_nouns'])}\s+$", before),
        media_after=re.compile(rf"\s+{alternatives(words['media_nouns'])}\b", before),
        landmark_before=re.compile(
            rf"\b{leading(words['distance_before'])}{definite}?$", before),
        earlier_event_before=re.compile(
            rf"\b{alternatives(words['earlier_time_units'])}\s+{alternatives(words['earlier_relations'])}\b[^,.;:\n]*$",
            before),
        licensed_name=re.compile(
            rf"(?:(?i:\b{leading(words['place_licensing'])})|\b{leading(words['place_licensing_unaccented_capitals'])})"
            rf"(?P<name>{NAME})(?![\w'’-])"),
        scene_phrases=_scene_phrases(words),
        capital=re.compile(
            rf"\b(?:(?P<determiner>{alternatives(words['capital_determiners'])})\s+(?P<qualifier>[\w'’-]+\s+)?"
            rf"|(?P<possessor>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)['’]s\s+)"
            rf"(?P<capital>{alternatives(words['capital_words'])})\b"
            rf"(?!\s+{alternatives(words['capital_not_after'])}\b)"
            rf"(?:(?P<of_word>\s+{alternatives(words['place_of'])}\b)(?:\s*{definite}?(?:(?P<country_noun>"
            rf"{alternatives(words['capital_country_nouns'])}\b)|(?P<of>[A-Z])))?|\s+(?P<after>[^\W\d_]+))?"),
        scene_then_region=re.compile(
            rf"\b{leading(words['scene_then_region_before'])}(?P<name>{NAME})"
            rf"(?P<link>,\s*(?:(?P<comma_link>{leading(words['scene_then_region_comma_links'])}){definite}?"
            rf"(?P<region>{alternatives(words['admin1_nouns'])}\s+{of})?|{leading(words['scene_then_region_near'])}"
            rf"|{leading(words['scene_then_region_links'])}{definite}?)?"
            rf"|\s+{leading(words['scene_then_region_links'])}{definite}?)(?:{direction})?"),
    )


UPPER = "A-ZÀ-ÖØ-Þ"
WORD = rf"[{UPPER}][^\W\d_]*(?:['’][^\W\d_]+)?"
# One to three capitalised words, joined by spaces or hyphens, after an optional Arabic article: "Solhan",
# "Tchoma Bangou", "al-Qadeeh".
NAME = rf"(?:(?:al|el|an|ad|ar|as|ash|at|az)-)?{WORD}(?:[ -]{WORD}){{0,2}}"


def _scene_phrases(words) -> tuple[re.Pattern[str], ...]:
    settlement = alternatives(words["settlement_nouns"])
    of = leading(words["place_of"])
    directions = alternatives(words["place_directions"])
    # The settlement noun ends its phrase ("a town in ...", "a village, ..."), unlike "the village head".
    after_noun = alternatives(words["place_noun_adjectives"]) + "|" + alternatives(words["place_lowercase_demonyms"])
    phrase_end = rf"(?=\s*(?:[,.;:)]|$)|\s+(?:{alternatives(words['settlement_phrase_ends'])}|{directions}\w*)\b)"
    return (
        # "the village of Solhan", "the villages of Tchoma Bangou and Zaroumadareye", "le village de Kié"
        re.compile(rf"\b{settlement}s?(?:\s+{alternatives(words['place_noun_adjectives'])})?\s+{of}(?P<name>{NAME})"
                   rf"(?:\s+{alternatives(words['place_and'])}\s+(?P<other>{NAME}))?"),
        # "Mpeketoni, a coastal town in ...", "Kasindi, an eastern Congolese city", "X, un village distant de ...";
        # with no article, one word before the noun ("X, petit village camerounais à ..."); an adjective or a
        # demonym may follow the noun
        re.compile(rf"(?P<name>{NAME}),\s+(?:{leading(words['place_articles'])}(?:[\w-]+\s+){{0,3}}?|(?:[\w-]+\s+)?)"
                   rf"{settlement}(?:\s+(?:{after_noun}))?{phrase_end}"),
        # "at a place called Nyanya", "a village known as X", "une localité appelée X"
        re.compile(rf"\b{alternatives(words['named_place_nouns'])}\s+{leading(words['called_words'])}(?P<name>{NAME})"),
        # "raided Kaboro village", "in al-Qadeeh village", "on Kaboro community"
        re.compile(rf"\b{leading(words['name_then_settlement_before'])}(?P<name>{NAME})\s+"
                   rf"{alternatives(words['name_then_settlement_nouns'])}\b"),
    )
