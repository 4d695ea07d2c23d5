"""Number phrases in a parsed sentence ("at least 59", "twenty-five", "a dozen", "dozens", "une dizaine",
"vingt-sept") and the ones that are not head counts (ages, money, times, percentages, years).

The words are the language's (words/numbers.toml): number words and multipliers, plural quantity words that
stand for a typical value ("dozens"), collective numbers that round a count ("une quarantaine": about 40),
qualifier phrases and the words around a number that make it an age, a time or an amount of money.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Span

from extractors.languages import resources
from extractors.schema import Qualifier

YEAR_LIKE = re.compile(r"^(1[89]|20)\d\d$")
# A range whose bounds are this far apart is estimates that disagree, not one rounded figure ("one or two").
WIDE_RANGE_RATIO = 2
WIDE_RANGE_GAP = 10
QUALIFIERS: tuple[Qualifier, ...] = ("at_least", "more_than", "about")


@dataclass(frozen=True)
class NumberWords:
    """One language's number vocabulary, read once from its word files."""

    numbers: Mapping[str, int]
    multipliers: Mapping[str, int]
    vague: Mapping[str, int]
    approximate: Mapping[str, int]
    indefinite_articles: frozenset[str]
    halves: frozenset[str]
    # "vingt et un": a word that joins tens and the units allowed after it.
    joiners: frozenset[str]
    # Multipliers that stand alone at the start of a number ("cent vingt"): English says "a hundred".
    bare_multipliers: frozenset[str]
    joined_units: Mapping[str, int]
    # Longest phrase first, so "no fewer than" is tried before any phrase it ends with.
    qualifier_phrases: tuple[tuple[tuple[str, ...], Qualifier], ...]
    digits: re.Pattern[str]
    spaced_thousands: bool
    range_words: frozenset[str]
    range_openers: frozenset[str]
    # "between 20 and 30": the words that open and join a span read as a range.
    span_openers: frozenset[str]
    span_joiners: frozenset[str]
    currency: frozenset[str]
    before_not_a_count: frozenset[str]
    after_not_a_count: frozenset[str]
    age_units: frozenset[str]
    age_words: frozenset[str]
    months: frozenset[str]

    def is_number_word(self, lower: str) -> bool:
        """"vingt", "twenty", and hyphenated compounds of them ("vingt-sept", "dix-huit", "vingt-et-un")."""
        if lower in self.numbers:
            return True
        parts = lower.split("-")
        return len(parts) > 1 and parts[0] in self.numbers and all(
            part in self.numbers or part in self.multipliers or part in self.joiners or part in self.joined_units
            for part in parts[1:])

    def starts(self) -> frozenset[str]:
        """Words other than digits that can start a number phrase."""
        return frozenset((*self.numbers, *self.vague, *self.indefinite_articles, *self.halves,
                          *self.bare_multipliers))


@cache
def number_words(language: str) -> NumberWords:
    settings = resources(language)
    words, values = settings.words, settings.tables
    phrases = [(tuple(phrase.split()), qualifier) for qualifier in QUALIFIERS
               for phrase in words[f"qualifier_{qualifier}"]]
    separators = words["thousands_separators"]
    marks = "".join(re.escape(s) for s in separators if not s.isspace())
    digits = re.compile(rf"^\d{{1,3}}([{marks}]\d{{3}})+$|^\d+$" if marks else r"^\d+$")
    return NumberWords(
        numbers=values["number_words"], multipliers=values["multipliers"], vague=values["vague_quantities"],
        approximate=values["approximate_quantities"], indefinite_articles=words["indefinite_articles"],
        halves=words["halves"], joiners=words["number_joiners"], bare_multipliers=words["bare_multipliers"], joined_units=values["joined_units"],
        qualifier_phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        digits=digits, spaced_thousands=any(s.isspace() for s in separators), range_words=words["range_words"],
        range_openers=words["range_openers"], span_openers=words["span_openers"], span_joiners=words["span_joiners"], currency=words["currency_symbols"],
        before_not_a_count=words["before_not_a_count"], after_not_a_count=words["after_not_a_count"],
        age_units=words["age_units"], age_words=words["age_words"], months=words["month_words"],
    )


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
    words = number_words(doc.lang_)
    lower = doc[index].lower_
    limit = sentence.end
    following = doc[index + 1].lower_ if index + 1 < limit else ""
    if lower in words.vague:
        return _with_qualifier(doc, index, index, words.vague[lower], sentence, vague=True)
    if lower in words.indefinite_articles and following in words.approximate:
        quantity = _with_qualifier(doc, index, index + 1, words.approximate[following], sentence)
        return replace(quantity, qualifier="about") if quantity.qualifier == "exact" else quantity
    if lower in words.indefinite_articles and following in words.multipliers:
        return _with_qualifier(doc, index, index + 1, words.multipliers[following], sentence)
    if (lower in words.halves and index + 2 < limit and following in words.indefinite_articles
            and doc[index + 2].lower_ in words.multipliers):
        return _with_qualifier(doc, index, index + 2, words.multipliers[doc[index + 2].lower_] // 2, sentence)
    spelled = _spelled_number(doc, index, limit, words)
    if spelled is None:
        return None
    last, value = spelled
    upper = _range_upper_bound(doc, index, last, value, limit, words)
    if upper is not None:
        last, upper_value = upper
        # Estimates far apart, or closing on a vague amount ("entre 100 et 200", "de cent à plusieurs
        # centaines"), agree only on their lower bound; a close range stands for its upper bound.
        wide = upper_value is None or (upper_value >= WIDE_RANGE_RATIO * value
                                       and upper_value - value >= WIDE_RANGE_GAP)
        quantity = _with_qualifier(doc, index, last, value if wide else upper_value, sentence)
        return replace(quantity, qualifier="at_least" if wide else "about") if quantity.qualifier == "exact" else quantity
    return _with_qualifier(doc, index, last, value, sentence)


def _spelled_number(doc: Doc, index: int, limit: int, words: NumberWords) -> tuple[int, int] | None:
    """(last token, value) of the digits or number words starting at `index` ("twenty-five", "1,200",
    "1 200")."""
    token = doc[index]
    if not (words.digits.match(token.text) or words.is_number_word(token.lower_)
            or token.lower_ in words.bare_multipliers):
        return None
    last = index
    while last + 1 < limit:
        following = doc[last + 1]
        if words.is_number_word(following.lower_) or following.lower_ in words.multipliers:
            last += 1
        elif following.text == "-" and last + 2 < limit and words.is_number_word(doc[last + 2].lower_):
            last += 2
        elif (following.lower_ in words.joiners and last + 2 < limit and doc[last + 2].lower_ in words.joined_units
              and words.numbers.get(doc[last].lower_, 0) >= 20):
            last += 2
        elif (words.spaced_thousands and doc[last].text.isdigit() and len(doc[last].text) <= 3
              and len(following.text) == 3 and following.text.isdigit() and doc[last].whitespace_):
            last += 1
        else:
            break
    parts = [doc[i] for i in range(index, last + 1) if doc[i].text != "-"]
    if words.spaced_thousands and all(t.text.isdigit() for t in parts):
        return last, int("".join(t.text for t in parts))
    value = number_value([piece for t in parts for piece in _pieces(t.lower_, words)], doc.lang_)
    return None if value is None else (last, value)


def _pieces(lower: str, words: NumberWords) -> list[str]:
    return lower.split("-") if "-" in lower and words.is_number_word(lower) else [lower]


def _range_upper_bound(doc: Doc, index: int, last: int, value: int, limit: int,
                       words: NumberWords) -> tuple[int, int | None] | None:
    """The last token and value of a range's upper bound: "50 to 55 people", "one or two", "20-25", "entre 20
    et 30"; the value is None for a vague one ("de cent à plusieurs centaines de morts"). Not "from 10 to 25",
    which is a revision and leaves 25 to be read on its own."""
    if last + 2 >= limit:
        return None
    opener = doc[index - 1].lower_ if index > 0 else ""
    between = opener in words.span_openers and doc[last + 1].lower_ in words.span_joiners
    if not between and (doc[last + 1].lower_ not in words.range_words or opener in words.range_openers):
        return None
    vague = last + 2 if doc[last + 2].tag_ != "DT" else last + 3
    if vague < limit and doc[vague].lower_ in words.vague and words.vague[doc[vague].lower_] > value:
        return vague, None
    upper = _spelled_number(doc, last + 2, limit, words)
    return upper if upper is not None and upper[1] > value else None


def number_value(pieces: list[str], language: str = "en") -> int | None:
    """The integer a run of number words or digits spells ("twenty-five", "two dozen", "1,200", "quatre vingt
    dix"): pieces are lower-case words, hyphenated compounds already split."""
    words = number_words(language)
    total = current = 0
    for piece in pieces:
        if words.digits.match(piece):
            current += int(re.sub(r"\D", "", piece))
        elif piece in words.numbers:
            number = words.numbers[piece]
            # "quatre-vingt": a number before twenty multiplies it, as before a hundred.
            current = current * number if number == 20 and 1 < current < 10 else current + number
        elif piece in words.joiners:
            continue
        elif piece in words.joined_units:
            current += words.joined_units[piece]
        elif piece in words.multipliers:
            multiplier = words.multipliers[piece]
            current = max(current, 1) * multiplier
            if multiplier >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def _with_qualifier(doc: Doc, first: int, last: int, value: int, sentence: Span, vague: bool = False) -> Quantity:
    words = number_words(doc.lang_)
    longest = max((len(p) for p, _ in words.qualifier_phrases), default=0)
    before = tuple(doc[i].lower_ for i in range(max(sentence.start, first - longest), first))
    for phrase, qualifier in words.qualifier_phrases:
        if len(before) >= len(phrase) and before[len(before) - len(phrase):] == phrase:
            return Quantity(first, last, first - len(phrase), value, "about" if vague else qualifier, vague)
    return Quantity(first, last, first, value, "about" if vague else "exact", vague)


def is_not_a_headcount(doc: Doc, quantity: Quantity, sentence: Span) -> bool:
    """Ages ("aged 9", "25-year-old", "Hernan Munoz, 52,", "âgé de 30 ans"), dates, money, times, percentages,
    "no one"."""
    words = number_words(doc.lang_)
    first, last = quantity.first, quantity.last
    before = doc[first - 1] if first > sentence.start else None
    after = doc[last + 1] if last + 1 < sentence.end else None
    if before is not None and (before.lower_ in words.currency or before.lower_ in words.before_not_a_count):
        return True
    if before is not None and before.lower_ in words.months or after is not None and after.lower_ in words.months:
        return True
    if after is None:
        return False
    if after.lower_ in words.after_not_a_count:
        return True
    if after.text == "-" and last + 2 < sentence.end and doc[last + 2].lower_ in words.age_units:
        return True
    if after.lower_ in words.age_units and (not words.age_words or last + 2 < sentence.end
                                            and doc[last + 2].lower_ in words.age_words):
        return True
    # "Councilman Hernan Munoz, 52, died": a bare number set off by commas right after a name is an age.
    return (before is not None and before.text == "," and after.text == "," and first >= sentence.start + 2
            and doc[first - 2].tag_ in ("NNP", "NNPS"))
