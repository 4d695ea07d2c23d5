"""Number phrases in a parsed sentence ("at least 59", "twenty-five", "a dozen", "dozens") and the ones that
are not head counts (ages, money, times, percentages, years)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from extractors.schema import Qualifier

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
YEAR_LIKE = re.compile(r"^(1[89]|20)\d\d$")
DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
CURRENCY = frozenset({"$", "£", "€", "rs", "rs."})
AFTER_NOT_A_COUNT = frozenset({"%", "percent", ":", "a.m.", "p.m.", "am", "pm", "gmt", "o'clock"})
MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "jan.", "feb", "feb.", "mar.", "apr", "apr.", "jun.", "jul.", "aug", "aug.", "sept",
    "sept.", "sep.", "oct", "oct.", "nov", "nov.", "dec", "dec.",
})


@dataclass(frozen=True)
class Quantity:
    """Tokens [first, last] spell `value`; `start` is where the phrase begins, qualifier included. `vague` marks
    a plural quantity word ("dozens") standing for a typical value."""

    first: int
    last: int
    start: int
    value: int
    qualifier: Qualifier
    vague: bool = False


def quantity_at(doc: Doc, index: int, sentence: Span) -> Quantity | None:
    """The number phrase starting at token `index`, or None."""
    token = doc[index]
    lower = token.lower_
    limit = sentence.end
    if lower in VAGUE_QUANTITIES:
        return _with_qualifier(doc, index, index, VAGUE_QUANTITIES[lower], sentence, vague=True)
    if lower in ("a", "an") and index + 1 < limit and doc[index + 1].lower_ == "dozen":
        return _with_qualifier(doc, index, index + 1, 12, sentence)
    if lower == "half" and index + 2 < limit and doc[index + 1].lower_ == "a" and doc[index + 2].lower_ == "dozen":
        return _with_qualifier(doc, index, index + 2, 6, sentence)
    spelled = _spelled_number(doc, index, limit)
    if spelled is None:
        return None
    last, value = spelled
    upper = _range_upper_bound(doc, index, last, value, limit)
    if upper is not None:
        last, value = upper
        quantity = _with_qualifier(doc, index, last, value, sentence)
        return replace(quantity, qualifier="about") if quantity.qualifier == "exact" else quantity
    return _with_qualifier(doc, index, last, value, sentence)


def _spelled_number(doc: Doc, index: int, limit: int) -> tuple[int, int] | None:
    """(last token, value) of the digits or number words starting at `index` ("twenty-five", "1,200")."""
    token = doc[index]
    if not (DIGITS.match(token.text) or token.lower_ in NUMBER_WORDS):
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
    value = number_value([doc[i].lower_ for i in range(index, last + 1) if doc[i].text != "-"])
    return None if value is None else (last, value)


def _range_upper_bound(doc: Doc, index: int, last: int, value: int, limit: int) -> tuple[int, int] | None:
    """"50 to 55 people", "one or two", "20-25": a range stands for its upper bound. Not "from 10 to 25",
    which is a revision and leaves 25 to be read on its own."""
    if last + 2 >= limit or doc[last + 1].lower_ not in ("to", "or", "-"):
        return None
    if index > 0 and doc[index - 1].lower_ in ("from", "between"):
        return None
    upper = _spelled_number(doc, last + 2, limit)
    return upper if upper is not None and upper[1] > value else None


def number_value(words: list[str]) -> int | None:
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


def _with_qualifier(doc: Doc, first: int, last: int, value: int, sentence: Span, vague: bool = False) -> Quantity:
    before = tuple(doc[i].lower_ for i in range(max(sentence.start, first - 3), first))
    for words, qualifier in QUALIFIER_PHRASES:
        if before[len(before) - len(words):] == words and len(before) >= len(words):
            return Quantity(first, last, first - len(words), value, "about" if vague else qualifier, vague)
    return Quantity(first, last, first, value, "about" if vague else "exact", vague)


def is_not_a_headcount(doc: Doc, quantity: Quantity, sentence: Span) -> bool:
    """Ages ("aged 9", "25-year-old", "Hernan Munoz, 52,"), dates, money, times, percentages, "no one"."""
    first, last = quantity.first, quantity.last
    before = doc[first - 1] if first > sentence.start else None
    after = doc[last + 1] if last + 1 < sentence.end else None
    if before is not None and (before.lower_ in CURRENCY or before.lower_ in ("aged", "age", "no")):
        return True
    if before is not None and before.lower_ in MONTHS or after is not None and after.lower_ in MONTHS:
        return True
    if after is None:
        return False
    if after.lower_ in AFTER_NOT_A_COUNT:
        return True
    if after.text == "-" and last + 2 < sentence.end and doc[last + 2].lower_ in ("year", "years", "month"):
        return True
    if after.lower_ in ("years", "year") and last + 2 < sentence.end and doc[last + 2].lower_ == "old":
        return True
    # "Councilman Hernan Munoz, 52, died": a bare number set off by commas right after a name is an age.
    return (before is not None and before.text == "," and after.text == "," and first >= sentence.start + 2
            and doc[first - 2].tag_ in ("NNP", "NNPS"))
