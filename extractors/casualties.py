"""Casualty counts from a parsed Doc: which number belongs to killed, injured or the attackers.

A number counts only when the dependency parse links it (or the noun it quantifies) to a death or
injury word within its own clause, so ages, dates, distances, money and crowd sizes never become tolls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span, Token

from extractors.schema import Count, Qualifier

CasualtyKind = Literal["killed", "injured", "attackers", "attackers_killed"]

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "dozen": 12}
# Plural quantity words stand for a typical value and are always approximate.
VAGUE_QUANTITIES = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}
QUALIFIER_PHRASES: tuple[tuple[tuple[str, ...], Qualifier], ...] = (
    (("at", "least"), "at_least"),
    (("no", "fewer", "than"), "at_least"),
    (("more", "than"), "more_than"),
    (("upwards", "of"), "more_than"),
    (("in", "excess", "of"), "more_than"),
    (("over",), "more_than"),
    (("an", "estimated"), "about"),
    (("up", "to"), "about"),
    (("close", "to"), "about"),
    (("as", "many", "as"), "about"),
    (("about",), "about"),
    (("around",), "about"),
    (("nearly",), "about"),
    (("almost",), "about"),
    (("some",), "about"),
    (("roughly",), "about"),
    (("approximately",), "about"),
)

KILLED_WORDS = frozenset({
    "killed", "kill", "kills", "killing", "dead", "died", "die", "dies", "dying", "death", "deaths", "slain",
    "slew", "massacred", "perished", "fatalities", "lives", "murdered", "executed", "beheaded",
})
INJURED_WORDS = frozenset({
    "wounded", "wounding", "wound", "wounds", "injured", "injuring", "injure", "injures", "injuries", "hurt",
    "hospitalized", "hospitalised", "maimed",
})
TOLL_VERBS = frozenset({"rose", "risen", "rises", "climbed", "climbs", "reached", "jumped", "increased", "stood",
                        "stands", "hit", "mounted", "surged"})
SPEECH_VERBS = frozenset({"said", "says", "say", "told", "tells", "added", "announced", "stated", "claimed",
                          "according"})
ATTACKER_NOUNS = frozenset({
    "attackers", "attacker", "gunmen", "gunman", "assailants", "assailant", "militants", "militant", "bombers",
    "bomber", "insurgents", "insurgent", "terrorists", "terrorist", "jihadists", "jihadist", "hijackers",
    "kidnappers", "abductors", "hostage-takers", "assassins", "fighters", "extremists",
})
PERSON_NOUNS = frozenset({
    "policeman", "policewoman", "soldier", "officer", "guard", "civilian", "man", "woman", "child", "boy", "girl",
    "journalist", "student", "teacher", "worker", "judge", "lawmaker", "politician", "cleric", "priest", "imam",
    "leader", "official", "commander", "tourist", "passenger", "pedestrian", "resident", "villager", "shopkeeper",
    "doctor", "nurse", "driver", "bystander", "lawyer", "activist", "cadet", "constable", "worshipper", "person",
    "trooper", "security guard", "mayor", "governor", "minister", "councillor", "councilor", "elder", "farmer",
})
# Nouns a number can quantify that are never victims: units, time, money, objects, events.
NON_VICTIM_NOUNS = frozenset({
    "miles", "mile", "km", "kilometres", "kilometers", "kilometre", "kilometer", "metres", "meters", "metre",
    "meter", "feet", "foot", "yards", "yard", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "week",
    "months", "month", "years", "year", "decades", "decade", "percent", "per", "%", "dollars", "dollar", "$",
    "rupees", "euros", "pounds", "tonnes", "tons", "kg", "kilograms", "times", "attacks", "attack", "bombings",
    "blasts", "explosions", "incidents", "groups", "vehicles", "cars", "houses", "homes", "buildings", "shops",
    "rounds", "shots", "bullets", "goals", "points", "runs", "wickets", "games", "matches", "shares", "cases",
    "people's", "votes", "seats", "villages", "provinces", "districts", "countries", "cities", "floors", "storeys",
    "bombs", "grenades", "rockets", "mortars", "weapons", "rifles", "o'clock", "am", "pm", "a.m.", "p.m.",
})
YEAR_LIKE = re.compile(r"^(1[89]|20)\d\d$")
DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


@dataclass(frozen=True)
class CasualtyMention:
    """One count in the text: the tokens [start, end) of the phrase and the token of its governing predicate."""

    kind: CasualtyKind
    count: Count
    start: int
    end: int
    predicate: int

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


def find_casualties(doc: Doc, max_hops: int = 4) -> list[CasualtyMention]:
    """Every victim, injury and attacker count the parse supports, in text order."""
    mentions: list[CasualtyMention] = []
    for sentence in doc.sents:
        index = sentence.start
        while index < sentence.end:
            quantity = _quantity_at(doc, index, sentence.end)
            if quantity is None:
                index += 1
                continue
            first, last, value, vague = quantity
            mentions.extend(_classify(doc, sentence, first, last, value, vague, max_hops))
            index = last + 1
    return mentions


def _quantity_at(doc: Doc, index: int, limit: int) -> tuple[int, int, int, bool] | None:
    """The number phrase starting at token `index`: (first, last, value, vague) or None."""
    token = doc[index]
    lower = token.lower_
    if lower in VAGUE_QUANTITIES:
        return index, index, VAGUE_QUANTITIES[lower], True
    if lower in ("a", "an") and index + 1 < limit:
        if doc[index + 1].lower_ == "dozen":
            return index, index + 1, 12, False
        if token.dep_ == "det" and token.head.lower_ in PERSON_NOUNS and 0 < token.head.i - index <= 3:
            return index, index, 1, False
    if lower == "half" and index + 2 < limit and doc[index + 1].lower_ == "a" and doc[index + 2].lower_ == "dozen":
        return index, index + 2, 6, False
    if not (DIGITS.match(token.text) or lower in NUMBER_WORDS):
        return None
    last = index
    while last + 1 < limit:
        following = doc[last + 1]
        if following.lower_ in NUMBER_WORDS or following.lower_ in MULTIPLIERS:
            last += 1
        elif following.text == "-" and last + 2 < limit and doc[last + 2].lower_ in NUMBER_WORDS:
            last += 2
        else:
            break
    value = _number_value([doc[i].lower_ for i in range(index, last + 1) if doc[i].text != "-"])
    if value is None:
        return None
    return index, last, value, False


def _number_value(words: list[str]) -> int | None:
    """The integer a run of number words or digits spells ("twenty-five", "two dozen", "1,200")."""
    total = current = 0
    for word in words:
        if DIGITS.match(word):
            current += int(word.replace(",", ""))
        elif word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word in MULTIPLIERS:
            multiplier = MULTIPLIERS[word]
            current = max(current, 1) * multiplier
            if multiplier >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def _qualifier(doc: Doc, first: int, sentence: Span) -> tuple[Qualifier, int]:
    """The qualifier written before a number and the token where the phrase starts."""
    for words, qualifier in QUALIFIER_PHRASES:
        start = first - len(words)
        if start >= sentence.start and tuple(t.lower_ for t in doc[start:first]) == words:
            return qualifier, start
    return "exact", first


def _classify(doc: Doc, sentence: Span, first: int, last: int, value: int, vague: bool,
              max_hops: int) -> list[CasualtyMention]:
    number = doc[last]
    if _is_not_a_headcount(doc, first, last, sentence):
        return []
    anchor = number.head if number.dep_ in ("nummod", "quantmod", "det") and number.head.i > last else number
    noun = _quantified_noun(anchor)
    if noun.lower_ in NON_VICTIM_NOUNS or (YEAR_LIKE.match(number.text) and noun.tag_ != "NNS"):
        return []
    kind, predicate = _casualty_predicate(anchor, max_hops)
    qualifier, start = _qualifier(doc, first, sentence)
    count = Count(value=value, qualifier="about" if vague else qualifier)
    end = max(last, noun.i if noun.i <= last + 3 else last) + 1
    if noun.lower_ in ATTACKER_NOUNS:
        if number.dep_ != "nummod" and not vague:
            return []
        mentions = [CasualtyMention("attackers", count, start, end, predicate)]
        if kind == "killed":
            mentions.append(CasualtyMention("attackers_killed", count, start, end, predicate))
        return mentions
    if kind is None:
        return []
    return [CasualtyMention(kind, count, start, end, predicate)]


def _is_not_a_headcount(doc: Doc, first: int, last: int, sentence: Span) -> bool:
    """Ages, times, money and percentages around the number phrase."""
    before = doc[first - 1] if first > sentence.start else None
    after = doc[last + 1] if last + 1 < sentence.end else None
    if before is not None and (before.text in ("$", "£", "€", "Rs", "Rs.") or before.lower_ in ("aged", "age")):
        return True
    if after is not None:
        if after.lower_ in ("%", "percent", ":", "a.m.", "p.m.", "am", "pm", "gmt", "o'clock"):
            return True
        if after.text == "-" and last + 2 < sentence.end and doc[last + 2].lower_ in ("year", "years", "month"):
            return True
        if after.lower_ in ("years", "year") and last + 2 < sentence.end and doc[last + 2].lower_ == "old":
            return True
    return False


def _quantified_noun(anchor: Token) -> Token:
    """"dozens of people" quantifies "people"; other anchors quantify themselves."""
    if anchor.lower_ in VAGUE_QUANTITIES or anchor.tag_ == "CD":
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    return anchor


def casualty_word_kind(token: Token) -> Literal["killed", "injured"] | None:
    lower = token.lower_
    if lower in KILLED_WORDS:
        return "killed"
    if lower in INJURED_WORDS:
        return "injured"
    return None


def _casualty_predicate(anchor: Token, max_hops: int) -> tuple[Literal["killed", "injured"] | None, int]:
    """Walk up from the counted word to the death or injury word of its clause, if any."""
    kind = casualty_word_kind(anchor)
    if kind:
        return kind, anchor.i
    for child in anchor.children:
        if child.dep_ in ("amod", "acl", "relcl") and casualty_word_kind(child):
            return casualty_word_kind(child), child.i
    current = anchor
    for _ in range(max_hops):
        head = current.head
        if head.i == current.i or head.lower_ in SPEECH_VERBS:
            break
        kind = casualty_word_kind(head)
        if kind:
            return kind, head.i
        if head.lower_ == "toll":
            return _toll_kind(head), head.i
        if head.tag_.startswith("VB") and head.lower_ not in ("including", "among"):
            return _verb_complement_kind(head)
        current = head
    return None, anchor.i


def _verb_complement_kind(verb: Token) -> tuple[Literal["killed", "injured"] | None, int]:
    """"left five people dead", "were confirmed dead", "lost their lives", "the toll rose to 14"."""
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "xcomp", "dobj") and casualty_word_kind(child):
            return casualty_word_kind(child), verb.i
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ == "toll" and verb.lower_ in TOLL_VERBS:
            return _toll_kind(child), verb.i
    return None, verb.i


def _toll_kind(toll: Token) -> Literal["killed", "injured"]:
    modifiers = {child.lower_ for child in toll.children}
    return "injured" if modifiers & {"injury", "injuries", "casualty"} else "killed"
