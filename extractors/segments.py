"""Which sentences tell the main incident and which recap earlier ones.

Reporters put the news in the lead and recaps after it, each introduced by an earlier date or a time
phrase ("In September 2015, ...", "last year", "two years ago"). A recap runs on through its
paragraph, and into the next when that paragraph keeps talking about the recap's own things
("The lawyers had gathered ..."); a sentence dated on or after the main day (the attack's day,
extractors/attack_day.py) brings the story back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Token

from extractors.attack_day import NEAR_PAST_DAYS, choose_main_date
from extractors.sentences import DatedSpan, SentenceFacts
from extractors.syntax import DESCRIBING_CLAUSES, NOUN_MODIFIERS, clause_head, modified_verb


Role = Literal["main", "background"]


@dataclass
class BackgroundFrame:
    sentences: list[int]
    date: DatedSpan | None
    context_sentence: int | None = None


@dataclass
class Segmentation:
    roles: list[Role]
    main_date: DatedSpan | None
    backgrounds: list[BackgroundFrame] = field(default_factory=list)

    def main_sentences(self, sentences: list[SentenceFacts]) -> list[SentenceFacts]:
        return [s for s in sentences if self.roles[s.index] == "main"]


def is_earlier(date: DatedSpan, pivot: dt.date, tolerance_days: int) -> bool:
    """Whether a date (at its own precision) lies before the pivot day by more than the tolerance."""
    value = date.date
    if value is None:
        return False
    if date.precision == "year":
        return value.year < pivot.year
    if date.precision == "month":
        return (value.year, value.month) < (pivot.year, pivot.month)
    return value < pivot - dt.timedelta(days=tolerance_days)


def governs_sentence(token: Token, sentence: SentenceFacts, casualty_predicates: frozenset[int]) -> bool:
    """A time expression dates the whole sentence when it modifies its root or its attack or casualty verb."""
    head = modified_verb(token)
    return head is not None and (head.i == sentence.span.root.i or head.i in sentence.cue_tokens
                                 or head.i in casualty_predicates)


def segment(sentences: list[SentenceFacts], published: dt.date | None,
            casualty_predicates: frozenset[int]) -> Segmentation:
    """Assign every sentence to the main incident or to one background incident."""
    day_dates = [d.date for s in sentences for d in s.dates if d.precision == "day" and d.date is not None]
    reference = published or (max(day_dates) if day_dates else None)
    main_date = choose_main_date(sentences, reference)
    pivot = main_date.date if main_date else reference
    tolerance = 1 if main_date else NEAR_PAST_DAYS
    lead = next((s.index for s in sentences if s.is_event), None)

    roles: list[Role] = []
    backgrounds: list[BackgroundFrame] = []
    current: BackgroundFrame | None = None
    main: list[SentenceFacts] = []
    for sentence in sentences:
        marker_date, marked = _background_marker(sentence, pivot, tolerance, sentence.index == lead,
                                                 casualty_predicates)
        anchored = _is_anchored(sentence, pivot)
        if marked and not anchored:
            if current is None or "past_anaphor" not in sentence.labels and not _same_date(current, marker_date):
                previous = sentence.index - 1
                context = previous if previous >= 0 and "recap" in sentences[previous].labels else None
                current = BackgroundFrame([], marker_date, context)
                backgrounds.append(current)
            current.sentences.append(sentence.index)
            roles.append("background")
        elif current is not None and not anchored and _continues(sentence, current, sentences, main):
            current.sentences.append(sentence.index)
            roles.append("background")
        else:
            current = None
            main.append(sentence)
            roles.append("main")
    return Segmentation(roles, main_date, backgrounds)


def _background_marker(sentence: SentenceFacts, pivot: dt.date | None, tolerance: int, in_lead: bool,
                       casualty_predicates: frozenset[int]) -> tuple[DatedSpan | None, bool]:
    """(the earlier date, whether the sentence is about an earlier incident)."""
    if pivot is not None:
        for date in sentence.dates:
            near = date.precision == "day" and date.date is not None and date.date >= pivot - dt.timedelta(days=31)
            if is_earlier(date, pivot, tolerance) and not (in_lead and near):
                if governs_sentence(date.span.root, sentence, casualty_predicates):
                    return date, True
    phrases = {"past"} if in_lead else {"past", "past_near"}
    for start, label in sentence_cue_starts(sentence):
        if label in phrases and governs_sentence(sentence.span.doc[start], sentence, casualty_predicates):
            return None, True
    return None, False


def sentence_cue_starts(sentence: SentenceFacts) -> list[tuple[int, str]]:
    return [(c.start, c.label_) for c in sentence.cues]


def _is_anchored(sentence: SentenceFacts, pivot: dt.date | None) -> bool:
    """A day on or after the main day (the attack itself, or today's statements about it) means the main story."""
    if pivot is None:
        return False
    return any(d.precision == "day" and d.date is not None and d.date >= pivot - dt.timedelta(days=1)
               for d in sentence.dates)


def _same_date(frame: BackgroundFrame, date: DatedSpan | None) -> bool:
    return date is None or (frame.date is not None and frame.date.date == date.date)


def _continues(sentence: SentenceFacts, frame: BackgroundFrame, sentences: list[SentenceFacts],
               main: list[SentenceFacts]) -> bool:
    """A recap runs to the end of its paragraph, and on while sentences share its own (non-main) nouns."""
    last = sentences[frame.sentences[-1]]
    if sentence.paragraph == last.paragraph or "past_anaphor" in sentence.labels:
        return True
    shared = sentence.nouns & frozenset().union(*(sentences[index].nouns for index in frame.sentences))
    if not shared:
        return False
    main_text = " ".join(s.text for s in main).lower()
    return any(not re.search(rf"\b{re.escape(noun)}\b", main_text) for noun in shared)


def governed_by_time_phrase(predicate: Token, sentence: SentenceFacts, dates_earlier: list[DatedSpan],
                            in_lead: bool) -> bool:
    """Whether a casualty verb's own clause is dated earlier or is cumulative ("since 2001", "this year"),
    or describes an attack dated earlier ("after the February 12 bombing that killed 30"); in the lead "last
    week" dates the main attack itself."""
    head = clause_head(predicate)
    labels = ("past", "past_generic") if in_lead else ("past", "past_near", "past_generic")
    for start, label in sentence_cue_starts(sentence):
        verb = modified_verb(sentence.span.doc[start])
        if label in labels and verb is not None and verb.i == head.i:
            return True
    for date in dates_earlier:
        root = date.span.root
        verb = modified_verb(root)
        if verb is not None and verb.i == head.i or root.is_ancestor(predicate):
            return True
        if root.dep_ in NOUN_MODIFIERS and head.dep_ in DESCRIBING_CLAUSES and head.head.i == root.head.i:
            return True
    return False
