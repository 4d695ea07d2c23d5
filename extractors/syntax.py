"""Language-neutral views of a dependency parse, for rules that read prepositional phrases.

English parses "an attack on the camp" as camp <-pobj- on <-prep- attack; Universal Dependencies (French)
parses it as camp <-nmod- attaque, with "contre" a `case` child of the noun. Rules ask these helpers instead
of testing either shape.
"""

from __future__ import annotations

from spacy.tokens import Token

# Universal Dependencies labels of a noun joined to its head through a preposition (its `case` child).
CASE_MARKED = frozenset({"nmod", "obl", "obl:mod", "obl:arg", "agent"})


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


def prepositional_objects(head: Token) -> list[tuple[Token, Token]]:
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
