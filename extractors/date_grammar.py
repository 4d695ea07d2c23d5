"""One language's date patterns, built once from its `words/dates.toml`.

The grammar of dates a language writes (month and weekday names as it writes them, phrases grouped by what
they mean, the words of a date stamp), kept apart from extractors/dates.py, which reads text with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from extractors.languages import resources

YEAR = r"(?:19|20)\d{2}"
STAMP_TIME = r"\d{1,2}[:.hH]\d{2}(?:[:.]\d{2})?"
DATELINE_PLACE = r"[^\S\n]*[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,5},[^\S\n]*"
NEVER = "(?!)"  # the pattern of an empty word list


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
