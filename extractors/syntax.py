"""Prepositional phrases read the same way in both dependency schemes the extractor meets.

English models hang a noun under its preposition ("dozens" -prep-> "of" -pobj-> "people"); Universal
Dependencies models (French) hang the preposition under the noun and the noun under what it modifies
("dizaine" -nmod-> "personnes" -case-> "de"). Rules ask these questions instead of testing the labels.
"""

from __future__ import annotations

from collections.abc import Iterator, Set

from spacy.tokens import Token

NOMINAL_MODIFIER_LABELS = frozenset({"nmod", "obl", "obl:mod", "obl:arg", "nmod:poss", "advcl"})


def prepositional_objects(token: Token, prepositions: Set[str] | None) -> Iterator[Token]:
    """The nouns `token` governs through one of `prepositions`, or through any with None ("dozens of people":
    "people"; "une dizaine de personnes": "personnes")."""
    for child in token.children:
        yield from objects_through(child, prepositions)


def objects_through(child: Token, prepositions: Set[str] | None) -> list[Token]:
    """The nouns one dependent of a word brings in through a preposition: an English "prep" child's objects,
    or the child itself when a preposition is marked on it."""
    if child.dep_ == "prep":
        return [c for c in child.children if c.dep_ == "pobj"] if prepositions is None or child.lower_ in prepositions else []
    if child.dep_ in NOMINAL_MODIFIER_LABELS and (prepositions is None and any(c.dep_ == "case" for c in child.children)
                                                  or prepositions is not None and has_case_marker(child, prepositions)):
        return [child]
    return []


def has_case_marker(noun: Token, prepositions: Set[str]) -> bool:
    """Whether one of `prepositions` is marked on a noun, Universal Dependencies style ("parmi les morts")."""
    return any(c.dep_ in ("case", "fixed") and c.lower_ in prepositions for c in noun.children)


def introduced_by(noun: Token, prepositions: Set[str]) -> bool:
    """Whether a noun stands after one of `prepositions` ("in the war", "dans la guerre")."""
    if noun.dep_ == "pobj":
        return noun.head.lower_ in prepositions
    return has_case_marker(noun, prepositions)
