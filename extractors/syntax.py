"""Dependency-parse helpers read the same way in both schemes the extractor meets.

English models hang a noun under its preposition ("an attack on the camp": camp <-pobj- on <-prep- attack);
Universal Dependencies models (French) hang the preposition under the noun and the noun under what it
modifies ("une attaque contre le camp": camp <-nmod- attaque, with "contre" a `case` child of the noun).
Rules ask these helpers instead of testing either shape; the clause a word sits in is found by the tagger's
verb tags, which both schemes share.
"""
from __future__ import annotations

from collections.abc import Iterator, Set

from spacy.tokens import Token

# Universal Dependencies labels of a noun joined to its head through a preposition marked on it.
CASE_MARKED = frozenset({"nmod", "obl", "obl:mod", "obl:arg", "agent", "nmod:poss", "advcl"})
# Clauses whose verb belongs to the attack noun they describe: "the blast that targeted the rally on Friday",
# "the attack, which took place during a Sunday service".
DESCRIBING_CLAUSES = frozenset({"relcl", "acl"})
# Dependents that modify a noun: "Monday's attack", "l'attaque de dimanche".
NOUN_MODIFIERS = frozenset({"poss", "compound", "nmod", "amod"})


def preposition_phrase(noun: Token) -> tuple[Token, Token] | None:
    """(the preposition, the word the phrase attaches to) for a noun inside a prepositional phrase, in
    either parse; None when the noun is not the object of a preposition."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
        return noun.head, noun.head.head
    if noun.dep_ in CASE_MARKED:
        case = next((child for child in noun.children if child.dep_ == "case"), None)
        if case is not None:
            return case, noun.head
    return None


def prepositional_phrases(head: Token) -> list[tuple[Token, Token]]:
    """(preposition, noun) for every prepositional phrase attached to `head`, in either parse."""
    found = []
    for child in head.children:
        if child.dep_ == "prep":
            noun = next((c for c in child.children if c.dep_ == "pobj"), None)
            if noun is not None:
                found.append((child, noun))
        elif child.dep_ in CASE_MARKED:
            case = next((c for c in child.children if c.dep_ == "case"), None)
            if case is not None:
                found.append((case, child))
    return found


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
    if child.dep_ in CASE_MARKED and (prepositions is None and any(c.dep_ == "case" for c in child.children)
                                      or prepositions is not None and has_case_marker(child, prepositions)):
        return [child]
    return []


def has_case_marker(noun: Token, prepositions: Set[str]) -> bool:
    """Whether one of `prepositions` is marked on a noun, Universal Dependencies style ("parmi les morts")."""
    return any(c.dep_ in ("case", "fixed") and c.lower_ in prepositions for c in noun.children)


def clause_head(token: Token) -> Token:
    """The verb that heads the clause a token sits in (or the sentence root)."""
    current = token
    while not current.tag_.startswith("VB") and current.head.i != current.i:
        current = current.head
    return current


def preposition_object(preposition: Token) -> Token | None:
    """The noun a preposition governs, in either scheme: English attaches it under the preposition ("after" ->
    pobj "attack"), Universal Dependencies attaches the preposition under it ("après" <-case- "attaque")."""
    if preposition.dep_ == "case":
        return preposition.head
    return next((child for child in preposition.children if child.dep_ == "pobj"), None)


def modified_verb(token: Token) -> Token | None:
    """The verb a time expression modifies directly ("In 2015, fighters stormed", "killed 300 this year"), or
    None when it sits inside a noun phrase ("one of the deadliest assaults this year")."""
    current = token
    while not current.tag_.startswith("VB") and current.head.i != current.i:
        if current.i != token.i and current.tag_.startswith("NN") and current.dep_ != "pobj":
            return None
        current = current.head
    return current


def conj_root(token: Token) -> Token:
    """The first conjunct of a coordination ("six troopers and a driver": "troopers"), or the token itself."""
    while token.dep_ == "conj":
        token = token.head
    return token
