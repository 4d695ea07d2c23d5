"""Date expressions in article text, resolved against the publication date.

Pure string work with character offsets. Explicit dates ("3 March 2019", "2019-03-03") stand alone;
everything else ("Monday's attack", "yesterday", "In August", "March 3") needs the publication date and
is marked `relative`. The patterns are built once per language from its names and phrases
(`words/dates.toml`: months, weekdays, "yesterday" / "hier", "last Monday" / "mardi dernier"); names are
matched as the language writes them, so English month names only count when capitalised, and alone only
after a preposition: "may rise" and "a protest march" are no dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from extractors.languages import resources

DatePrecision = Literal["day", "month", "year"]

LEAP_YEAR_SEARCH = 8  # years to look back for the most recent "February 29"
YEAR = r"(?:19|20)\d{2}"
WINDOW = 20  # characters before a month, year or weekday searched for its preposition, modifier or name
STAMP_MAX_WORDS = 4
STAMP_MAX_CHARS = 80  # longer lines are sentences; checked first, as the filler scan costs more
STAMP_TIME = r"\d{1,2}[:.hH]\d{2}(?:[:.]\d{2})?"
STAMP_WORD = re.compile(r"\S+")
DATELINE_PLACE = r"[^\S\n]*[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,5},[^\S\n]*"
DATELINE_AFTER = re.compile(r",?[^\S\n]*(?:\([^)\n]{1,40}\))?[^\S\n]*[–—:-]")
ISO_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
YEAR_ALONE = re.compile(rf"(?P<year>{YEAR})\b(?![-–]?\d|\s*%)")
NEVER = "(?!)"  # the pattern of an empty word list
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


@dataclass(frozen=True)
class Phrases:
    """A case-insensitive alternation of phrases, one named group per meaning, so a match tells its meaning."""

    pattern: str
    meanings: Mapping[str, object]

    def meaning(self, match: re.Match) -> object:
        return next(value for group, value in self.meanings.items() if match.group(group) is not None)


@dataclass(frozen=True)
class DateGrammar:
    """One language's date patterns, built from its `words/dates.toml`."""

    months: Mapping[str, int]  # lower-case name or abbreviation -> month number
    weekdays: Mapping[str, int]  # lower-case name -> 0 (Monday) to 6
    day_counts: Mapping[str, int]
    month_day: re.Pattern | None
    day_month: re.Pattern
    month_year: re.Pattern
    month_alone: re.Pattern
    preposition_before: re.Pattern
    prepositions: Phrases
    month_modifier: Phrases
    years_back: Phrases
    determiner_before: re.Pattern
    event_noun_after: re.Pattern
    weekday_expression: re.Pattern
    weekday_modifiers_before: Phrases
    weekday_modifier_before: re.Pattern
    weekday_modifiers_after: Phrases
    weekday_in_name_after: re.Pattern
    weekday_in_name_before: re.Pattern
    weekday_before_date: re.Pattern
    days_before: Phrases
    days_before_pattern: re.Pattern
    days_before_triggers: tuple[str, ...]
    counted_days: Phrases
    counted_days_pattern: re.Pattern
    counted_days_triggers: tuple[str, ...]
    months_or_years_back: Phrases
    months_or_years_pattern: re.Pattern
    months_or_years_triggers: tuple[str, ...]
    night_into: re.Pattern
    stamp_filler: re.Pattern
    stamp_start: re.Pattern
    dateline_before: re.Pattern

    def readers(self) -> tuple[tuple[re.Pattern, Reader, tuple[str, ...]], ...]:
        """(pattern, reader, words of which one must occur in the lower-cased text for the pattern to be tried)"""
        calendar = ((self.month_day, _calendar_date, ()),) if self.month_day is not None else ()
        return (
            (ISO_DATE, _iso_date, ()),
            *calendar,
            (self.day_month, _calendar_date, ()),
            (self.month_year, _month_of_year, ()),
            (self.month_alone, _month_alone, ()),
            (YEAR_ALONE, _year_alone, ()),
            (self.weekday_expression, _weekday, ()),
            (self.days_before_pattern, _days_before, self.days_before_triggers),
            (self.counted_days_pattern, _counted_days_before, self.counted_days_triggers),
            (self.months_or_years_pattern, _month_or_year_relative, self.months_or_years_triggers),
        )


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
def date_grammar(language: str) -> DateGrammar:
    """The date patterns of a language, from the names and phrases of its `words/dates.toml`."""
    data = resources(language)
    tables, words = data.tables, data.words
    months = {**tables["months"], **tables["month_abbreviations"]}
    weekdays = dict(tables["weekdays"])
    day_counts = dict(tables["day_count_words"])
    month = _names(months)
    full_month = _names(tables["months"])
    weekday = _names(weekdays)
    joiner = rf"(?:(?i:{_literals(words['date_joiners'])})\s+)?" if words["date_joiners"] else ""
    day = rf"(?P<day>[0-3]\d|\d)(?:{_literals(words['day_suffixes'])})?"
    orders = words["calendar_orders"]
    prepositions = _phrases(tables["date_prepositions"], "prep")
    month_modifier = _phrases(tables["month_modifiers_after"], "month_modifier")
    years_back = _phrases(tables["years_back"], "years")
    months_back = _phrases(tables["months_back"], "months")
    weekday_before = _phrases(tables["weekday_modifiers_before"], "before", weekday=weekday)
    weekday_after = _phrases(tables["weekday_modifiers_after"], "after")
    days_before = _phrases(tables["days_before"], "days", weekday=weekday)
    count = rf"(?P<count>{_literals(day_counts)}|\d)"
    counted_days = _phrases(tables["counted_days_before"], "counted", count=count)
    months_or_years = Phrases(f"{years_back.pattern}|{months_back.pattern}",
                              {**years_back.meanings, **months_back.meanings})
    return DateGrammar(
        months={name.lower(): number for name, number in months.items()},
        weekdays={name.lower(): number for name, number in weekdays.items()},
        day_counts={name.lower(): number for name, number in day_counts.items()},
        month_day=(re.compile(rf"(?P<month>{month})\s+{day}\b(?!:|\s*(?:%|percent\b))(?:,?\s+(?P<year>{YEAR})\b)?")
                   if "month_day" in orders else None),
        day_month=re.compile(rf"{day}\s+{joiner}(?P<month>{month})(?!\w)(?:,?\s+(?P<year>{YEAR})\b)?"),
        month_year=re.compile(rf"(?P<month>{month})(?!\w)\s+{joiner}(?P<year>{YEAR})\b"),
        # Bare months, years and weekdays are found by their own word first (rare, so the scan is fast); what
        # precedes them is then checked in a short window before: "In August", "since 2014", "last Monday".
        month_alone=re.compile(
            rf"(?P<month>{full_month})\b(?!\s+\d)"
            rf"(?:\s+{joiner}(?i:{years_back.pattern})\b|\s+(?i:{month_modifier.pattern})\b)?"),
        preposition_before=re.compile(rf"\b(?i:{prepositions.pattern})[\s-]+$"),
        prepositions=prepositions,
        month_modifier=month_modifier,
        years_back=years_back,
        # "the 1998 bombing", "a 2020 attack": a year used as an adjective of an event.
        determiner_before=re.compile(rf"\b(?i:{_literals(words['year_determiners'])})\s+$"),
        event_noun_after=re.compile(rf"\s+(?:\w+\s+)?(?i:{_literals(words['year_event_nouns'])})\b"),
        weekday_expression=re.compile(rf"(?P<weekday>{weekday})\b(?!s\b)(?:(?i:{weekday_after.pattern})\b)?"),
        weekday_modifiers_before=weekday_before,
        weekday_modifier_before=re.compile(rf"\b(?i:{weekday_before.pattern})\s+$"),
        weekday_modifiers_after=weekday_after,
        # "the Sunday Times", "Bloody Sunday", "Good Friday": names, not days of this week. The words before are
        # a closed list, so a capitalised preposition ("During Friday prayers", "In Tuesday's attack") stays a date.
        weekday_in_name_after=re.compile(rf"\s+(?:{_literals(words['weekday_names_after'])})\b"),
        weekday_in_name_before=re.compile(rf"\b(?:{_literals(words['weekday_names_before'])})\s+$"),
        weekday_before_date=re.compile(rf"(?:{weekday})[\s,]+$"),
        days_before=days_before,
        days_before_pattern=re.compile(rf"\b(?i:{days_before.pattern})\b"),
        days_before_triggers=_triggers(tables["days_before"]),
        counted_days=counted_days,
        counted_days_pattern=re.compile(rf"\b(?i:{counted_days.pattern})\b"),
        counted_days_triggers=_triggers(tables["counted_days_before"]),
        months_or_years_back=months_or_years,
        months_or_years_pattern=re.compile(rf"\b(?i:{months_or_years.pattern})\b"),
        months_or_years_triggers=_triggers({**tables["years_back"], **tables["months_back"]}),
        night_into=data.patterns["night_into"],
        # A date stamp: the line holds nothing but the date, a time, a zone and words like "Updated" or an
        # agency name ("16 June 2015 | 7:19 am", "Reuters Updated 04 Jan 2021"), or the date sits in a dateline
        # ("NIAMEY, Jan 4 (Reuters) -"). It dates the copy, not the events in it.
        stamp_filler=re.compile(
            rf"{STAMP_TIME}|\b(?i:{_literals(words['stamp_words'])})(?!\w)"
            rf"|\b(?:{_literals(words['stamp_zones'])})\b|[|/•·,:()\[\]–—-]"),
        stamp_start=re.compile(rf"{weekday}|{month}|\d"),
        # "NIAMEY, Jan 4 (Reuters) -", "OUAGADOUGOU, le 14 mars (AFP) -": the place, then the language's article
        dateline_before=re.compile(rf"{DATELINE_PLACE}(?:(?i:{_literals(words['dateline_articles'])})[^\S\n]+)?"),
    )


@cache
def _readers(language: str) -> tuple[tuple[re.Pattern, Reader, tuple[str, ...]], ...]:
    return date_grammar(language).readers()


def _literals(words: Iterable[str]) -> str:
    """A flat alternation of literal words, longest first (the regex engine then skips quickly to where a first
    letter fits); an empty list never matches."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace("'", "['’]") for w in ordered) or NEVER


def _names(table: Mapping[str, int]) -> str:
    """Month or day names as the language writes them, and with a capital first letter (a sentence start)."""
    return _literals({form for name in table for form in (name, name[:1].upper() + name[1:])})


def _phrases(table: Mapping[str, object], prefix: str, **slots: str) -> Phrases:
    """Phrases (regular-expression fragments; {weekday}, {count} filled in) grouped by meaning."""
    by_meaning: dict[object, list[str]] = {}
    groups_of_slots = {name: f"(?:{pattern})" for name, pattern in slots.items()}
    for phrase, meaning in table.items():
        phrase = phrase.replace("'", "['’]")
        by_meaning.setdefault(meaning, []).append(phrase.format(**groups_of_slots) if slots else phrase)
    groups = {f"{prefix}{index}": meaning for index, meaning in enumerate(by_meaning)}
    pattern = "|".join(f"(?P<{group}>{'|'.join(sorted(by_meaning[meaning], key=len, reverse=True))})"
                       for group, meaning in groups.items())
    return Phrases(pattern or NEVER, groups)


def _triggers(table: Mapping[str, object]) -> tuple[str, ...]:
    """For each phrase, a lower-case piece of text any match of it contains: its literal start, or failing
    that (a phrase opening with a {slot}) its literal end."""
    special = re.compile(r"[\\()\[\]{}.?*+|']")
    triggers = []
    for phrase in table:
        start = special.split(phrase, 1)[0]
        end = special.split(phrase)[-1]
        piece = start or end
        if not piece.strip():
            return ()  # nothing literal to test for: always try the pattern
        triggers.append(piece.lower())
    return tuple(triggers)


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
