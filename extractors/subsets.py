"""Whether a count is part of a group counted elsewhere, so never a toll of its own.

"including three children", "two of them", "five students among eight people": the count is flagged `subset`
and the toll is the total. Attackers "counted in the toll" ("eight dead, the bomber included") are flagged
the same way, so tolls.py can take them out of the victims' count. extractors/casualties.py asks these
questions of every count it finds; tolls.py asks whether a part points back to people named before.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from extractors.harm import casualty_word_kind
from extractors.languages import words_of
from extractors.numbers import number_words
from extractors.syntax import clause_head, conj_root, has_case_marker, prepositional_objects


def is_subset(anchor: Token, predicate: Token) -> bool:
    """"including three children", "two of them", "five children among them", "among the dead were five
    policemen"."""
    if _part_of_those_before(anchor):
        return True
    if not predicate.is_ancestor(anchor):  # "the 40 people killed included a candidate": the total
        return False
    words = words_of(anchor)
    among, subset = words["among_prepositions"], words["subset_words"]
    current = anchor
    while current.i != predicate.i and current.head.i != current.i:
        # English puts "among" on the path up from the count; Universal Dependencies marks it on the noun.
        if has_case_marker(current, among) and _is_counted(current.head):
            return False
        if has_case_marker(current, subset):
            return True
        current = current.head
        if current.lower_ in among and _is_counted(current.head):  # "five students among eight people": the total
            return False
        if current.lower_ in subset:
            return True
    return False


def counted_in_toll(anchor: Token) -> bool:
    """"Six attackers were also counted in the toll", "eight dead, the bomber included", "five people, including
    the gunman, died": an inclusion word above the attackers, in a clause that speaks of the dead or the toll.
    Also an attacker listed with the dead ("five people died, the attacker among them"; "three people were
    confirmed dead - the suspect and two officers")."""
    inclusion = words_of(anchor)["inclusion_words"]
    current = conj_root(anchor)
    if _part_of_those_before(anchor):
        return _speaks_of_the_dead(anchor.sent)
    if current.dep_ == "appos" and _is_counted(current.head):
        return _speaks_of_the_dead(clause_head(current.head).subtree)
    for _ in range(3):
        head = current.head
        if head.i == current.i or head.tag_.startswith("VB") and head.lower_ not in inclusion:
            return False
        if head.lower_ in inclusion:
            return _speaks_of_the_dead(clause_head(head.head if head.dep_ == "prep" else head).subtree)
        current = head
    return False


def counts_people_named_before(anchor: Token) -> bool:
    """"eleven of them", "onze d'entre eux": a part of people a pronoun points back to, who may be the victims
    counted elsewhere or the people attacked ("attacked the soldiers' position, killing eleven of them")."""
    words = words_of(anchor)
    return any(o.tag_ == "PRP" and o.lower_ in words["group_before_words"]
               for o in prepositional_objects(anchor, words["of_prepositions"]))


def _part_of_those_before(token: Token) -> bool:
    """"two of them", "three of the dead", "nine police officers among them", "five students among eight
    people killed": a part of a group named before or after."""
    words = words_of(token)
    group_before = words["group_before_words"]
    if any(c.lower_ in words["partitive_pronouns"] for c in token.children):  # "dont deux enfants"
        return True
    # A collective number's own noun is what it counts, not a group before ("une dizaine de morts", "des
    # centaines de morts").
    numbers = number_words(token.doc.lang_)
    counts_itself = token.lower_ in numbers.approximate or token.lower_ in numbers.vague
    return not counts_itself and any(
        o.lower_ in group_before for o in prepositional_objects(token, words["of_prepositions"])) or any(
        o.lower_ in group_before or _is_counted(o) for o in prepositional_objects(token, words["among_prepositions"]))


def _is_counted(noun: Token) -> bool:
    """"three people", "the dead", "five": a number of victims, not one person ("a suspect, the gunman")."""
    return noun.tag_ == "CD" or any(c.dep_ == "nummod" for c in noun.children)


def _speaks_of_the_dead(tokens: Iterable[Token]) -> bool:
    tokens = list(tokens)
    if not tokens:
        return False
    toll_nouns = words_of(tokens[0])["toll_nouns"]
    return any(t.lower_ in toll_nouns or casualty_word_kind(t) == "killed" for t in tokens)
