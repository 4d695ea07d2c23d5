"""Which matched cue phrases count: an event word that is negated, a simile or part of a longer negative
phrase ("heart attack") says nothing about an attack, and one done by police or troops is state force."""

from __future__ import annotations

from spacy.tokens import Span, Token

EVENT_FAMILIES = frozenset({"attack", "attack_weak", "type", "weapon", "suicide", "terror"})
NEGATORS = frozenset({"no", "not", "n't", "never", "without"})
# Heads that make an attack word hypothetical or figurative: "feared a bomb attack", "like an attack".
NON_FACTUAL_HEADS = frozenset({"like", "feared", "fears", "fear", "unlike", "ruled", "rule", "rules"})
STATE_FORCES = frozenset({
    "police", "policemen", "policeman", "officers", "officer", "troops", "soldiers", "army", "forces", "military",
    "commandos", "gendarmes", "navy", "warplanes", "jets", "marines", "paratroopers", "artillery",
})


def counted_cues(cues: list[Span]) -> list[Span]:
    """The cues that stand, in their original order; an attack word whose doer is police or troops becomes
    a "negative:military" cue ("troops clashed", "police shot dead a suspect")."""
    counted = []
    negatives = [c for c in cues if c.label_.startswith("negative:") and len(c) > 1]
    for cue in cues:
        family = cue.label_.partition(":")[0]
        if family == "negative":
            counted.append(cue)
        elif _inside_negative(cue, negatives) or family in EVENT_FAMILIES and (is_negated(cue.root)
                                                                         or _is_non_factual(cue.root)):
            continue
        elif family in ("attack", "attack_weak") and done_by_state_forces(cue.root):
            counted.append(Span(cue.doc, cue.start, cue.end, label="negative:military"))
        elif not (family == "type" and done_by_state_forces(cue.root)):
            counted.append(cue)
    return counted


def _inside_negative(cue: Span, negatives: list[Span]) -> bool:
    return any(other.start <= cue.start and cue.end <= other.end and len(other) > len(cue) for other in negatives)


def is_negated(token: Token) -> bool:
    """"no traces of explosives", "there was no element of terrorism", "was not a terror attack"."""
    holders = [token, token.head]
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        holders.append(token.head.head)
    return any(child.lower_ in NEGATORS or child.dep_ == "neg" for holder in holders for child in holder.children
               if child.i < token.i)


def _is_non_factual(token: Token) -> bool:
    head = token.head
    return head.i != token.i and head.lower_ in NON_FACTUAL_HEADS


def done_by_state_forces(token: Token) -> bool:
    """The attack verb's subject (or the verb governing an attack noun) is police, troops or the army."""
    verb = token if token.tag_.startswith("VB") else token.head
    if not verb.tag_.startswith("VB"):
        return False
    for child in verb.children:
        if child.dep_ in ("nsubj", "agent"):
            subject = child
            if child.dep_ == "agent":
                subject = next((c for c in child.children if c.dep_ == "pobj"), child)
            return subject.lower_ in STATE_FORCES
    return False
