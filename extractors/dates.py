"""Date expressions in article text, resolved against the publication date.

Pure string work with character offsets. Explicit dates ("3 March 2019", "2019-03-03") stand alone;
everything else ("Monday's attack", "yesterday", "In August", "March 3") needs the publication date and
is marked `relative`. Month names only count when capitalised, and alone only after a preposition,
so "may rise" and "a protest march" are no dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

DatePrecision = Literal["day", "month", "year"]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6}
SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
LEAP_YEAR_SEARCH = 8  # years to look back for the most recent "February 29"

# Flat alternations of literals: the regex engine then skips quickly to where a first letter fits.
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR = r"(?:19|20)\d{2}"
# Prepositions that make a bare month or year a date: "In August", "since 2014", "mid-September".
DATE_PREPOSITION = (
    r"(?i:in|since|during|until|till|by|from|through|throughout|early|late|mid|of|before|after|last|this)"
)
DAY = r"(?P<day>[0-3]\d|\d)(?:st|nd|rd|th)?"

ISO_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
MONTH_DAY = re.compile(rf"(?P<month>{MONTH})\s+{DAY}\b(?!:|\s*(?:%|percent\b))(?:,?\s+(?P<year>{YEAR})\b)?")
DAY_MONTH = re.compile(rf"{DAY}\s+(?:of\s+)?(?P<month>{MONTH})(?!\w)(?:,?\s+(?P<year>{YEAR})\b)?")
MONTH_YEAR = re.compile(rf"(?P<month>{MONTH})(?!\w)\s+(?:of\s+)?(?P<year>{YEAR})\b")
# Bare months, years and weekdays are found by their own word first (rare, so the scan is fast); what
# precedes them is then checked in a short window before: "In August", "since 2014", "last Monday".
MONTH_ALONE = re.compile(
    rf"(?P<month>{FULL_MONTH})\b(?!\s+\d)(?:\s+(?:of\s+)?(?P<which_year>(?i:last|this)\s+(?i:year))\b)?"
)
PREPOSITION_BEFORE = re.compile(rf"\b(?P<prep>{DATE_PREPOSITION})[\s-]+$")
YEAR_ALONE = re.compile(rf"(?P<year>{YEAR})\b(?![-–]?\d|\s*%)")
# "the 1998 bombing", "a 2020 attack": a year used as an adjective of an event.
DETERMINER_BEFORE = re.compile(r"\b(?i:the|an?|its|their|his|her)\s+$")
EVENT_NOUN_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?i:attacks?|bombings?|blasts?|massacres?|assaults?|raids?|sieges?|shootings?|killings?"
    r"|ambush(?:es)?|explosions?|hijackings?|kidnappings?|uprising|insurgency|offensive|war|coup|elections?"
    r"|invasion)\b"
)
WEEKDAY_EXPRESSION = re.compile(
    rf"(?P<weekday>{WEEKDAY})\b(?!s\b)(?P<last_week>,?\s+(?i:of\s+)?(?i:last)\s+week\b)?"
)
WEEKDAY_MODIFIER_BEFORE = re.compile(
    r"\b(?P<modifier>(?i:last|next|this|past)|(?P<night_into>(?i:(?:over)?night\s+(?:into|to))))\s+$"
)
WINDOW = 20  # characters before a month, year or weekday searched for its preposition or modifier
# "the Sunday Times", "Bloody Sunday", "Good Friday": names, not days of this week. The words before are a
# closed list, so a capitalised preposition ("During Friday prayers", "In Tuesday's attack") stays a date.
WEEKDAY_IN_NAME_AFTER = re.compile(r"\s+(?:Times|Telegraph|Express|Mirror|Post|Herald|Independent|Tribune|Observer)\b")
WEEKDAY_IN_NAME_BEFORE = re.compile(
    r"\b(?:Bloody|Good|Black|Easter|Palm|Holy|Ash|Super|Cyber|Maundy|Shrove|Whit|Pentecost|Trinity|Passion"
    r"|Mothering|Remembrance|Bowl)\s+$"
)
DAYS_BEFORE_PUBLICATION = re.compile(
    rf"\b(?i:(?P<yesterday>yesterday|last night|overnight(?!\s+(?:(?:on|into|to)\s+)?{WEEKDAY}))"
    r"|(?P<today>today|tonight|this (?:morning|afternoon|evening))"
    rf"|(?P<count>{'|'.join(SMALL_NUMBERS)}|\d) days ago)\b"
)
MONTH_OR_YEAR_RELATIVE = re.compile(r"\b(?i:(?P<which>last|this|past) (?P<unit>month|year))\b")
# A date stamp: the line holds nothing but the date, a time, a zone and words like "Updated" or an agency name
# ("16 June 2015 | 7:19 am", "Reuters Updated 04 Jan 2021"), or the date sits in a dateline ("NIAMEY, Jan 4
# (Reuters) -"). It dates the copy, not the events in it.
STAMP_FILLER = re.compile(
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    r"|\b(?i:updated|published|posted|modified|last|first|on|at|am|pm|a\.m\.|p\.m\.)(?!\w)"
    r"|\b(?:GMT|UTC|ET|EST|EDT|BST|CET|CAT|EAT|WAT|IST|PKT)\b|[|/•·,:()\[\]–—-]"
)
STAMP_MAX_WORDS = 4
STAMP_MAX_CHARS = 80  # longer lines are sentences; checked first, as the filler scan costs more
STAMP_START = re.compile(rf"{WEEKDAY}|{MONTH}|\d")
STAMP_WORD = re.compile(r"\S+")
DATELINE_BEFORE = re.compile(r"[^\S\n]*[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,5},[^\S\n]*")
DATELINE_AFTER = re.compile(r",?[^\S\n]*(?:\([^)\n]{1,40}\))?[^\S\n]*[–—:-]")


@dataclass(frozen=True)
class DateMention:
    date: dt.date
    precision: DatePrecision
    start: int
    end: int
    text: str
    relative: bool
    stamp: bool = False  # the copy's own date in a date line or dateline (see STAMP_FILLER)


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Every date expression in `text`, in order; overlapping readings keep the longest ("March 3, 2019"
    over "March 3"). Expressions that need the publication date are dropped when it is None; a datetime
    counts by its calendar day."""
    if isinstance(published, dt.datetime):
        published = published.date()
    found: list[DateMention] = []
    lowered = text.lower()
    for pattern, read, triggers in READERS:
        if triggers and not any(word in lowered for word in triggers):
            continue  # a substring test is far cheaper than a case-insensitive scan
        for match in pattern.finditer(text):
            if match.start() and text[match.start() - 1].isalnum():
                continue  # mid-word; the patterns leave out a leading \b, which would slow the scan fivefold
            mention = read(match, published)
            if mention is not None:
                found.append(mention)
    kept: list[DateMention] = []
    for mention in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted((replace(m, stamp=True) if is_stamp(text, m.start, m.end) else m for m in kept),
                  key=lambda m: m.start)


def is_stamp(text: str, start: int, end: int) -> bool:
    """Whether the date at text[start:end] dates the copy: a line of its own (with a time, a zone, "Updated",
    a capitalised name or two) or a dateline ("NIAMEY, Jan 4 (Reuters) -"). Only a date or day name can be
    one; "yesterday" or "last Tuesday" never."""
    if not STAMP_START.match(text, start):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if DATELINE_BEFORE.fullmatch(text, line_start, start) and DATELINE_AFTER.match(text, end, line_end):
        return True
    if line_end - line_start > STAMP_MAX_CHARS:
        return False
    rest = STAMP_FILLER.sub(" ", text[line_start:start] + " " + text[end:line_end])
    words = STAMP_WORD.findall(rest)
    return len(words) <= STAMP_MAX_WORDS and all(word[0].isupper() or word.isdigit() for word in words)


def _mention(match: re.Match, date: dt.date, precision: DatePrecision, relative: bool) -> DateMention:
    start, end = match.span()
    return DateMention(date, precision, start, end, match.string[start:end], relative)


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _calendar_date(match: re.Match, published: dt.date | None) -> DateMention | None:
    """'March 3, 2019', '3 March', 'Sept. 11': with no year, the most recent such day up to publication."""
    month, day = _month_number(match.group("month")), int(match.group("day"))
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


def _iso_date(match: re.Match, published: dt.date | None) -> DateMention | None:
    date = _safe_date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
    return _mention(match, date, "day", relative=False) if date else None


def _month_of_year(match: re.Match, published: dt.date | None) -> DateMention | None:
    date = dt.date(int(match.group("year")), _month_number(match.group("month")), 1)
    return _mention(match, date, "month", relative=False)


def _month_alone(match: re.Match, published: dt.date | None) -> DateMention | None:
    """'In August': the most recent August up to the publication month ('last August': before it)."""
    text, start = match.string, match.start()
    preposition = PREPOSITION_BEFORE.search(text, max(0, start - WINDOW), start)
    if published is None or preposition is None:
        return None
    month = _month_number(match.group("month"))
    word = preposition.group("prep").lower()
    year = published.year if month <= published.month else published.year - 1
    if word == "last" and month == published.month:
        year -= 1
    if word == "this":
        year = published.year
    which_year = match.group("which_year")
    if which_year:  # "In November last year"
        year = published.year - which_year.lower().startswith("last")
    return _mention(match, dt.date(year, month, 1), "month", relative=True)


def _year_alone(match: re.Match, published: dt.date | None) -> DateMention | None:
    """'in 2014', 'since 2014', 'the 1998 bombing'; a bare number that may be a year is not one."""
    text, start, end = match.string, match.start(), match.end()
    if start and text[start - 1] in ".,":
        return None  # "1,2014", "3.2014": part of a bigger number
    window = max(0, start - WINDOW)
    if not (PREPOSITION_BEFORE.search(text, window, start)
            or (DETERMINER_BEFORE.search(text, window, start) and EVENT_NOUN_AFTER.match(text, end))):
        return None
    year = int(match.group("year"))
    if published is not None and year > published.year:
        return None  # plans and forecasts, not events
    return _mention(match, dt.date(year, 1, 1), "year", relative=False)


def _weekday(match: re.Match, published: dt.date | None) -> DateMention | None:
    """'Monday's attack', 'early Friday', 'on Tuesday': the most recent such day up to publication
    (the same day counts); 'last Monday' is before it, 'next Monday' after it; 'overnight into Sunday' is
    Saturday, the evening the night began."""
    if published is None:
        return None
    text, start, end = match.string, match.start(), match.end("weekday")
    modifier_match = WEEKDAY_MODIFIER_BEFORE.search(text, max(0, start - WINDOW), start)
    if WEEKDAY_IN_NAME_AFTER.match(text, end) or (
        not modifier_match and WEEKDAY_IN_NAME_BEFORE.search(text, max(0, start - WINDOW), start)
    ):
        return None
    weekday = WEEKDAYS[match.group("weekday")]
    modifier = modifier_match.group("modifier").lower() if modifier_match else ""
    if match.group("last_week"):
        date = published - dt.timedelta(days=published.weekday() + 7 - weekday)
    elif modifier == "next":
        date = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    else:
        back = (published.weekday() - weekday) % 7
        if modifier in ("last", "past") and back == 0:
            back = 7
        date = published - dt.timedelta(days=back + bool(modifier_match and modifier_match.group("night_into")))
    start = modifier_match.start() if modifier_match else start
    return DateMention(date, "day", start, match.end(), text[start:match.end()], relative=True)


def _days_before(match: re.Match, published: dt.date | None) -> DateMention | None:
    """'yesterday', 'last night' and 'overnight' (the night before publication, even in a morning story: an
    attack is dated by the evening it began), 'today', 'three days ago'."""
    if published is None:
        return None
    if match.group("yesterday"):
        days = 1
    elif match.group("today"):
        days = 0
    else:
        count = match.group("count").lower()
        days = SMALL_NUMBERS.get(count) or int(count)
    return _mention(match, published - dt.timedelta(days=days), "day", relative=True)


def _month_or_year_relative(match: re.Match, published: dt.date | None) -> DateMention | None:
    """'last month', 'this year': month or year precision."""
    if published is None:
        return None
    back = 0 if match.group("which").lower() == "this" else 1
    if match.group("unit").lower() == "year":
        return _mention(match, dt.date(published.year - back, 1, 1), "year", relative=True)
    month_index = published.year * 12 + published.month - 1 - back
    return _mention(match, dt.date(month_index // 12, month_index % 12 + 1, 1), "month", relative=True)


Reader = Callable[[re.Match, "dt.date | None"], "DateMention | None"]
# (pattern, reader, words of which one must occur in the lower-cased text for the pattern to be tried)
READERS: tuple[tuple[re.Pattern, Reader, tuple[str, ...]], ...] = (
    (ISO_DATE, _iso_date, ()),
    (MONTH_DAY, _calendar_date, ()),
    (DAY_MONTH, _calendar_date, ()),
    (MONTH_YEAR, _month_of_year, ()),
    (MONTH_ALONE, _month_alone, ()),
    (YEAR_ALONE, _year_alone, ()),
    (WEEKDAY_EXPRESSION, _weekday, ()),
    (DAYS_BEFORE_PUBLICATION, _days_before,
     ("yesterday", "last night", "overnight", "today", "tonight", "this morning", "this afternoon", "this evening",
      "days ago")),
    (MONTH_OR_YEAR_RELATIVE, _month_or_year_relative, (" month", " year")),
)
