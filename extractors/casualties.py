"""Casualty counts from a parsed Doc: which number belongs to killed, injured or the attackers.

A number counts only when the dependency parse links it (or the noun it quantifies) to a death or
injury word within its own clause, so ages, dates, distances, money and crowd sizes never become tolls.
Victims named one by one ("a police officer and his guard were shot dead") are added up, and
"no one was hurt" is a count of zero. Which harm word a counted word belongs to is extractors/harm.py;
whether a count is part of a total counted elsewhere is extractors/subsets.py; the words of all three are
the language's (words/counts.toml, words/numbers.toml).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import numpy
from spacy.attrs import LIKE_NUM, LOWER, SENT_START, TAG
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from extractors.harm import (Harm, between_life_and_death, casualty_predicate, casualty_word_kind, harm_right_after,
                             harm_right_before, quantified_harm)
from extractors.languages import resources, words_of
from extractors.numbers import YEAR_LIKE, Quantity, is_not_a_headcount, number_words, quantity_at
from extractors.schema import Count
from extractors.subsets import counted_in_toll, is_subset
from extractors.syntax import clause_head, conj_root, preposition_phrase, prepositional_objects

CasualtyKind = Literal["killed", "injured", "attackers", "attackers_killed"]

# Dependents that give a death or injury word a count of its own ("and 20 wounded", "wounding 20").
OWN_COUNT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "nummod", "attr", "npadvmod"})
CARDINAL_TAG = hash_string("CD")


@cache
def _start_hashes(language: str) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """Lower-case hashes of the words that can start a count, a single victim or a zero, so one pass over
    doc.to_array finds the candidates."""
    words = resources(language).words
    quantities = frozenset(hash_string(w) for w in number_words(language).starts())
    singles = frozenset(hash_string(w) for w in (*words["person_nouns"], *words["single_attackers"],
                                                   *words["person_relative_pronouns"], *words["victim_words"]))
    zeros = frozenset(hash_string(w) for w in (*words["zero_determiners"], *words["zero_pronouns"]))
    return quantities, singles, zeros


@dataclass(frozen=True)
class CasualtyMention:
    """One count: tokens [start, end) of its phrase, the counted word (`anchor`) and its death or injury word
    (`predicate`). `vague` marks a plural quantity word ("dozens"); `subset` a part of a total ("including
    three children")."""

    kind: CasualtyKind
    count: Count
    start: int
    end: int
    anchor: int
    predicate: int
    vague: bool = False
    subset: bool = False
    in_headline: bool = False  # token positions are in the parsed title, not the story

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]


def find_casualties(doc: Doc, max_hops: int = 4) -> list[CasualtyMention]:
    """Every victim, injury and attacker count the parse supports, in text order.

    One vectorised pass picks the few tokens that can start a count (numbers, "dozens", role nouns,
    "no", "nobody"); only those are looked at through the parse."""
    if not len(doc):
        return []
    quantity_hashes, single_hashes, zero_hashes = _start_hashes(doc.lang_)
    array = doc.to_array([LOWER, LIKE_NUM, SENT_START, TAG])
    starts = [int(i) for i in numpy.flatnonzero(array[:, 2] == 1)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    found: dict[int, list[CasualtyMention]] = {}
    sentences: dict[int, Span] = {}

    def sentence_at(index: int) -> tuple[int, Span]:
        number = bisect.bisect_right(starts, index) - 1
        if number not in sentences:
            end = starts[number + 1] if number + 1 < len(starts) else len(doc)
            sentences[number] = doc[starts[number]:end]
        return number, sentences[number]

    lowers = array[:, 0].tolist()
    skip_until = -1
    # Numbers: digits and number words, the tagger's cardinals, and compounds ("Vingt-sept" is not like_num).
    numbers = numpy.flatnonzero((array[:, 1] == 1) | (array[:, 3] == CARDINAL_TAG)).tolist()
    number_starts = quantity_hashes | _compound_numbers(doc, set(lowers))
    for index in sorted(set(numbers).union(i for i, h in enumerate(lowers) if h in number_starts)):
        if index <= skip_until:
            continue
        number, sentence = sentence_at(index)
        quantity = quantity_at(doc, index, sentence)
        if quantity is None:
            continue
        skip_until = quantity.last
        if not is_not_a_headcount(doc, quantity, sentence):
            found.setdefault(number, []).extend(_classify_quantity(doc, quantity, max_hops))
    covered = {i for mentions in found.values() for m in mentions for i in range(m.start, m.end)}
    for index in (i for i, h in enumerate(lowers) if h in single_hashes):
        if index not in covered:
            number, sentence = sentence_at(index)
            found.setdefault(number, []).extend(_single_person(doc[index], sentence, max_hops))
    for index in (i for i, h in enumerate(lowers) if h in zero_hashes):
        number, sentence = sentence_at(index)
        found.setdefault(number, []).extend(_zero_count(doc[index], sentence, max_hops))
    mentions: list[CasualtyMention] = []
    for number in sorted(found):
        mentions.extend(_add_up_coordinated(doc, sorted(found[number], key=lambda m: m.start)))
    return mentions


def _compound_numbers(doc: Doc, hashes: set[int]) -> frozenset[int]:
    """The hyphenated number words among a text's words ("vingt-sept", "dix-huit")."""
    words = number_words(doc.lang_)
    strings = doc.vocab.strings
    return frozenset(h for h in hashes if "-" in strings[h] and words.is_number_word(strings[h]))


def _classify_quantity(doc: Doc, quantity: Quantity, max_hops: int) -> list[CasualtyMention]:
    # The phrase's syntactic head: the last number, or the first of "two or three" (the rest hang from it); a
    # range closing on a vague amount counts that amount's noun ("de cent à plusieurs centaines de morts").
    heads = [doc[i] for i in range(quantity.first, quantity.last + 1)
             if not quantity.first <= doc[i].head.i <= quantity.last]
    vague = number_words(doc.lang_).vague
    number = next((t for t in heads if t.lower_ in vague), heads[0] if heads else doc[quantity.last])
    anchor = number.head if number.dep_ in ("nummod", "quantmod") and number.head.i > number.i else number
    words = words_of(doc)
    if _names_a_thing(number):
        return []
    noun = _quantified_noun(anchor)
    if noun.i == number.i and number.i + 1 < len(doc) and doc[number.i + 1].tag_ == "NNS" and not YEAR_LIKE.match(
            number.text):  # the parser left the number off its noun ("Vingt-trois personnes" after a byline)
        noun = anchor = doc[number.i + 1]
    phrase = preposition_phrase(noun)
    if phrase is not None and phrase[0].lower_ in words["of_prepositions"] and phrase[1].lower_ in words["one_words"]:
        return _one_of(doc, phrase[1], noun, max_hops)  # "l'un des deux policiers a succombé": one of them
    if noun.lower_ in words["non_victim_nouns"] or (YEAR_LIKE.match(number.text) and noun.tag_ != "NNS"):
        return []
    if noun.tag_ == "NNP" and noun.i != number.i:
        return []
    kind, predicate = quantified_harm(noun) if noun.i != anchor.i else harm_right_after(doc, quantity)
    if kind is None:
        kind, predicate = harm_right_before(doc, quantity)
    if kind is None:
        kind, predicate = casualty_predicate(anchor, max_hops)
    if _is_agent(anchor, doc[predicate]) or _counts_a_conflict(doc[predicate]) or (
            anchor.dep_ in ("nsubj", "nsubjpass") and _is_combined_total(doc[predicate])):
        kind = None
    count = Count(value=quantity.value, qualifier=quantity.qualifier)
    end = (noun.i if quantity.last < noun.i <= quantity.last + 3 else quantity.last) + 1
    if is_attacker_noun(noun):
        if number.dep_ != "nummod" and number.lower_ not in words["attacker_quantity_words"] and noun.i == anchor.i:
            return []
        return _attacker_mentions(count, quantity.start, end, anchor, predicate, kind, quantity.vague)
    if kind is None:
        return []
    return [CasualtyMention(kind, count, quantity.start, end, anchor.i, predicate,
                            vague=quantity.vague, subset=is_subset(anchor, doc[predicate]))]


def _names_a_thing(number: Token) -> bool:
    """"la route nationale 3", "Route 7", "article 5": a number right after the singular noun it modifies
    is a name, not a head count."""
    head = number.head
    return (head.i < number.i <= head.i + 2 and head.tag_ in ("NN", "JJ") and number.dep_ in (
        "nummod", "nmod", "amod", "appos", "compound") and casualty_word_kind(head) is None
        and head.lower_ not in words_of(number)["toll_nouns"])


def _one_of(doc: Doc, one: Token, noun: Token, max_hops: int) -> list[CasualtyMention]:
    """"L'un des deux policiers poignardés a succombé": the count is the one, its harm the one's."""
    kind, predicate = casualty_predicate(one, max_hops)
    if kind is None or _is_agent(one, doc[predicate]):
        return []
    start = one.i - 1 if one.i > 0 and doc[one.i - 1].dep_ == "det" and doc[one.i - 1].head.i == one.i else one.i
    return [CasualtyMention(kind, Count(value=1), start, noun.i + 1, one.i, predicate)]


def _attacker_mentions(count: Count, start: int, end: int, anchor: Token, predicate: int,
                       kind: Harm | None, vague: bool = False) -> list[CasualtyMention]:
    """`subset` marks attackers counted in the victims' toll ("eight dead, the bomber included")."""
    counted = counted_in_toll(anchor)
    mentions = [CasualtyMention("attackers", count, start, end, anchor.i, predicate, vague=vague, subset=counted)]
    if kind == "killed":
        mentions.append(CasualtyMention("attackers_killed", count, start, end, anchor.i, predicate, vague=vague,
                                        subset=counted))
    return mentions


def _single_person(token: Token, sentence: Span, max_hops: int) -> list[CasualtyMention]:
    """One victim named by role ("shot dead their driver") or one attacker ("a suicide bomber"), no number."""
    lower = token.lower_
    words = words_of(token)
    if casualty_word_kind(token) is not None:
        return _one_casualty(token)
    # The French tagger often takes a role noun for an adjective ("une paroissienne") or a name ("le
    # kamikaze"): its article and lower case tell.
    nominal = token.tag_ == "NN" or token.tag_ in ("JJ", "NNP") and token.text.islower() and any(
        c.dep_ == "det" for c in token.children)
    if not (nominal and (lower in words["person_nouns"] or lower in words["single_attackers"])
            or _refers_to_one_person(token)):
        return []
    if any(c.dep_ == "nummod" or c.lower_ in words["non_single_determiners"] for c in token.children):
        return []
    # A bare role noun after a preposition is a manner, not a person: "vêtus en civil", "in uniform".
    if preposition_phrase(token) is not None and not any(c.dep_ in ("det", "poss") for c in token.children):
        return []
    kind, predicate = casualty_predicate(token, max_hops)
    if _is_agent(token, sentence.doc[predicate]):
        kind = None
    start = min((c.i for c in token.children if c.dep_ in ("det", "poss", "amod", "compound") and c.i < token.i),
                default=token.i)
    if lower in words["single_attackers"]:
        if any(c.lower_ in words["single_determiners"] for c in token.children):
            return _attacker_mentions(Count(value=1), start, token.i + 1, token, predicate, kind)
        return []
    # "the killing of the mayor" names a victim without counting; "the body of a journalist" and "la mort d'un
    # officier" count one.
    predicate_token = sentence.doc[predicate]
    named_one = token in prepositional_objects(predicate_token, words["of_prepositions"]) and any(
        c.dep_ == "det" and c.lower_ in words["indefinite_articles"] for c in token.children)
    if kind is None or not (predicate_token.tag_.startswith(("VB", "JJ")) or predicate_token.lower_ in words["body_nouns"]
                            or named_one or between_life_and_death(predicate_token)):
        return []
    value = _death_rank(token) if kind == "killed" else 1
    return [CasualtyMention(kind, Count(value=value), start, token.i + 1, token.i, predicate,
                            subset=is_subset(token, predicate_token))]


def _death_rank(token: Token) -> int:
    """"A third soldier died overnight": a dead victim ranked after an indefinite article is the toll so far; any
    other counts one. Not the wounded: "killing two policemen and injuring a third" ranks all the victims."""
    ordinals = resources(token.doc.lang_).tables["ordinal_numbers"]
    if not any(c.dep_ == "det" and c.lower_ in words_of(token)["indefinite_articles"] for c in token.children):
        return 1
    return next((ordinals[c.lower_] for c in token.children if c.dep_ == "amod" and c.lower_ in ordinals), 1)


def _one_casualty(token: Token) -> list[CasualtyMention]:
    """"un blessé", "un mort": a word for a victim (`victim_words`, not "a massacre") after an indefinite article
    is one victim. The tagger may take an opening quote mark for the noun ("un « blessé grave »")."""
    noun = token.head if token.head.is_quote and token.head.i == token.i - 1 else token
    if noun.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ in words_of(token)["indefinite_articles"]
                                    for c in noun.children):
        return []
    kind = casualty_word_kind(token)
    start = min(c.i for c in noun.children if c.dep_ == "det")
    return [CasualtyMention(kind, Count(value=1), start, token.i + 1, token.i, token.i)]  # type: ignore[arg-type]


def is_attacker_noun(noun: Token) -> bool:
    """"gunmen", "assaillants", and people described as armed ("armed men", "hommes armés")."""
    words = words_of(noun)
    return noun.lower_ in words["attacker_nouns"] or noun.lower_ in words["person_nouns"] | words["people_nouns"] and any(
        c.dep_ in ("amod", "acl") and c.lower_ in words["armed_modifiers"] for c in noun.children)


def _refers_to_one_person(token: Token) -> bool:
    """"the mayor, who was shot dead": a relative pronoun standing for one person."""
    words = words_of(token)
    if token.lower_ not in words["person_relative_pronouns"] or token.head.dep_ != "relcl":
        return False
    antecedent = token.head.head
    return antecedent.tag_ == "NNP" or antecedent.tag_ == "NN" and antecedent.lower_ in words["person_nouns"]


def _zero_count(token: Token, sentence: Span, max_hops: int) -> list[CasualtyMention]:
    """"No one was killed", "no officers were hurt" (so none died either), "there were no casualties"."""
    words = words_of(token)
    determiners = words["zero_determiners"]
    if token.lower_ in determiners:
        token = token.head if token.dep_ == "det" else token.nbor(1) if token.i + 1 < sentence.end else token
    zero_kinds: tuple[Harm, ...] = tuple(kind for kind, nouns in (("killed", words["no_deaths_nouns"]),
                                                                   ("injured", words["no_injuries_nouns"]))
                                         if token.lower_ in nouns)
    if zero_kinds:
        kinds, predicate = zero_kinds, token.i
    elif token.lower_ in words["no_one_words"] or token.tag_ in ("NN", "NNS") and token.lower_ not in determiners:
        kind, predicate = casualty_predicate(token, max_hops)
        kinds = () if kind is None else ("killed",) if kind == "killed" else ("killed", "injured")
    else:
        return []
    start = token.i - 1 if token.i > sentence.start and token.nbor(-1).lower_ in determiners else token.i
    return [CasualtyMention(k, Count(value=0), start, token.i + 1, token.i, predicate) for k in kinds]


def _add_up_coordinated(doc: Doc, mentions: list[CasualtyMention]) -> list[CasualtyMention]:
    """Coordinated victims of one verb are one toll: "six troopers and a driver" is 7, "Salgado and a
    bodyguard" is 2, "an official, along with three of his bodyguards" is 4."""
    groups: list[list[CasualtyMention]] = []
    for mention in mentions:
        if not _addable(mention):
            groups.append([mention])
            continue
        group = next((g for g in groups if _addable(g[0]) and (g[0].kind, g[0].predicate) == (mention.kind, mention.predicate)
                      and _coordinated(doc, g[0], mention)), None)
        if group is None:
            groups.append([mention])
        else:
            group.append(mention)
    return [_total(doc, group, mentions) if _addable(group[0]) else group[0] for group in groups]


def _addable(mention: CasualtyMention) -> bool:
    return mention.kind in ("killed", "injured") and not mention.subset and mention.count.value > 0


def _coordinated(doc: Doc, mention: CasualtyMention, later: CasualtyMention) -> bool:
    """Two counted nouns joined by "and" or "along with"; never one noun counted twice, nor across a line
    break, where a headline deck runs into the story ("40 hurt\nTwo police officers ...")."""
    if mention.anchor == later.anchor or "\n" in doc[mention.start:later.end].text:
        return False
    first, other = doc[mention.anchor], doc[later.anchor]
    # "trois de ses collègues ainsi que deux fidèles": the parser joins the counted nouns, not the numbers, or
    # hangs the second on the shared verb with its "along with" phrase ("ainsi que") still on it, or right
    # before its number, whatever the parser makes of the phrase ("deux fidèles ..., ainsi que deux de ses
    # collègues").
    first_noun, later_noun = _quantified_noun(first), _quantified_noun(other)
    along_with = words_of(doc)["along_with_phrases"]
    just_before = " ".join(t.lower_ for t in doc[max(later.start - 2, 0):later.start])
    # "one of the four injured" quantifies "four" twice: a part, not a second group.
    if (other in _conjuncts(first) or later_noun != first_noun and later_noun in _conjuncts(first_noun)
            or just_before in along_with or any(c.dep_ == "cc" and f"{c.lower_} {f.lower_}" in along_with
                                                for c in later_noun.children for f in c.children)):
        return True
    head = other.head
    return head.i > 0 and f"{head.nbor(-1).lower_} {head.lower_}" in words_of(doc)["along_with_phrases"]


def _total(doc: Doc, group: list[CasualtyMention], mentions: list[CasualtyMention]) -> CasualtyMention:
    """The group's sum, plus coordinated names without a count of their own ("Salgado and a bodyguard")."""
    anchors = {m.anchor for m in group}
    person_nouns = words_of(doc)["person_nouns"]
    extra = {t.i for m in group for t in _conjuncts(doc[m.anchor])
             if t.i not in anchors and (t.tag_ == "NNP" or t.tag_ == "NN" and t.lower_ in person_nouns)
             and not any(o.start <= t.i < o.end for o in mentions)}
    if len(group) == 1 and not extra:
        return group[0]
    qualifier = next((m.count.qualifier for m in group if m.count.qualifier != "exact"), "exact")
    return replace(group[0], count=Count(value=sum(m.count.value for m in group) + len(extra), qualifier=qualifier),
                   start=min([m.start for m in group] + list(extra)), end=max([m.end for m in group] + [i + 1 for i in extra]))


def _conjuncts(token: Token) -> list[Token]:
    root = token
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    return [root] + [t for t in root.subtree if t.dep_ == "conj" and conj_root(t).i == root.i]


def _counts_a_conflict(predicate: Token) -> bool:
    """"More than 4,500 people have died in the conflict", "the insurgency has killed more than 27,000 people":
    a war's toll, not the attack's."""
    words = words_of(predicate)
    conflicts, prepositions = words["conflict_nouns"], words["conflict_prepositions"]
    clause = [predicate, predicate.head] if predicate.dep_ in ("acl", "relcl", "amod", "acomp", "oprd") else [predicate]
    verb = clause_head(predicate)
    if verb.dep_ in ("acl", "relcl") and verb.head.lower_ in conflicts:
        return True  # "une crise sécuritaire qui a fait des milliers de morts": the relative's antecedent did it
    return any(any(c.dep_ == "nsubj" and c.lower_ in conflicts for c in token.children)
               or any(o.lower_ in conflicts for o in prepositional_objects(token, prepositions))
               for token in clause)


def _is_combined_total(predicate: Token) -> bool:
    """"more than 100 people were killed and injured", "hurt or killed": one subject for both kinds is a
    count of casualties, neither a death toll nor an injury count. "10 were killed and 20 wounded" is two
    figures: there the other word has a count of its own, as in "cinq tués et plusieurs autres blessés"."""
    kind = casualty_word_kind(predicate)
    if kind is None:
        return False
    quantifiers = words_of(predicate)["quantifier_determiners"]
    return any(t.dep_ == "conj" and casualty_word_kind(t) not in (None, kind) and not _counted_right_before(t)
               and not any(c.dep_ in OWN_COUNT_DEPS or c.like_num or c.dep_ == "det" and c.lower_ in quantifiers
                           for c in t.subtree) for t in predicate.children)


def _counted_right_before(harm: Token) -> bool:
    """A number right before a harm word, "other" and adverbs between, is its own count however the parser hangs
    it: "huit civils ont été tués et douze autres blessés" is two figures (harm_right_after reads the second)."""
    doc, others = harm.doc, words_of(harm)["other_words"]
    index = harm.i - 1
    while index >= 0 and (doc[index].tag_ == "RB" or doc[index].lower_ in others):
        index -= 1
    return index >= 0 and (doc[index].like_num or number_words(doc.lang_).is_number_word(doc[index].lower_))


def _quantified_noun(anchor: Token) -> Token:
    """"dozens of people" and "une dizaine de personnes" quantify "people"; other anchors quantify themselves.
    A number the parser made the head of its own noun ("vingt-sept morts") quantifies the plural right after."""
    numbers = number_words(anchor.doc.lang_)
    # The French tagger takes a number standing alone for a pronoun ("tué trois de ses collègues").
    cardinal = anchor.tag_ == "CD" or anchor.like_num or numbers.is_number_word(anchor.lower_)
    if anchor.lower_ in numbers.vague or anchor.lower_ in numbers.approximate or cardinal:
        counted = next(prepositional_objects(anchor, words_of(anchor)["of_prepositions"]), None)
        if counted is not None:
            return counted
        if cardinal:
            return next((c for c in anchor.children if c.i == anchor.i + 1 and c.dep_ == "nmod" and c.tag_ == "NNS"),
                        anchor)
    return anchor


def _is_agent(anchor: Token, predicate: Token) -> bool:
    """"A man armed with a knife killed one person": the subject of a transitive kill verb is the killer. Never
    the subject of a verb that takes no object ("a succombé", "died"), whatever the parser hangs on it."""
    return (anchor.dep_ == "nsubj" and anchor.head.i == predicate.i and casualty_word_kind(predicate) is not None
            and predicate.lower_ not in words_of(predicate)["intransitive_harm_words"] and any(c.dep_ == "dobj" or c.dep_ == "xcomp" and c.tag_.startswith("NN") for c in predicate.children))
