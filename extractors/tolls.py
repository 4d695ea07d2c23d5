"""Which figure an incident gets: the highest current toll its sentences state.

News leads often give an early or partial toll and later paragraphs the current one ("the toll has risen to
25", a sum of the victims, a higher figure from another official), so the first figure of each kind is raised
by any higher one later. Only a plain statement about this incident raises it: never a figure next to a recap
or another incident, an early figure, a comparison, a series' toll or the perpetrators' own claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from extractors.casualties import CasualtyMention, is_attacker_noun
from extractors.languages import words_of
from extractors.syntax import has_case_marker
from extractors.segments import Role, governed_by_time_phrase, is_earlier
from extractors.sentences import DatedSpan, SentenceFacts
from extractors.subsets import counts_people_named_before

if TYPE_CHECKING:
    from extractors.reports import ArticleContext

# Cue labels that tie a sentence to an earlier incident; "since" and "this year" (past_generic) are left out:
# leads often rank the attack among earlier ones ("the deadliest since 2015").
RECAP_LABELS = frozenset({"past", "past_near", "past_anaphor"})


def choose_counts(context: ArticleContext, role: Role, sentences: list[SentenceFacts], perpetrators: frozenset[str],
                  pivot: dt.date | None) -> dict[str, CasualtyMention]:
    """The first figure of each kind, raised by any higher figure later: leads often give an early or partial
    toll and later sentences the current one ("the toll has risen to 25", a higher figure from another source).
    A vague amount ("dozens") gives way to any figure. Only a plain statement raises the toll: never one next
    to a recap marker ("last year", an earlier date), an early figure ("at first") or the perpetrators' claim."""
    by_index = {s.index: s for s in sentences}
    lead = next((s.index for s in sentences if s.is_event), None)
    best: dict[str, CasualtyMention] = {}
    # A part of people named before is the toll when the text gives no other figure of its kind.
    totals = {m.kind for m in context.casualties if not m.subset}
    for mention in context.casualties:
        sentence = by_index.get(context.sentence_of(context.doc[mention.start].idx))
        if sentence is not None:
            sentence = _paragraph_part(context, sentence, context.doc[mention.start].idx)
        if sentence is None or mention.subset and mention.kind in ("killed", "injured") and (
                mention.kind in totals or not counts_people_named_before(context.doc[mention.anchor])):
            continue
        earlier = _earlier_dates(sentence, pivot)
        if role == "main" and governed_by_time_phrase(context.doc[mention.predicate], sentence, earlier,
                                                      sentence.index == lead):
            continue
        recap = _in_a_recap(context, sentence, lead, pivot) or (
            lead is not None and sentence.index > lead and _told_as_earlier(_clause_of(context, mention)))
        if role == "main" and _over_a_period(_clause_of(context, mention)):
            continue
        if role == "main" and recap:
            continue
        current = best.get(mention.kind)
        if current is None or current.vague and not mention.vague:
            best[mention.kind] = mention
        elif (mention.count.value > current.count.value and not mention.vague and not recap
              and _raises_toll(context, mention, current, sentence, lead, earlier, pivot, perpetrators)):
            best[mention.kind] = mention
    stated = dict(best)  # as the text states them, attackers still in
    attackers_killed = max((m.count.value for m in context.casualties if m.kind == "attackers_killed"
                            and not m.vague and context.sentence_of(context.doc[m.start].idx) in by_index), default=0)
    if "killed" in best:
        best["killed"] = _without_attackers(context, best["killed"], list(by_index))
    if role == "main" and context.headline is not None:
        # A title's toll often counts in the attackers the story counts apart ("7 dead": 3 victims, 4 attackers).
        stated_with_attackers = {kind: m.count.value + (attackers_killed if kind == "killed" else 0)
                                 for kind, m in stated.items() if not m.vague}
        for kind, mention in _headline_tolls(context.headline).items():
            if mention.count.value > stated_with_attackers.get(kind, 0) or kind not in stated:
                best[kind] = mention
    return best


def _headline_tolls(headline: Doc) -> dict[str, CasualtyMention]:
    """The highest killed and injured figures a title states, attackers it counts in taken out ("Eight dead,
    bomber included"). Titles are rewritten as a story is updated, so a higher figure there is the current
    one; a lower one is the early figure the story's lead gave."""
    mentions = [replace(m, in_headline=True) for m in headline._.newswatch_casualties]
    tolls: dict[str, CasualtyMention] = {}
    for mention in mentions:
        if mention.kind in ("killed", "injured") and not (mention.subset or mention.vague) and (
                mention.kind not in tolls or mention.count.value > tolls[mention.kind].count.value):
            tolls[mention.kind] = mention
    attackers = sum(m.count.value for m in mentions if m.kind == "attackers" and m.subset)
    if "killed" in tolls and 0 < attackers < tolls["killed"].count.value:
        killed = tolls["killed"]
        tolls["killed"] = replace(killed, count=killed.count.model_copy(update={"value": killed.count.value - attackers}))
    return tolls


def _paragraph_part(context: ArticleContext, sentence: SentenceFacts, char: int) -> SentenceFacts:
    """The part of a sentence inside the paragraph holding `char`: the French parser often runs a sentence on
    across paragraph breaks, and a date or recap word in the next paragraph ("Depuis 2015, ...") is not about
    the figure before it."""
    before = context.text.rfind("\n", sentence.span.start_char, char)
    after = context.text.find("\n", char, sentence.span.end_char)
    start = sentence.span.start_char if before < 0 else before + 1
    end = sentence.span.end_char if after < 0 else after
    if start == sentence.span.start_char and end == sentence.span.end_char:
        return sentence
    tokens = [t.i for t in sentence.span if start <= t.idx < end]
    span = context.doc[tokens[0]:tokens[-1] + 1] if tokens else sentence.span
    cues = [c for c in sentence.cues if start <= c.start_char < end]
    return replace(sentence, span=span, text=context.text[start:end], cues=cues,
                   labels=frozenset(c.label_ for c in cues),
                   cue_tokens=frozenset(t for t in sentence.cue_tokens if span.start <= t < span.end),
                   dates=[d for d in sentence.dates if start <= d.span.start_char < end])


def _earlier_dates(sentence: SentenceFacts, pivot: dt.date | None) -> list[DatedSpan]:
    return [d for d in sentence.dates if pivot is not None and is_earlier(d, pivot, 1)]


def _in_a_recap(context: ArticleContext, sentence: SentenceFacts, lead: int | None, pivot: dt.date | None) -> bool:
    """A sentence after the lead that mentions an earlier time or another incident, or sits in a paragraph
    that opens with one ("In 1998, gunmen attacked the same church, killing four."; "March 3, 2009: rebels
    stormed the barracks. A gunfight followed in which 12 were wounded."), tells of an earlier attack: its
    figures are never the main toll, not even the first one."""
    if lead is None or sentence.index <= lead:
        return False
    # The sentence holding the paragraph's first character: a headline-like date line runs into the sentence.
    paragraph_start = context.text.rfind("\n", 0, sentence.span.start_char) + 1
    opener = _paragraph_part(context, context.sentences[context.sentence_of(paragraph_start)], paragraph_start)
    return any(s.index > lead and _recap_marked(s, _earlier_dates(s, pivot), pivot) for s in (sentence, opener))


def _told_as_earlier(clause: list[Token]) -> bool:
    """"au moins 56 personnes avaient été tuées", "un attentat qui avait fait 21 morts": a tense that places
    the harm before the reported events (the French pluperfect) tells of an earlier incident. Read on the
    death word and the verbs above it, never across a noun ("avait avancé un bilan de six soldats tués" is this
    attack's early toll)."""
    auxiliaries = words_of(clause[0])["earlier_tense_auxiliaries"]
    for token in clause:
        if any(c.dep_ == "aux" and c.lower_ in auxiliaries for c in token.children):
            return token.dep_ != "ccomp"  # "a déclaré que l'attaque avait causé neuf morts": reported speech
    return False


def _over_a_period(clause: list[Token]) -> bool:
    """"Boko Haram a fait près de 400 morts dans la région depuis janvier 2014": a total over a period, never
    one attack's toll."""
    period = words_of(clause[0])["period_words"]
    return any(child.lower_ in period or has_case_marker(child, period) for token in clause for child in token.children)


def _clause_of(context: ArticleContext, mention: CasualtyMention) -> list[Token]:
    """The figure's death word and counted word with the verbs right above each (two at most), never across a
    noun: "avait avancé un bilan de six soldats tués" reads "soldats tués" alone, "le bilan s'était élevé à 141
    personnes tuées" reaches "élevé"."""
    clause: list[Token] = []
    toll_verbs = words_of(context.doc)["toll_verbs"]
    for token in dict.fromkeys((context.doc[mention.predicate], context.doc[mention.anchor])):
        clause.append(token)
        for _ in range(2):
            head = token.head
            # A toll verb the tagger took for an adjective ("s'était élevé à 141") is a verb here.
            if head.i == token.i or not (head.tag_.startswith("VB") or head.lower_ in toll_verbs):
                break
            token = token.head
            clause.append(token)
    return clause


def _without_attackers(context: ArticleContext, killed: CasualtyMention, indices: list[int]) -> CasualtyMention:
    """A toll that counts the attackers in ("eight dead, the bomber included"; "six attackers were also
    counted in the toll" in the next sentence; "five people died, the attacker among them" anywhere the same
    figure is stated) is reduced by them: victims' tolls exclude the attackers."""
    sentence = context.sentence_of(context.doc[killed.start].idx)
    same_toll = {context.sentence_of(context.doc[m.start].idx) for m in context.casualties
                 if m.kind == "killed" and not m.subset and m.count.value == killed.count.value}
    included = [m for m in context.casualties if m.kind == "attackers" and m.subset
                and context.sentence_of(context.doc[m.start].idx) in {sentence, sentence + 1} | same_toll
                and context.sentence_of(context.doc[m.start].idx) in indices]
    attackers = sum(m.count.value for m in included)
    if not attackers or attackers >= killed.count.value:
        return killed
    return replace(killed, count=killed.count.model_copy(update={"value": killed.count.value - attackers}))


def _raises_toll(context: ArticleContext, mention: CasualtyMention, current: CasualtyMention,
                 sentence: SentenceFacts, lead: int | None, earlier: list[DatedSpan], pivot: dt.date | None,
                 perpetrators: frozenset[str]) -> bool:
    """Whether a higher figure is a plain statement about this incident."""
    predicate = context.doc[mention.predicate]
    return not (_recap_marked(sentence, earlier, pivot) or _early_or_claimed(context, mention, perpetrators)
                or _in_comparison(predicate) or _by_a_series(predicate)
                or _names_another_town(context, sentence, lead, current))


def _recap_marked(sentence: SentenceFacts, earlier: list[DatedSpan], pivot: dt.date | None) -> bool:
    """A sentence that mentions an earlier time or another incident anywhere ("near the site of the May 2017
    attack, in which 28 were killed", "a fortnight ago", "on the same day, a bombing elsewhere") may be about
    another incident, so its figures never raise the main toll. Without a day to compare with, any year or
    month ("In 2015, ...") counts as earlier: a report dates its own attack by the day."""
    if earlier or any(label in RECAP_LABELS for label in sentence.labels):
        return True
    if pivot is None and any(d.precision in ("year", "month") for d in sentence.dates):
        return True
    words = words_of(sentence.span.doc)
    other, same, day, ago, units = (words[name] for name in (
        "other_incident_words", "same_words", "day_words", "ago_words", "past_units"))
    lowers = [t.lower_ for t in sentence.span]
    return any(word in other or f"{word} {following}" in other or word in same and following in day
               or following in ago and (word in units or word.rstrip("s") in units)
               for word, following in zip(lowers, lowers[1:] + [""]))


def _early_or_claimed(context: ArticleContext, mention: CasualtyMention, perpetrators: frozenset[str]) -> bool:
    """A figure given as an early one ("at first, state media said four had died", "the initial toll", "earlier
    today") or stated by the perpetrators ("the group said in a statement that 20 were killed", "according to
    Amaq"). Walks up from the figure's death word through the clauses that report it; a relative clause ("the
    group claimed the attack, which killed 30") is the reporter's own statement, so the walk stops there."""
    token = context.doc[mention.predicate]
    words = words_of(token)
    early, first, early_modifiers, figures = (words[name] for name in ("early_words", "first_words",
                                                                       "early_toll_modifiers", "figure_nouns"))
    while True:
        for child in token.children:
            if child.dep_ in ("advmod", "npadvmod", "prep") and any(t.lower_ in early for t in child.subtree):
                return True
            if _at_first(child, words["at_first_prepositions"], first):
                return True
            if child.dep_ == "amod" and child.lower_ in early_modifiers and token.lower_ in figures:
                return True
            if _perpetrator_source(context, token, child, perpetrators):
                return True
        if token.dep_ == "relcl" or token.head.i == token.i:
            return False
        token = token.head


def _at_first(child: Token, prepositions: frozenset[str], first: frozenset[str]) -> bool:
    """"at first", "au départ": a preposition with a word for the start."""
    if child.dep_ == "prep":
        return child.lower_ in prepositions and any(c.lower_ in first for c in child.children)
    return child.lower_ in first and has_case_marker(child, prepositions)


def _perpetrator_source(context: ArticleContext, token: Token, child: Token, perpetrators: frozenset[str]) -> bool:
    """"According to <group>", "<group> said ...", or a quote followed by "<group>'s account states"."""
    words = words_of(token)
    statement_verbs = words["statement_verbs"]
    if child.dep_ == "prep" and child.lower_ in words["according_words"]:
        return _names_perpetrator(context, child, perpetrators)
    if token.lower_ in statement_verbs and child.dep_ in ("nsubj", "nsubjpass"):
        return _names_perpetrator(context, child, perpetrators)
    if child.lower_ in statement_verbs:
        return any(_names_perpetrator(context, c, perpetrators) for c in child.children if c.dep_ in ("nsubj", "poss"))
    return False


def _names_perpetrator(context: ArticleContext, phrase: Token, perpetrators: frozenset[str]) -> bool:
    """The group that claimed or is blamed for the attack, its news agency, or the attackers ("the militant
    group", "the gunmen")."""
    start, end = phrase.left_edge.idx, phrase.right_edge.idx + len(phrase.right_edge)
    if any(start <= group.start < end and group.name in perpetrators for group in context.groups):
        return True
    words = words_of(phrase)
    agencies, groups, militant = (words[name] for name in ("news_agencies_of_armed_groups", "group_nouns",
                                                           "militant_modifiers"))
    return any(is_attacker_noun(t) or t.lower_ in agencies or t.lower_ in groups and any(
        c.lower_ in militant for c in t.children) for t in phrase.subtree)


def _in_comparison(predicate: Token) -> bool:
    """"the deadliest attack since the 2015 bombings, which killed 130", "surpassing the nightclub shooting,
    in which 49 died": a figure under a comparison is the other attack's."""
    comparison = words_of(predicate)["comparison_words"]
    return any(t.lower_ in comparison or t.tag_ == "JJS" for t in predicate.ancestors)


def _by_a_series(predicate: Token) -> bool:
    """"a wave of attacks that has killed more than 230 people", "mass shootings have killed ...", "tuées au fil
    de diverses attaques": the toll of many attacks. Twin or numbered attacks ("two blasts killed 20") are one
    incident."""
    words = words_of(predicate)
    series, plural_attacks, joint, several = (words[name] for name in (
        "series_nouns", "plural_attack_nouns", "joint_attack_modifiers", "quantifier_determiners"))
    # The death word's own subject, or its verb's when it is the object ("trois séries d'assauts ont fait 300 morts").
    verb = predicate.head if predicate.dep_ == "dobj" else predicate
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.dep_ == "relcl":
        subjects.append(verb.head)
    for subject in subjects:
        if subject.lower_ in series:
            return True
        if subject.lower_ in plural_attacks and not any(c.dep_ == "nummod" or c.lower_ in joint
                                                        for c in subject.children):
            return True
    # Where the death word says the dead fell: "in a series of attacks", "lors de plusieurs raids" (the French
    # parser hangs the phrase on "lors", an adverb).
    places = [t for c in verb.children if c.dep_ in ("prep", "advmod") or c.dep_.startswith("obl") for t in c.subtree]
    return any(t.lower_ in series or t.lower_ in plural_attacks and any(c.lower_ in several for c in t.children)
               for t in places)


def _names_another_town(context: ArticleContext, sentence: SentenceFacts, lead: int | None,
                        current: CasualtyMention) -> bool:
    """A sentence after the lead that brings up a town whose name the text has not used before ("surpassing the
    Orlando shooting, in which 49 died") is likely about another place's attack; not the sentence of the figure
    it would raise ("More than 100 hurt. At least 86 killed and 126 injured in the Turkish capital")."""
    if lead is None or sentence.index <= lead or context.sentence_of(context.doc[current.start].idx) == sentence.index:
        return False
    start, end = sentence.span.start_char, sentence.span.end_char
    before = context.text[:start].lower()  # any earlier use, a person's name included ("Mayor Arturo Salgado")
    return any(p.kind == "city" and start <= p.start < end and p.text.lower() not in before for p in context.places)
