"""The attack's day: which date in a story dates the attack, and what every other date dates.

A date dates what it hangs from ("stormed ... on Monday" the attack, "officials said Tuesday" a statement,
"buried on Monday" the aftermath); the attack's day is the first day-precision date, never after
publication, that dates the attack in the lead or a sentence telling of it. segments.py then measures every
other sentence against that day to tell the main story from its recaps.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from spacy.tokens import Token

from extractors.languages import resources, words_of
from extractors.sentences import DatedSpan, SentenceFacts
from extractors.syntax import DESCRIBING_CLAUSES, NOUN_MODIFIERS, clause_head, modified_verb, preposition_object

NEAR_PAST_DAYS = 7
FOLLOW_UP_DAYS = 92  # how far back a follow-up story's lead may date its attack
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Cue labels of a sentence that tells the attackers at work ("la kamikaze a fait détoner sa charge").
ATTACKER_LABELS = frozenset({"attacker", "suicide"})
# Cue labels of a sentence about another incident ("in a separate attack", "last week", "that bombing").
OTHER_INCIDENT_LABELS = frozenset({"past", "past_near", "past_anaphor"})

Attachment = Literal["attack", "reporting", "reaction", "aftermath", "death", "span_end", "other"]


def date_attachment(date: DatedSpan, cue_tokens: frozenset[int], sentence_start: int) -> Attachment:
    """Whether a date dates the attack ("Monday's attack", "stormed ... on Monday", "the attack took place on
    Sunday"), a statement about it ("officials said Tuesday", "claimed the attack on Wednesday"), its
    aftermath ("buried on Monday", "on Friday after the attack"), a death ("died on Sunday"), the end of a
    span ("into Tuesday") or something else, judged by the words just before and after it and the first
    attack, killing, reporting, aftermath or death word or verb above it."""
    token = date.span.root
    doc = date.span.doc
    if token.dep_ in NOUN_MODIFIERS and token.head.i in cue_tokens and (
            token.i < token.head.i or any(child.dep_ == "case" for child in token.children)):
        # "said Monday's attack killed five", "l'attaque de dimanche": the attack's own day, whatever comes
        # before; a bare day after the noun ("a revendiqué l'attaque dimanche") dates the verb
        return "attack"
    before = doc[max(sentence_start, date.span.start - 3):date.span.start]
    words = words_of(doc)
    told_before = [_telling_word(t) for t in before if t.lower_ in words["date_reporting_words"]
                   or t.lower_ in words["date_reaction_words"]]
    if told_before:
        return told_before[-1]
    if len(before) and before[-1].lower_ in words["date_span_end_words"]:
        return "span_end"
    attachment = _attachment_above(token, cue_tokens)
    following = doc[date.span.end] if date.span.end < len(doc) else None
    if attachment == "other" and following is not None and following.lower_ in words["date_after_words"]:
        governed = preposition_object(following)
        if governed is not None and governed.i in cue_tokens:
            return "aftermath"  # "the president, on Friday after the attack, ..." (not "killed on Friday after an ambush")
    return attachment


def _attachment_above(token: Token, cue_tokens: frozenset[int]) -> Attachment:
    """What the first attack, killing, reporting, aftermath or death word or verb above a date's root tells."""
    while token.head.i != token.i:
        head = token.head
        if _across_a_line(token, head):
            return "other"
        told = _telling_word(head)
        if told == "death" and _tells_the_attack(head, cue_tokens):
            return "attack"  # "four people died on Friday when a truck drove into a crowd"
        if told is not None:
            return told
        words = words_of(head)
        if head.i in cue_tokens or head.lower_ in words["date_attack_verbs"] or head.lower_ in words["date_incident_nouns"]:
            if token.dep_ == "prep" and head.dep_ in ("dobj", "pobj"):
                # "claimed the attack on Wednesday", "claimed responsibility for the attack on Wednesday": a
                # phrase after the object dates the verb ("Wednesday's attack" would date the attack)
                return _telling_word(clause_head(head.head)) or "attack"
            return "attack"
        if head.tag_.startswith("VB"):
            return _verb_attachment(head, cue_tokens)
        token = head
    return "other"


def _across_a_line(token: Token, head: Token) -> bool:
    """Whether a line break lies between a word and its head: no sentence runs across one, so the parse has glued
    a headline line to the lead ("... le JNIM revendique\nLe bilan de l'attaque perpétrée mardi dernier"), and
    the headline's verb dates nothing of the lead."""
    first, last = sorted((token.i, head.i))
    return any("\n" in t.text or "\n" in t.whitespace_ for t in token.doc[first:last])


def _telling_word(token: Token) -> Attachment | None:
    """Whether a word tells a reaction (claims, denials, blame: days later), a statement (the day's news), the
    aftermath or a death (the language's `date_*_words`)."""
    words, word = words_of(token), token.lower_
    if word in words["date_reaction_words"]:
        return "reaction"
    if word in words["date_reporting_words"]:
        return "reporting"
    if word in words["date_aftermath_words"]:
        return "aftermath"
    if word in words["date_death_words"]:
        return "death"
    return None


def _tells_the_attack(verb: Token, cue_tokens: frozenset[int]) -> bool:
    """Whether a verb has a "when" clause telling of the attack ("died ... when a bomb exploded")."""
    when_words = words_of(verb)["date_when_words"]
    return any(child.dep_ == "advcl" and any(t.lower_ in when_words for t in child.children)
               and any(t.i in cue_tokens for t in child.subtree) for child in verb.children)


def _verb_attachment(verb: Token, cue_tokens: frozenset[int]) -> Attachment:
    """What a verb with no telling word of its own dates, by its subject ("the blast went off on Monday", "the
    funeral was held on Friday", "a statement was issued on Tuesday", "it happened on Monday") or by the attack
    noun it describes in a relative clause ("the bombing, which happened on Monday")."""
    if verb.dep_ in DESCRIBING_CLAUSES and verb.head.i in cue_tokens:
        return "attack"
    for child in verb.children:
        if child.dep_ not in SUBJECTS:
            continue
        if child.lower_ in words_of(verb)["date_pronoun_subjects"] and _is_happening(verb):
            return "attack"
        told = _telling_word(child)
        if told is not None:
            return told
        if child.dep_ == "nsubj" and child.i in cue_tokens:
            return "attack"
    return "other"


def _is_happening(verb: Token) -> bool:
    """'happened', 'occurred', 'took place', 's'est produite', 'a eu lieu'."""
    words = words_of(verb)
    return verb.lower_ in words["date_happening_verbs"] or verb.lower_ in words["date_taking_verbs"] and any(
        child.dep_ == "dobj" and child.lower_ in words["date_taking_objects"] for child in verb.children)


def choose_main_date(sentences: list[SentenceFacts], reference: dt.date | None) -> DatedSpan | None:
    """The day of the attack (a day-precision date, never after publication), the first found in this order:
    within the week up to publication, one attached to an attack word ("Saturday's attack"); in a follow-up
    story, one attached to an attack word in the lead up to FOLLOW_UP_DAYS earlier ("survivors of the February
    12 bombing"); within the week, one in the lead (the first sentence that tells of an attack or a toll), one
    in any other sentence telling of the attack or a toll ("a witness said the gunmen rode in on Sunday"), one
    in a scene-setting sentence before the lead. Never the copy's own date stamp, nor a date of a statement, of
    the aftermath or ending a span ("into Tuesday"), nor a death after the lead, nor one after the lead in a
    sentence about another incident ("in a separate attack on Monday") or in the pluperfect ("Jeudi, 20 personnes
    avaient été tuées"). Failing all these, the last resort is the day of a statement opening the story
    (_statement_day), then the day that sets the scene of the attack told next (_is_scene_setting); None when the
    lead says only "last week"."""
    lead = next((s.index for s in sentences if s.is_event), None)
    candidates: list[tuple[int, int, DatedSpan]] = []
    statement_days: list[DatedSpan] = []
    scene_days: list[DatedSpan] = []
    for sentence in sentences:
        after_lead = lead is None or sentence.index > lead
        if lead is not None and sentence.index > lead and sentence.labels & OTHER_INCIDENT_LABELS:
            continue
        for date in sentence.dates:
            if date.precision != "day" or date.date is None or date.is_stamp:
                continue
            age = (reference - date.date).days if reference is not None else 0
            if age < 0 or age > FOLLOW_UP_DAYS:
                continue
            if after_lead and _in_pluperfect(date):
                continue  # an earlier event, told as background
            attachment = date_attachment(date, sentence.cue_tokens, sentence.span.start)
            if attachment == "reporting" and age <= NEAR_PAST_DAYS and _opens_the_story(sentence, sentences, lead):
                statement_days.append(date)
            if (attachment == "other" and age <= NEAR_PAST_DAYS and not sentence.is_event and after_lead
                    and _is_scene_setting(date, sentence, sentences)):
                scene_days.append(date)
            if not sentence.is_event and after_lead and attachment != "attack":
                continue  # "It happened Thursday night" tells the attack without an attack word of its own
            if (attachment in ("reporting", "reaction", "aftermath", "span_end")
                    or attachment == "death" and sentence.index != lead):
                continue
            if age > NEAR_PAST_DAYS:
                if attachment != "attack" or sentence.index != lead:
                    continue
                rank = 1
            elif attachment == "attack":
                rank = 0
            elif sentence.index == lead:
                rank = 2
            else:
                rank = 3 if sentence.is_event else 4
            candidates.append((rank, date.span.start, date))
    if candidates:
        return min(candidates, key=lambda c: (c[0], c[1]))[2]
    return _statement_day(sentences, statement_days) or next(iter(scene_days), None)


def _in_pluperfect(date: DatedSpan) -> bool:
    """Whether a date sits in a clause in the pluperfect ("avaient été tuées", "had been killed"): news tells
    earlier events in it."""
    verb = clause_head(date.span.root)
    auxiliaries = words_of(verb)["date_pluperfect_auxiliaries"]
    return any(child.dep_ in ("aux", "auxpass") and child.lower_ in auxiliaries for child in verb.children)


def _is_scene_setting(date: DatedSpan, sentence: SentenceFacts, sentences: list[SentenceFacts]) -> bool:
    """A day that dates its whole sentence, whose paragraph tells the attack or the attackers at work in the next
    sentence: "Ce mercredi soir, deux jeunes filles se sont mêlées à la foule. L'une d'elles a fait détoner sa
    charge." """
    verb = modified_verb(date.span.root)
    following = sentence.index + 1
    return (verb is not None and verb.i == sentence.span.root.i and following < len(sentences)
            and sentences[following].paragraph == sentence.paragraph
            and (sentences[following].is_event or sentences[following].labels & ATTACKER_LABELS))


def _opens_the_story(sentence: SentenceFacts, sentences: list[SentenceFacts], lead: int | None) -> bool:
    """The lead and the rest of its paragraph and the next, where breaking copy says who told the news."""
    return lead is not None and sentence.index >= lead and sentence.paragraph <= sentences[lead].paragraph + 1


def _statement_day(sentences: list[SentenceFacts], statement_days: list[DatedSpan]) -> DatedSpan | None:
    """The last resort: when nothing in the story dates the attack, the day of the first statement in the lead's
    paragraph or the next ("nine people were killed ..., authorities said Monday") is the attack's, as breaking
    news tells the day's attack; never when the story calls something earlier ("last week", "recently", "over the
    weekend") or a sentence telling of the attack or a toll holds a date before the statement's day."""
    if not statement_days:
        return None
    first = statement_days[0]
    earlier_in_story = resources(first.span.doc.lang_).patterns["earlier_in_story"]
    for sentence in sentences:
        if (sentence.labels & OTHER_INCIDENT_LABELS or earlier_in_story.search(sentence.text)
                or sentence.is_event and any(_dates_before(d, first, sentence) for d in sentence.dates)):
            return None
    return first


def _dates_before(date: DatedSpan, statement: DatedSpan, sentence: SentenceFacts) -> bool:
    """Whether a date may date something before the statement (not the copy's stamp, nor the end of a span)."""
    return (date.date is not None and statement.date is not None and date.date < statement.date
            and not date.is_stamp and date_attachment(date, sentence.cue_tokens, sentence.span.start) != "span_end")
