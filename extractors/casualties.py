"""Casualty counts from a parsed Doc: which number belongs to killed, injured or the attackers.

A number counts only when the dependency parse links it (or the noun it quantifies) to a death or
injury word within its own clause, so ages, dates, distances, money and crowd sizes never become tolls.
Victims named one by one ("a police officer and his guard were shot dead") are added up, and
"no one was hurt" is a count of zero.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

import numpy
from spacy.attrs import LIKE_NUM, LOWER, SENT_START
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from extractors.numbers import VAGUE_QUANTITIES, YEAR_LIKE, Quantity, is_not_a_headcount, quantity_at
from extractors.schema import Count
from extractors.segments import clause_head

CasualtyKind = Literal["killed", "injured", "attackers", "attackers_killed"]
Harm = Literal["killed", "injured"]

KILLED_WORDS = frozenset({
    "killed", "kill", "kills", "killing", "dead", "died", "die", "dies", "dying", "death", "deaths", "slain",
    "slew", "massacred", "perished", "fatalities", "lives", "murdered", "executed", "beheaded", "body", "bodies",
    "martyred", "massacre",
})
INJURED_WORDS = frozenset({
    "wounded", "wounding", "wound", "wounds", "injured", "injuring", "injure", "injures", "injuries", "hurt",
    "hospitalized", "hospitalised", "maimed",
})
TOLL_VERBS = frozenset({"rose", "risen", "rises", "climbed", "climbs", "reached", "reaches", "jumped", "jumps",
                        "increased", "increases", "stood", "stands", "hit", "hits", "mounted", "mounts", "surged",
                        "surges", "soared", "soars", "topped", "tops", "passed", "passes", "bringing", "brought",
                        "brings", "raising", "raised", "pushing", "pushed", "taking", "took", "is", "was"})
FATAL_ADVERBS = frozenset({"fatally"})
# Verbs that send the wounded to hospital: "33 people were admitted at Mulago Hospital" counts the injured.
HOSPITAL_VERBS = frozenset({"admitted", "taken", "rushed", "brought", "treated", "evacuated", "airlifted",
                            "transported", "moved", "hospitalized", "hospitalised"})
# What a clause counts when it counts the dead of a war or an insurgency, not of one attack ("killed in the
# violence" or "the unrest" often means the attack itself, so those words are not here).
CONFLICT_NOUNS = frozenset({"conflict", "conflicts", "war", "wars", "insurgency", "uprising", "rebellion", "crisis"})
SPEECH_VERBS = frozenset({"said", "says", "say", "told", "tells", "added", "announced", "stated", "claimed",
                          "according"})
# What "of" or "among" points back to when a count is a part of the victims named before ("two of them").
GROUP_BEFORE_WORDS = frozenset({"them", "whom", "those", "dead", "victims", "wounded", "injured"})
SUBSET_WORDS = frozenset({"including", "among", "included", "includes"})
INCLUSION_WORDS = frozenset({"including", "included", "include", "includes", "counted"})
ATTACKER_NOUNS = frozenset({
    "attackers", "attacker", "gunmen", "gunman", "assailants", "assailant", "militants", "militant", "bombers",
    "bomber", "insurgents", "insurgent", "terrorists", "terrorist", "jihadists", "jihadist", "hijackers",
    "kidnappers", "abductors", "hostage-takers", "assassins", "fighters", "extremists",
})
PERSON_NOUNS = frozenset({
    "policeman", "policewoman", "soldier", "officer", "guard", "bodyguard", "civilian", "man", "woman", "child",
    "boy", "girl", "teenager", "journalist", "reporter", "photographer", "student", "teacher", "worker",
    "employee", "judge", "lawmaker", "politician", "cleric", "priest", "imam", "monk", "nun", "leader",
    "official", "commander", "chief", "colonel", "general", "captain", "sergeant", "deputy", "tourist",
    "passenger", "pedestrian", "resident", "villager", "shopkeeper", "owner", "doctor", "nurse", "driver",
    "bystander", "lawyer", "prosecutor", "activist", "cadet", "constable", "worshipper", "person", "trooper",
    "mayor", "governor", "minister", "councillor", "councilor", "councilman", "councilwoman", "candidate",
    "senator", "elder", "farmer", "pilgrim", "engineer", "contractor", "ranger", "gendarme", "guest",
})
SINGLE_ATTACKERS = frozenset({"gunman", "attacker", "bomber", "assailant", "militant", "terrorist", "hijacker",
                              "kidnapper", "assassin", "suspect", "shooter", "knifeman", "perpetrator", "intruder"})
# Nouns a number can quantify that are never victims: units, time, money, objects, events.
NON_VICTIM_NOUNS = frozenset({
    "miles", "mile", "km", "kilometres", "kilometers", "kilometre", "kilometer", "metres", "meters", "metre",
    "meter", "feet", "foot", "yards", "yard", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "week",
    "months", "month", "years", "year", "decades", "decade", "percent", "per", "%", "dollars", "dollar", "$",
    "rupees", "euros", "pounds", "tonnes", "tons", "kg", "kilograms", "times", "attacks", "attack", "bombings",
    "blasts", "explosions", "incidents", "groups", "vehicles", "cars", "houses", "homes", "buildings", "shops",
    "rounds", "shots", "bullets", "goals", "points", "runs", "wickets", "games", "matches", "shares", "cases",
    "votes", "seats", "villages", "provinces", "districts", "countries", "cities", "floors", "storeys",
    "bombs", "grenades", "rockets", "mortars", "weapons", "rifles", "o'clock", "am", "pm", "a.m.", "p.m.",
})
# Dependents that give a death or injury word a count of its own ("and 20 wounded", "wounding 20").
OWN_COUNT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "nummod", "attr", "npadvmod"})
NO_ONE = frozenset({"nobody", "one", "none"})
ZERO_NOUNS: dict[str, tuple[Harm, ...]] = {
    "casualties": ("killed", "injured"), "injuries": ("injured",), "deaths": ("killed",),
    "fatalities": ("killed",), "dead": ("killed",),
}


# Lower-case hashes of the words that can start a count, so one pass over doc.to_array finds the candidates.
QUANTITY_HASHES = frozenset(hash_string(w) for w in (*VAGUE_QUANTITIES, "a", "an", "half"))
SINGLE_HASHES = frozenset(hash_string(w) for w in (*PERSON_NOUNS, *SINGLE_ATTACKERS, "who"))
ZERO_HASHES = frozenset(hash_string(w) for w in ("no", "nobody", "none"))


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
    array = doc.to_array([LOWER, LIKE_NUM, SENT_START])
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
    numbers = numpy.flatnonzero(array[:, 1] == 1).tolist()
    for index in sorted(numbers + [i for i, h in enumerate(lowers) if h in QUANTITY_HASHES]):
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
    for index in (i for i, h in enumerate(lowers) if h in SINGLE_HASHES):
        if index not in covered:
            number, sentence = sentence_at(index)
            found.setdefault(number, []).extend(_single_person(doc[index], sentence, max_hops))
    for index in (i for i, h in enumerate(lowers) if h in ZERO_HASHES):
        number, sentence = sentence_at(index)
        found.setdefault(number, []).extend(_zero_count(doc[index], sentence, max_hops))
    mentions: list[CasualtyMention] = []
    for number in sorted(found):
        mentions.extend(_add_up_coordinated(doc, sorted(found[number], key=lambda m: m.start)))
    return mentions


def _classify_quantity(doc: Doc, quantity: Quantity, max_hops: int) -> list[CasualtyMention]:
    # The phrase's syntactic head: the last number, or the first of "two or three" (the rest hang from it).
    number = next((doc[i] for i in range(quantity.first, quantity.last + 1)
                   if not quantity.first <= doc[i].head.i <= quantity.last), doc[quantity.last])
    anchor = number.head if number.dep_ in ("nummod", "quantmod") and number.head.i > number.i else number
    noun = _quantified_noun(anchor)
    if noun.lower_ in NON_VICTIM_NOUNS or (YEAR_LIKE.match(number.text) and noun.tag_ != "NNS"):
        return []
    if noun.tag_ == "NNP" and noun.i != number.i:
        return []
    kind, predicate = _modifier_kind(noun) if noun.i != anchor.i else _harm_right_after(doc, quantity)
    if kind is None:
        kind, predicate = casualty_predicate(anchor, max_hops)
    if _is_agent(anchor, doc[predicate]) or _counts_a_conflict(doc[predicate]) or (
            anchor.dep_ in ("nsubj", "nsubjpass") and _is_combined_total(doc[predicate])):
        kind = None
    count = Count(value=quantity.value, qualifier=quantity.qualifier)
    end = (noun.i if quantity.last < noun.i <= quantity.last + 3 else quantity.last) + 1
    if noun.lower_ in ATTACKER_NOUNS:
        if number.dep_ != "nummod" and number.lower_ not in ("dozens", "scores", "hundreds") and noun.i == anchor.i:
            return []
        return _attacker_mentions(count, quantity.start, end, anchor, predicate, kind, quantity.vague)
    if kind is None:
        return []
    return [CasualtyMention(kind, count, quantity.start, end, anchor.i, predicate,
                            vague=quantity.vague, subset=_is_subset(anchor, doc[predicate]))]


def _harm_right_after(doc: Doc, quantity: Quantity) -> tuple[Harm | None, int]:
    """A bare number followed by its own harm word, adverbs allowed between: "left three dead and three
    seriously hurt", "12 critically injured". The parse often hangs such a number on the first harm word."""
    index = quantity.last + 1
    while index < len(doc) and doc[index].tag_ == "RB":
        index += 1
    if index < len(doc) and doc[index].tag_ in ("VBN", "JJ") and casualty_word_kind(doc[index]):
        return casualty_word_kind(doc[index]), index
    return None, doc[quantity.last].i


def _attacker_mentions(count: Count, start: int, end: int, anchor: Token, predicate: int,
                       kind: Harm | None, vague: bool = False) -> list[CasualtyMention]:
    """`subset` marks attackers counted in the victims' toll ("eight dead, the bomber included")."""
    counted = _counted_in_toll(anchor)
    mentions = [CasualtyMention("attackers", count, start, end, anchor.i, predicate, vague=vague, subset=counted)]
    if kind == "killed":
        mentions.append(CasualtyMention("attackers_killed", count, start, end, anchor.i, predicate, vague=vague,
                                        subset=counted))
    return mentions


def _single_person(token: Token, sentence: Span, max_hops: int) -> list[CasualtyMention]:
    """One victim named by role ("shot dead their driver") or one attacker ("a suicide bomber"), no number."""
    lower = token.lower_
    if not (token.tag_ == "NN" and lower in PERSON_NOUNS | SINGLE_ATTACKERS or _refers_to_one_person(token)):
        return []
    if any(c.dep_ == "nummod" or c.lower_ in ("no", "any", "every", "each") for c in token.children):
        return []
    kind, predicate = casualty_predicate(token, max_hops)
    if _is_agent(token, sentence.doc[predicate]):
        kind = None
    start = min((c.i for c in token.children if c.dep_ in ("det", "poss", "amod", "compound") and c.i < token.i),
                default=token.i)
    if lower in SINGLE_ATTACKERS:
        if any(c.lower_ in ("a", "an", "the") for c in token.children):
            return _attacker_mentions(Count(value=1), start, token.i + 1, token, predicate, kind)
        return []
    # "the killing of the mayor" names a victim without counting; "the body of a journalist" counts one.
    predicate_token = sentence.doc[predicate]
    if kind is None or not (predicate_token.tag_.startswith(("VB", "JJ")) or predicate_token.lower_ in ("body", "bodies")):
        return []
    return [CasualtyMention(kind, Count(value=1), start, token.i + 1, token.i, predicate,
                            subset=_is_subset(token, predicate_token))]


def _counted_in_toll(anchor: Token) -> bool:
    """"Six attackers were also counted in the toll", "eight dead, the bomber included", "five people, including
    the gunman, died": an inclusion word above the attackers, in a clause that speaks of the dead or the toll.
    Also an attacker listed with the dead ("five people died, the attacker among them"; "three people were
    confirmed dead - the suspect and two officers")."""
    current = _conj_root(anchor)
    if _part_of_those_before(anchor):
        return _speaks_of_the_dead(anchor.sent)
    if current.dep_ == "appos" and _is_counted(current.head):
        return _speaks_of_the_dead(clause_head(current.head).subtree)
    for _ in range(3):
        head = current.head
        if head.i == current.i or head.tag_.startswith("VB") and head.lower_ not in INCLUSION_WORDS:
            return False
        if head.lower_ in INCLUSION_WORDS:
            return _speaks_of_the_dead(clause_head(head.head if head.dep_ == "prep" else head).subtree)
        current = head
    return False


def _is_counted(noun: Token) -> bool:
    """"three people", "the dead", "five": a number of victims, not one person ("a suspect, the gunman")."""
    return noun.tag_ == "CD" or any(c.dep_ == "nummod" for c in noun.children)


def _speaks_of_the_dead(tokens: Iterable[Token]) -> bool:
    return any(t.lower_ == "toll" or casualty_word_kind(t) == "killed" for t in tokens)


def _refers_to_one_person(token: Token) -> bool:
    """"the mayor, who was shot dead": a relative pronoun standing for one person."""
    if token.lower_ != "who" or token.head.dep_ != "relcl":
        return False
    antecedent = token.head.head
    return antecedent.tag_ == "NNP" or antecedent.tag_ == "NN" and antecedent.lower_ in PERSON_NOUNS


def _zero_count(token: Token, sentence: Span, max_hops: int) -> list[CasualtyMention]:
    """"No one was killed", "no officers were hurt" (so none died either), "there were no casualties"."""
    if token.lower_ == "no":
        token = token.head if token.dep_ == "det" else token.nbor(1) if token.i + 1 < sentence.end else token
    if token.lower_ in ZERO_NOUNS:
        kinds, predicate = ZERO_NOUNS[token.lower_], token.i
    elif token.lower_ in NO_ONE or token.tag_ in ("NN", "NNS") and token.lower_ != "no":
        kind, predicate = casualty_predicate(token, max_hops)
        kinds = () if kind is None else ("killed",) if kind == "killed" else ("killed", "injured")
    else:
        return []
    start = token.i - 1 if token.i > sentence.start and token.nbor(-1).lower_ == "no" else token.i
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
    if other in _conjuncts(first):
        return True
    head = other.head
    return head.lower_ == "with" and head.i > 0 and head.nbor(-1).lower_ in ("along", "together")


def _total(doc: Doc, group: list[CasualtyMention], mentions: list[CasualtyMention]) -> CasualtyMention:
    """The group's sum, plus coordinated names without a count of their own ("Salgado and a bodyguard")."""
    anchors = {m.anchor for m in group}
    extra = {t.i for m in group for t in _conjuncts(doc[m.anchor])
             if t.i not in anchors and (t.tag_ == "NNP" or t.tag_ == "NN" and t.lower_ in PERSON_NOUNS)
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
    return [root] + [t for t in root.subtree if t.dep_ == "conj" and _conj_root(t).i == root.i]


def _conj_root(token: Token) -> Token:
    while token.dep_ == "conj":
        token = token.head
    return token


def _modifier_kind(noun: Token) -> tuple[Harm | None, int]:
    """The counted noun's own death or injury word: "scores of wounded people", "the 40 people martyred",
    "five others, who suffered injuries", "100 others with injuries"."""
    for child in noun.children:
        if child.dep_ in ("amod", "acl", "relcl") and casualty_word_kind(child):
            return casualty_word_kind(child), child.i
        if child.dep_ in ("acl", "relcl"):
            objects = [c for c in child.children if c.dep_ == "dobj" and casualty_word_kind(c)]
            if objects:
                return casualty_word_kind(objects[0]), objects[0].i
        if child.dep_ == "prep" and child.lower_ == "with":
            objects = [c for c in child.children if c.dep_ == "pobj" and casualty_word_kind(c) == "injured"]
            if objects:
                return "injured", objects[0].i
    return None, noun.i


def _counts_a_conflict(predicate: Token) -> bool:
    """"More than 4,500 people have died in the conflict", "the insurgency has killed more than 27,000 people":
    a war's toll, not the attack's."""
    clause = [predicate, predicate.head] if predicate.dep_ in ("acl", "relcl", "amod", "acomp", "oprd") else [predicate]
    return any(child.dep_ == "nsubj" and child.lower_ in CONFLICT_NOUNS
               or child.dep_ == "prep" and child.lower_ in ("in", "during", "since", "throughout", "over")
               and any(c.lower_ in CONFLICT_NOUNS for c in child.children)
               for token in clause for child in token.children)


def _is_combined_total(predicate: Token) -> bool:
    """"more than 100 people were killed and injured", "hurt or killed": one subject for both kinds is a
    count of casualties, neither a death toll nor an injury count. "10 were killed and 20 wounded" is two
    figures: there the other word has a count of its own."""
    kind = casualty_word_kind(predicate)
    if kind is None:
        return False
    return any(t.dep_ == "conj" and casualty_word_kind(t) not in (None, kind)
               and not any(c.dep_ in OWN_COUNT_DEPS or c.like_num for c in t.subtree) for t in predicate.children)


def _quantified_noun(anchor: Token) -> Token:
    """"dozens of people" quantifies "people"; other anchors quantify themselves."""
    if anchor.lower_ in ("dozens", "scores", "hundreds", "thousands") or anchor.tag_ == "CD":
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    return anchor


def _is_agent(anchor: Token, predicate: Token) -> bool:
    """"A man armed with a knife killed one person": the subject of a transitive kill verb is the killer."""
    return (anchor.dep_ == "nsubj" and anchor.head.i == predicate.i and casualty_word_kind(predicate) is not None
            and any(c.dep_ == "dobj" for c in predicate.children))


def _is_subset(anchor: Token, predicate: Token) -> bool:
    """"including three children", "two of them", "five children among them", "among the dead were five
    policemen"."""
    if _part_of_those_before(anchor):
        return True
    if not predicate.is_ancestor(anchor):  # "the 40 people killed included a candidate": the total
        return False
    current = anchor
    while current.i != predicate.i and current.head.i != current.i:
        current = current.head
        if current.lower_ == "among" and _is_counted(current.head):  # "five students among eight people": the total
            return False
        if current.lower_ in SUBSET_WORDS:
            return True
    return False


def _part_of_those_before(token: Token) -> bool:
    """"two of them", "three of the dead", "nine police officers among them", "five students among eight
    people killed": a part of a group named before or after."""
    return any(child.dep_ == "prep" and child.lower_ in ("of", "among") and any(
        c.lower_ in GROUP_BEFORE_WORDS or child.lower_ == "among" and _is_counted(c) for c in child.children)
        for child in token.children)


def casualty_word_kind(token: Token) -> Harm | None:
    lower = token.lower_
    if lower in KILLED_WORDS or _fatally(token):
        return "killed"
    if lower in INJURED_WORDS:
        return "injured"
    return None


def _fatally(token: Token) -> bool:
    """"three people were fatally stabbed", "fatally wounded", "shot fatally": the harm killed them."""
    return token.tag_.startswith("VB") and any(c.dep_ == "advmod" and c.lower_ in FATAL_ADVERBS
                                               for c in token.children)


def casualty_predicate(anchor: Token, max_hops: int) -> tuple[Harm | None, int]:
    """Walk up from the counted word to the death or injury word of its clause, if any."""
    kind = casualty_word_kind(anchor)
    if kind:
        return kind, anchor.i
    kind, predicate = _modifier_kind(anchor)
    if kind:
        return kind, predicate
    current = anchor
    for _ in range(max_hops):
        head = current.head
        if head.i == current.i or head.lower_ in SPEECH_VERBS:
            break
        kind = casualty_word_kind(head)
        if kind:
            return kind, head.i
        if head.lower_ == "toll":
            return _toll_kind(head), head.i
        if head.tag_.startswith("VB") and head.lower_ not in SUBSET_WORDS:
            if current.dep_ in ("nsubj", "nsubjpass", "dobj") and _sends_to_hospital(head):
                return "injured", head.i
            return _verb_complement_kind(head)
        current = head
    return None, anchor.i


def _sends_to_hospital(verb: Token) -> bool:
    """"33 people were admitted at Mulago Hospital", "took 20 people to hospital": the wounded."""
    return verb.lower_ in HOSPITAL_VERBS and any(
        child.dep_ == "prep" and any(c.lower_ in ("hospital", "hospitals") for c in child.children)
        for child in verb.children)


def _verb_complement_kind(verb: Token) -> tuple[Harm | None, int]:
    """"left five people dead", "shot dead", "hacked to death", "lost their lives", "the toll rose to 14",
    "left 100 others with injuries"."""
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "xcomp", "dobj", "advmod", "ccomp") and casualty_word_kind(child):
            return casualty_word_kind(child), verb.i
        if child.dep_ == "prep" and child.lower_ == "to" and any(c.lower_ == "death" for c in child.children):
            return "killed", verb.i
        if child.dep_ == "prep" and child.lower_ == "with" and any(
                casualty_word_kind(c) == "injured" for c in child.children):
            return "injured", verb.i
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ == "toll" and verb.lower_ in TOLL_VERBS:
            return _toll_kind(child), verb.i
    return None, verb.i


def _toll_kind(toll: Token) -> Harm:
    """A toll is the dead unless a word on it says injuries: "the injury toll", "the wounded toll"."""
    injuries = any(child.lower_ in ("injury", "casualty") or casualty_word_kind(child) == "injured"
                   for child in toll.children)
    return "injured" if injuries else "killed"
