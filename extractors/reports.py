"""One IncidentReport from the sentences of one incident: every field with its evidence, and a confidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from extractors.attacks import profile_attack
from extractors.casualties import ATTACKER_NOUNS, CasualtyMention
from extractors.furniture import Story
from extractors.groups import GroupMention, classify_role
from extractors.location import SceneSentence, choose_location
from extractors.places import Gazetteer, PlaceMention
from extractors.schema import Article, Evidence, IncidentReport, Location, Perpetrator
from extractors.segments import DatedSpan, Role, Segmentation, SentenceFacts, governed_by_time_phrase, is_earlier

COUNT_FIELDS = ("killed", "injured", "attackers", "attackers_killed")
# Cue labels that tie a sentence to an earlier incident; "since" and "this year" (past_generic) are left out:
# leads often rank the attack among earlier ones ("the deadliest since 2015").
RECAP_LABELS = frozenset({"past", "past_near", "past_anaphor"})
OTHER_INCIDENT_WORDS = frozenset({"separate", "separately", "elsewhere"})
PAST_UNITS = frozenset({"day", "week", "fortnight", "month", "year", "decade"})
# Verbs through which a source states a figure; when the source is the perpetrator, the figure is its claim.
STATEMENT_VERBS = frozenset({"said", "says", "say", "saying", "claimed", "claims", "claiming", "claim", "cites",
                             "cited", "citing", "stated", "states", "announced", "boasted", "posted", "tweeted"})
EARLY_WORDS = frozenset({"initially", "originally", "earlier"})
EARLY_TOLL_MODIFIERS = frozenset({"initial", "earlier", "first", "preliminary", "previous", "original"})
NEWS_AGENCIES_OF_ARMED_GROUPS = frozenset({"amaq", "thabat", "naba"})
MILITANT_MODIFIERS = frozenset({"militant", "jihadist", "terrorist", "terror", "extremist", "insurgent", "armed"})


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


def build_report(context: ArticleContext, role: Role, indices: list[int], date: DatedSpan | None,
                 context_sentence: int | None = None) -> IncidentReport:
    """The incident told by these sentences; a recap without its own place borrows its intro sentence's."""
    sentences = [context.sentences[i] for i in indices]
    evidence: list[Evidence] = []
    fields: dict = {"role": role}

    for kind, mention in _counts(context, role, sentences).items():
        fields[kind] = mention.count
        evidence.append(_evidence(context, kind, mention.span(context.doc)))

    location, place = locate(context, sentences)
    if place is None and context_sentence is not None:
        location, place = locate(context, [context.sentences[context_sentence]])
    if place is not None:
        fields["location"] = location
        evidence.append(_evidence_chars(context, "location", place.start, place.end))

    if date is not None and date.date is not None:
        fields["date"] = date.date
        fields["date_precision"] = date.precision
        evidence.append(_evidence(context, "date", date.span))

    perpetrators, group_spans = _perpetrators(context, sentences)
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


def _counts(context: ArticleContext, role: Role, sentences: list[SentenceFacts]) -> dict[str, CasualtyMention]:
    """The first figure of each kind, raised by any higher figure later: leads often give an early or partial
    toll and later sentences the current one ("the toll has risen to 25", a higher figure from another source).
    A vague amount ("dozens") gives way to any figure. Only a plain statement raises the toll: never one next
    to a recap marker ("last year", an earlier date), an early figure ("at first") or the perpetrators' claim."""
    by_index = {s.index: s for s in sentences}
    pivot = _pivot(context)
    lead = next((s.index for s in sentences if s.is_event), None)
    perpetrators = frozenset(p.name for p in _perpetrators(context, sentences)[0])
    best: dict[str, CasualtyMention] = {}
    for mention in context.casualties:
        sentence = by_index.get(context.sentence_of(context.doc[mention.start].idx))
        if sentence is None or mention.subset and mention.kind in ("killed", "injured"):
            continue
        earlier = [d for d in sentence.dates if pivot is not None and is_earlier(d, pivot, 1)]
        if role == "main" and governed_by_time_phrase(context.doc[mention.predicate], sentence, earlier,
                                                      sentence.index == lead):
            continue
        current = best.get(mention.kind)
        if current is None or current.vague and not mention.vague:
            best[mention.kind] = mention
        elif (mention.count.value > current.count.value and not mention.vague
              and not _recap_marked(sentence, earlier) and not _early_or_claimed(context, mention, perpetrators)):
            best[mention.kind] = mention
    if "killed" in best:
        best["killed"] = _without_attackers(context, best["killed"], list(by_index))
    return best


def _without_attackers(context: ArticleContext, killed: CasualtyMention, indices: list[int]) -> CasualtyMention:
    """A toll that counts the attackers in ("eight dead, the bomber included"; "six attackers were also
    counted in the toll" in the next sentence) is reduced by them: victims' tolls exclude the attackers."""
    sentence = context.sentence_of(context.doc[killed.start].idx)
    included = [m for m in context.casualties if m.kind == "attackers" and m.subset
                and context.sentence_of(context.doc[m.start].idx) in (sentence, sentence + 1)
                and context.sentence_of(context.doc[m.start].idx) in indices]
    attackers = sum(m.count.value for m in included)
    if not attackers or attackers >= killed.count.value:
        return killed
    return replace(killed, count=killed.count.model_copy(update={"value": killed.count.value - attackers}))


def _recap_marked(sentence: SentenceFacts, earlier: list[DatedSpan]) -> bool:
    """A sentence that mentions an earlier time or another incident anywhere ("near the site of the May 2017
    attack, in which 28 were killed", "a fortnight ago", "on the same day, a bombing elsewhere") may be about
    another incident, so its figures never raise the main toll."""
    if earlier or any(label in RECAP_LABELS for label in sentence.labels):
        return True
    words = [t.lower_ for t in sentence.span]
    return any(word in OTHER_INCIDENT_WORDS or word == "same" and following == "day"
               or following == "ago" and word.rstrip("s") in PAST_UNITS for word, following in zip(words, words[1:] + [""]))


def _early_or_claimed(context: ArticleContext, mention: CasualtyMention, perpetrators: frozenset[str]) -> bool:
    """A figure given as an early one ("at first, state media said four had died", "the initial toll", "earlier
    today") or stated by the perpetrators ("the group said in a statement that 20 were killed", "according to
    Amaq"). Walks up from the figure's death word through the clauses that report it; a relative clause ("the
    group claimed the attack, which killed 30") is the reporter's own statement, so the walk stops there."""
    token = context.doc[mention.predicate]
    while True:
        for child in token.children:
            if child.dep_ in ("advmod", "npadvmod", "prep") and any(t.lower_ in EARLY_WORDS for t in child.subtree):
                return True
            if child.dep_ == "prep" and child.lower_ == "at" and any(c.lower_ == "first" for c in child.children):
                return True
            if child.dep_ == "amod" and child.lower_ in EARLY_TOLL_MODIFIERS and token.lower_ in ("toll", "figure"):
                return True
            if _perpetrator_source(context, token, child, perpetrators):
                return True
        if token.dep_ == "relcl" or token.head.i == token.i:
            return False
        token = token.head


def _perpetrator_source(context: ArticleContext, token: Token, child: Token, perpetrators: frozenset[str]) -> bool:
    """"According to <group>", "<group> said ...", or a quote followed by "<group>'s account states"."""
    if child.dep_ == "prep" and child.lower_ == "according":
        return _names_perpetrator(context, child, perpetrators)
    if token.lower_ in STATEMENT_VERBS and child.dep_ in ("nsubj", "nsubjpass"):
        return _names_perpetrator(context, child, perpetrators)
    if child.lower_ in STATEMENT_VERBS:
        return any(_names_perpetrator(context, c, perpetrators) for c in child.children if c.dep_ in ("nsubj", "poss"))
    return False


def _names_perpetrator(context: ArticleContext, phrase: Token, perpetrators: frozenset[str]) -> bool:
    """The group that claimed or is blamed for the attack, its news agency, or the attackers ("the militant
    group", "the gunmen")."""
    start, end = phrase.left_edge.idx, phrase.right_edge.idx + len(phrase.right_edge)
    if any(start <= group.start < end and group.name in perpetrators for group in context.groups):
        return True
    return any(t.lower_ in ATTACKER_NOUNS or t.lower_ in NEWS_AGENCIES_OF_ARMED_GROUPS or t.lower_ == "group" and any(
        c.lower_ in MILITANT_MODIFIERS for c in t.children) for t in phrase.subtree)


def _pivot(context: ArticleContext) -> dt.date | None:
    main_date = context.segmentation.main_date if context.segmentation else None
    return main_date.date if main_date is not None else context.published


def locate(context: ArticleContext, sentences: list[SentenceFacts]) -> tuple[Location, PlaceMention | None]:
    scene = [SceneSentence(s.span.start_char, s.span.end_char, s.paragraph, s.is_event) for s in sentences]
    return choose_location(context.text, scene, context.places, context.dateline_places, context.country_hint,
                           Gazetteer.load())


def _perpetrators(context: ArticleContext, sentences: list[SentenceFacts]) -> tuple[list[Perpetrator], list]:
    """Groups that claimed or are suspected in these sentences; a claim outranks a suspicion of the same group."""
    found: dict[str, Perpetrator] = {}
    spans = []
    branches: dict[str, str] = {}
    mentions: dict[str, list[str]] = {}
    for sentence in sentences:
        start, end = sentence.span.start_char, sentence.span.end_char
        for group in context.groups:
            if not start <= group.start < end:
                continue
            mentions.setdefault(group.name, [])
            if group.text not in mentions[group.name]:
                mentions[group.name].append(group.text)
            if group.branch:
                branches.setdefault(group.name, group.branch)
            role = classify_role(sentence.text, group, sentence_start=start)
            if role is None:
                continue
            spans.append((group.start, group.end))
            previous = found.get(group.name)
            if previous is None or (previous.role == "suspected" and role == "claimed"):
                found[group.name] = Perpetrator(name=group.name, role=role)
    perpetrators = [p.model_copy(update={"branch": branches.get(p.name), "mentions": mentions[p.name]})
                    for p in found.values()]
    return perpetrators, spans


def _evidence(context: ArticleContext, field_name: str, span: Span) -> Evidence:
    return _evidence_chars(context, field_name, span.start_char, span.end_char)


def _evidence_chars(context: ArticleContext, field_name: str, start: int, end: int) -> Evidence:
    sentence = context.sentences[context.sentence_of(start)]
    char_start, char_end = context.story.article_span(start, end)
    return Evidence(field=field_name, sentence=sentence.text, char_start=char_start, char_end=char_end)


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

