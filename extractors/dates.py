"""Date expressions in article text, resolved against the publication date.

Pure string work with character offsets. Explicit dates ("3 March 2019", "2019-03-03") stand alone;
everything else ("Monday's attack", "yesterday", "In August", "March 3") needs the publication date and
is marked `relative`. The patterns are the language's grammar (extractors/date_grammar.py, from the names
and phrases of its `words/dates.toml`: months, weekdays, "yesterday" / "hier", "last Monday" / "mardi
dernier"); names are matched as the language writes them, so English month names only count when
capitalised, and alone only after a preposition: "may rise" and "a protest march" are no dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from extractors.date_grammar import YEAR, DateGrammar, date_grammar

DatePrecision = Literal["day", "month", "year"]

LEAP_YEAR_SEARCH = 8  # years to look back for the most recent "February 29"
WINDOW = 20  # characters before a month, year or weekday searched for its preposition, modifier or name
STAMP_MAX_WORDS = 4
STAMP_MAX_CHARS = 80  # longer lines are sentences; checked first, as the filler scan costs more
STAMP_WORD = re.compile(r"\S+")
DATELINE_AFTER = re.compile(r",?[^\S\n]*(?:\([^)\n]{1,40}\))?[^\S\n]*[–—:-]")
ISO_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
YEAR_ALONE = re.compile(rf"(?P<year>{YEAR})\b(?![-–]?\d|\s*%)")
# A weekday just before a calendar date names the same day ("Tuesday, 25 October 2016", "mardi 26 juillet").
WEEKDAY_BEFORE_DATE_GAP = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    precision: DatePrecision
    start: int
    end: int
    text: str
    relative: bool
    stamp: bool = False  # the copy's own date in a date line or dateline (see DateGrammar.stamp_filler)


def find_dates(text: str, published: dt.date | None, language: str = "en") -> list[DateMention]:
    """Every date expression in `text`, in order; overlapping readings keep the longest ("March 3, 2019"
    over "March 3"). Expressions that need the publication date are dropped when it is None; a datetime
    counts by its calendar day."""
    if isinstance(published, dt.datetime):
        published = published.date()
    grammar = date_grammar(language)
    found: list[DateMention] = []
    lowered = text.lower()
    for pattern, read, triggers in _readers(language):
        if triggers and not any(word in lowered for word in triggers):
            continue  # a substring test is far cheaper than a case-insensitive scan
        for match in pattern.finditer(text):
            if match.start() and text[match.start() - 1].isalnum():
                continue  # mid-word; the patterns leave out a leading \b, which would slow the scan fivefold
            mention = read(grammar, match, published)
            if mention is not None:
                found.append(mention)
    found = _with_nights(grammar, text, _with_weekdays_of_dates(grammar, text, found))
    kept: list[DateMention] = []
    for mention in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted((replace(m, stamp=True) if is_stamp(text, m.start, m.end, language) else m for m in kept),
                  key=lambda m: m.start)


def is_stamp(text: str, start: int, end: int, language: str = "en") -> bool:
    """Whether the date at text[start:end] dates the copy: a line of its own (with a time, a zone, "Updated",
    a capitalised name or two) or a dateline ("NIAMEY, Jan 4 (Reuters) -", "NIAMEY, le 4 janv. (AFP) -"). Only a
    date or day name can be one; "yesterday" or "last Tuesday" never."""
    grammar = date_grammar(language)
    if not grammar.stamp_start.match(text, start):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if grammar.dateline_before.fullmatch(text, line_start, start) and DATELINE_AFTER.match(text, end, line_end):
        return True
    if line_end - line_start > STAMP_MAX_CHARS:
        return False
    rest = grammar.stamp_filler.sub(" ", text[line_start:start] + " " + text[end:line_end])
    words = STAMP_WORD.findall(rest)
    return len(words) <= STAMP_MAX_WORDS and all(word[0].isupper() or word.isdigit() for word in words)


@cache
def _readers(language: str) -> tuple[tuple[re.Pattern, Reader, tuple[str, ...]], ...]:
    """(pattern, reader, words of which one must occur in the lower-cased text for the pattern to be tried)"""
    grammar = date_grammar(language)
    calendar = ((grammar.month_day, _calendar_date, ()),) if grammar.month_day is not None else ()
    return (
        (ISO_DATE, _iso_date, ()),
        *calendar,
        (grammar.day_month, _calendar_date, ()),
        (grammar.month_year, _month_of_year, ()),
        (grammar.month_alone, _month_alone, ()),
        (YEAR_ALONE, _year_alone, ()),
        (grammar.weekday_expression, _weekday, ()),
        (grammar.days_before_pattern, _days_before, grammar.days_before_triggers),
        (grammar.counted_days_pattern, _counted_days_before, grammar.counted_days_triggers),
        (grammar.months_or_years_pattern, _month_or_year_relative, grammar.months_or_years_triggers),
    )


def _mention(match: re.Match, date: dt.date, precision: DatePrecision, relative: bool) -> DateMention:
    start, end = match.span()
    return DateMention(date, precision, start, end, match.string[start:end], relative)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _calendar_date(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    """'March 3, 2019', '3 March', 'Sept. 11', '1er mai': with no year, the most recent such day up to
    publication."""
    month, day = grammar.months[match.group("month").lower()], int(match.group("day"))
    if match.group("year"):
        date = _safe_date(int(match.group("year")), month, day)
        return _mention(match, date, "day", relative=False) if date else None
    if published is None:
        return None
    for year in range(published.year, published.year - LEAP_YEAR_SEARCH, -1):
        date = _safe_date(year, month, day)
        if date is not None and date <= published:
            return _mention(match, date, "day", relative=True)
        if date is None and not (month == 2 and day == 29):
            return None
    return None


def _iso_date(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    date = _safe_date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    return _mention(match, date, "day", relative=False) if date else None


def _month_of_year(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    date = dt.date(int(match.group("year")), grammar.months[match.group("month").lower()], 1)
    return _mention(match, date, "month", relative=False)


def _month_alone(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    """'In August': the most recent August up to the publication month ('last August', 'en août dernier':
    before it; 'In November last year': last year's)."""
    text, start = match.string, match.start()
    preposition = grammar.preposition_before.search(text, max(0, start - WINDOW), start)
    if published is None or preposition is None:
        return None
    month = grammar.months[match.group("month").lower()]
    word = grammar.prepositions.meaning(preposition)
    if any(match.group(group) is not None for group in grammar.month_modifier.meanings):
        word = grammar.month_modifier.meaning(match)
    year = published.year if month <= published.month else published.year - 1
    if word == "last" and month == published.month:
        year -= 1
    if word == "this":
        year = published.year
    if any(match.group(group) is not None for group in grammar.years_back.meanings):
        year = published.year - grammar.years_back.meaning(match)
    return _mention(match, dt.date(year, month, 1), "month", relative=True)


def _year_alone(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    """'in 2014', 'since 2014', 'the 1998 bombing'; a bare number that may be a year is not one."""
    text, start, end = match.string, match.start(), match.end()
    if start and text[start - 1] in ".,":
        return None  # "1,2014", "3.2014": part of a bigger number
    window = max(0, start - WINDOW)
    if not (grammar.preposition_before.search(text, window, start)
            or (grammar.determiner_before.search(text, window, start) and grammar.event_noun_after.match(text, end))):
        return None
    year = int(match.group("year"))
    if published is not None and year > published.year:
        return None  # plans and forecasts, not events
    return _mention(match, dt.date(year, 1, 1), "year", relative=False)


def _weekday(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    """'Monday's attack', 'early Friday', 'on Tuesday', 'mercredi soir': the most recent such day up to
    publication (the same day counts); 'last Monday' and 'mardi dernier' are before it, 'next Monday' after
    it."""
    if published is None:
        return None
    text, start, end = match.string, match.start(), match.end("weekday")
    modifier_match = grammar.weekday_modifier_before.search(text, max(0, start - WINDOW), start)
    if grammar.weekday_in_name_after.match(text, end) or (
        not modifier_match and grammar.weekday_in_name_before.search(text, max(0, start - WINDOW), start)
    ):
        return None
    weekday = grammar.weekdays[match.group("weekday").lower()]
    modifier = grammar.weekday_modifiers_before.meaning(modifier_match) if modifier_match else ""
    if match.end() > end:
        modifier = grammar.weekday_modifiers_after.meaning(match)
    if modifier == "previous_week":
        date = published - dt.timedelta(days=published.weekday() + 7 - weekday)
    elif modifier == "next":
        date = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    else:
        back = (published.weekday() - weekday) % 7
        if modifier == "last" and back == 0:
            back = 7
        date = published - dt.timedelta(days=back)
    start = modifier_match.start() if modifier_match else start
    return DateMention(date, "day", start, match.end(), text[start:match.end()], relative=True)


def _days_before(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    """'yesterday', 'hier', 'avant-hier', 'last night' and 'overnight' (the night before publication, even in a
    morning story: an attack is dated by the evening it began), 'today'."""
    if published is None:
        return None
    days = grammar.days_before.meaning(match)
    return _mention(match, published - dt.timedelta(days=days), "day", relative=True)


def _counted_days_before(grammar: DateGrammar, match: re.Match, published: dt.date | None) -> DateMention | None:
    """'three days ago', 'il y a trois jours'."""
    if published is None:
        return None
    count = match.group("count").lower()
    days = (grammar.day_counts.get(count) or int(count)) * grammar.counted_days.meaning(match)
    return _mention(match, published - dt.timedelta(days=days), "day", relative=True)


def _month_or_year_relative(grammar: DateGrammar, match: re.Match,
                            published: dt.date | None) -> DateMention | None:
    """'last month', 'this year', 'le mois dernier', "l'an dernier": month or year precision."""
    if published is None:
        return None
    back = grammar.months_or_years_back.meaning(match)
    if any(match.group(group) is not None for group in grammar.years_back.meanings):
        return _mention(match, dt.date(published.year - back, 1, 1), "year", relative=True)
    month_index = published.year * 12 + published.month - 1 - back
    return _mention(match, dt.date(month_index // 12, month_index % 12 + 1, 1), "month", relative=True)


def _with_weekdays_of_dates(grammar: DateGrammar, text: str, found: list[DateMention]) -> list[DateMention]:
    """A weekday just before a calendar date is part of it ("Tuesday, 25 October 2016", "le mercredi 20 octobre
    2021"): the date, not the weekday resolved against publication, dates it."""
    widened = []
    for mention in found:
        weekday = None
        if mention.precision == "day" and text[mention.start:mention.start + 1].isdigit():
            weekday = grammar.weekday_before_date.search(text, max(0, mention.start - WINDOW), mention.start)
        if weekday is not None:
            mention = replace(mention, start=weekday.start(), text=text[weekday.start():mention.end])
        widened.append(mention)
    return widened


def _with_nights(grammar: DateGrammar, text: str, found: list[DateMention]) -> list[DateMention]:
    """A night from one day into the next is dated by the day it began: "overnight into Sunday" and "dans la
    nuit de samedi à dimanche" are the Saturday, "la nuit du 18 au 19 janvier" the 18th."""
    day_starts: dict[int, DateMention] = {}
    for mention in sorted(found, key=lambda m: m.end):
        if mention.precision == "day":
            day_starts[mention.start] = mention  # the longest reading starting there
    nights = []
    for night in grammar.night_into.finditer(text):
        gap = WEEKDAY_BEFORE_DATE_GAP.match(text, night.end())
        following = day_starts.get(gap.end() if gap else night.end())
        if following is not None:
            nights.append(DateMention(following.date - dt.timedelta(days=1), "day", night.start(), following.end,
                                      text[night.start():following.end], following.relative))
    return found + nights


Reader = Callable[[DateGrammar, re.Match, "dt.date | None"], "DateMention | None"]
