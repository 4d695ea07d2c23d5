"""One IncidentReport from the sentences of one incident: every field with its evidence, and a confidence."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from extractors.attacks import profile_attack
from extractors.casualties import CasualtyMention
from extractors.furniture import Story
from extractors.groups import GroupMention, classify_role, implied_claimant
from extractors.location import SceneSentence, choose_location, dateline_country
from extractors.places import Gazetteer, PlaceMention
from extractors.schema import Article, Evidence, IncidentReport, Location, Perpetrator
from extractors.segments import Role, Segmentation, is_earlier
from extractors.sentences import DatedSpan, SentenceFacts
from extractors.tolls import choose_counts

COUNT_FIELDS = ("killed", "injured", "attackers", "attackers_killed")
EARLIER_LABELS = frozenset({"past", "past_near", "past_anaphor", "recap"})
CLAUSE_SEPARATOR = re.compile(r"[,;:()–—]| - ")

@dataclass
class ArticleContext:
    """Everything read from one article before deciding what its incidents are."""

    article: Article
    doc: Doc
    text: str  # the parsed story: the article's text without furniture lines
    story: Story  # maps positions in `text` back to the article's text
    published: dt.date | None
    sentences: list[SentenceFacts]
    casualties: list[CasualtyMention]
    places: list[PlaceMention]
    dateline_places: list[PlaceMention]
    country_hint: Counter
    groups: list[GroupMention]
    sentence_of: Callable[[int], int]
    casualty_predicates: frozenset[int]
    segmentation: Segmentation | None = None
    victim_tokens: frozenset[int] = field(default_factory=frozenset)
    headline: Doc | None = None  # the parsed title, when the story does not open with it


def build_report(context: ArticleContext, role: Role, indices: list[int], date: DatedSpan | None,
                 context_sentence: int | None = None) -> IncidentReport:
    """The incident told by these sentences; a recap without its own place borrows its intro sentence's, a main
    incident without one its dateline's country."""
    sentences = [context.sentences[i] for i in indices]
    evidence: list[Evidence] = []
    fields: dict = {"role": role}

    perpetrators, group_spans = _perpetrators(context, sentences, role)
    names = frozenset(p.name for p in perpetrators)
    for kind, mention in choose_counts(context, role, sentences, names, _pivot(context)).items():
        fields[kind] = mention.count
        if not mention.in_headline:  # evidence spans point into the text; the title has none
            evidence.append(_evidence(context, kind, mention.span(context.doc)))

    location, place = locate(context, sentences)
    if place is None and context_sentence is not None:
        location, place = locate(context, [context.sentences[context_sentence]])
    if place is None and role == "main":
        location, place = dateline_country(context.dateline_places, context.country_hint, Gazetteer.load())
    if place is not None:
        fields["location"] = location
        evidence.append(_evidence_chars(context, "location", place.start, place.end))

    if date is not None and date.date is not None:
        fields["date"] = date.date
        fields["date_precision"] = date.precision
        evidence.append(_evidence(context, "date", date.span))

    if perpetrators:
        fields["perpetrators"] = perpetrators
        evidence.extend(_evidence_chars(context, "perpetrators", start, end) for start, end in group_spans)

    attack_cue_tokens = frozenset().union(*(s.cue_tokens for s in sentences)) if sentences else frozenset()
    killed = fields["killed"].value if "killed" in fields else None
    profile = profile_attack([s.span for s in sentences], [c for s in sentences for c in s.cues],
                             attack_cue_tokens, context.victim_tokens, killed)
    fields.update(attack_types=profile.attack_types, suicide=profile.suicide if profile.attack_types else None,
                  weapons=profile.weapons, target=profile.target)
    evidence.extend(_evidence(context, name, span) for name, span in profile.evidence)

    report = IncidentReport(**fields, evidence=sorted(evidence, key=lambda e: (e.char_start, e.field)))
    report.confidence = confidence(report, role)
    return report


def _pivot(context: ArticleContext) -> dt.date | None:
    main_date = context.segmentation.main_date if context.segmentation else None
    return main_date.date if main_date is not None else context.published


def locate(context: ArticleContext, sentences: list[SentenceFacts]) -> tuple[Location, PlaceMention | None]:
    scene = [SceneSentence(s.span.start_char, s.span.end_char, s.paragraph, s.is_event) for s in sentences]
    return choose_location(context.text, scene, context.places, context.dateline_places, context.country_hint,
                           Gazetteer.load(), context.doc.lang_)


def _earlier_marks(context: ArticleContext, sentence: SentenceFacts) -> list[tuple[int, int]]:
    """Where a sentence of the main story names an earlier time: "last year", "the previous attack", a date
    before the main day (character offsets in the story)."""
    pivot = _pivot(context)
    marks = [(c.start_char, c.end_char) for c in sentence.cues if c.label_ in EARLIER_LABELS]
    marks += [(d.span.start_char, d.span.end_char) for d in sentence.dates
              if pivot is not None and is_earlier(d, pivot, 1)]
    return marks


def _about_earlier(text: str, sentence: SentenceFacts, marks: list[tuple[int, int]], start: int, end: int) -> bool:
    """A claim or suspicion is about an earlier attack when the sentence opens with the earlier time ("In
    October 2022, ...") or the time sits in the same comma-free stretch as the group ("hit last year in an
    attack claimed by IS"); "IS, which split from Boko Haram in 2016, claimed ..." stays about this one."""
    opening = sentence.span.start_char
    for mark_start, mark_end in marks:
        if not text[opening:mark_start].strip(" \"'“”\n"):
            return True
        low, high = min(mark_start, start), max(mark_end, end)
        if not CLAUSE_SEPARATOR.search(text, low, high):
            return True
    return False


def _perpetrators(context: ArticleContext, sentences: list[SentenceFacts],
                  role: Role) -> tuple[list[Perpetrator], list]:
    """Groups that claimed or are suspected in these sentences; a claim outranks a suspicion of the same group.
    In the main story, a claim or suspicion about an earlier attack is left out."""
    found: dict[str, Perpetrator] = {}
    spans = []
    branches: dict[str, str] = {}
    mentions: dict[str, list[str]] = {}
    language = context.doc.lang_
    for sentence in sentences:
        start, end = sentence.span.start_char, sentence.span.end_char
        named = [group for group in context.groups if start <= group.start < end]
        marks = _earlier_marks(context, sentence) if role == "main" else []
        claimant = None if named else implied_claimant(
            sentence.text, [group for group in context.groups if group.end <= start], sentence_start=start,
            language=language)
        if claimant is not None and not _about_earlier(context.text, sentence, marks, start, end):
            spans.append((claimant.start, claimant.end) if claimant.start >= start else (start, end))
            found[claimant.name] = Perpetrator(name=claimant.name, role="claimed")
            mentions.setdefault(claimant.name, [])
            if claimant.text not in mentions[claimant.name]:
                mentions[claimant.name].append(claimant.text)
        for group in named:
            mentions.setdefault(group.name, [])
            if group.text not in mentions[group.name]:
                mentions[group.name].append(group.text)
            if group.branch:
                branches.setdefault(group.name, group.branch)
            # The parser may end a sentence inside a name ("Boko | Haram"): the name belongs to the one it starts in.
            group_role = classify_role(context.text[start:max(end, group.end)], group, sentence_start=start,
                                       language=language)
            if group_role is None or _about_earlier(context.text, sentence, marks, group.start, group.end):
                continue
            spans.append((group.start, group.end))
            previous = found.get(group.name)
            if previous is None or (previous.role == "suspected" and group_role == "claimed"):
                found[group.name] = Perpetrator(name=group.name, role=group_role)
    perpetrators = [p.model_copy(update={"branch": branches.get(p.name), "mentions": mentions[p.name]})
                    for p in found.values()]
    return perpetrators, spans


def _evidence(context: ArticleContext, field_name: str, span: Span) -> Evidence:
    return _evidence_chars(context, field_name, span.start_char, span.end_char)


def _evidence_chars(context: ArticleContext, field_name: str, start: int, end: int) -> Evidence:
    sentence = context.sentences[context.sentence_of(start)]
    char_start, char_end = context.story.article_span(start, end)
    return Evidence(field=field_name, sentence=sentence.text, char_start=char_start, char_end=char_end,
                    language=context.doc.lang_)


def confidence(report: IncidentReport, role: Role) -> float:
    """A rough 0-1 score: how many of the core fields were found, starting lower for recaps."""
    score = 0.4 if role == "main" else 0.25
    score += 0.12 * bool(report.location.city or report.location.admin1)
    score += 0.12 * (report.date is not None)
    score += 0.12 * bool(report.killed or report.injured)
    score += 0.08 * bool(report.attack_types)
    score += 0.08 * bool(report.perpetrators)
    score += 0.04 * (report.target.type != "unknown")
    return round(min(score, 1.0), 2)

