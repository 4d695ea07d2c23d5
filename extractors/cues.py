"""Which matched cue phrases count: an event word that is negated, a simile, a plan, a threat or part of a
longer negative phrase ("heart attack", "bomb cyclone") says nothing about an attack that happened; one done
by police or troops is state force, and an explosion whose subject is a gas cylinder is an accident."""

from __future__ import annotations

from spacy.tokens import Span, Token

EVENT_FAMILIES = frozenset({"attack", "attack_weak", "type", "weapon", "suicide", "terror"})
NEGATORS = frozenset({"no", "not", "n't", "never", "without"})
# Heads that make an attack word hypothetical, figurative or unrealised: "feared a bomb attack", "like an
# attack", "plotted an attack", "an attack had been thwarted", "a bomb threat", "a bomb hoax", "bomb-making".
NON_FACTUAL_HEADS = frozenset({
    "like", "feared", "fears", "fear", "unlike", "ruled", "rule", "rules",
    "plot", "plots", "plotted", "plotting", "plan", "plans", "planned", "planning", "conspiracy", "conspiring",
    "conspired", "foil", "foiled", "foiling", "thwart", "thwarted", "thwarting", "prevent", "prevented",
    "preventing", "avert", "averted", "threat", "threats", "threaten", "threatened", "threatening", "threatens",
    "vow", "vowed", "vows", "pledged", "urge", "urged", "urges", "urging", "incite", "incited", "inciting", "hoax",
    "hoaxes", "scare", "scares", "defuse", "defused", "defusing", "made", "warn", "warned", "warning", "warns", "drill", "drills", "exercise", "simulation",
    "simulate", "simulated", "simulating", "rehearse", "rehearsed", "rehearsing", "rehearsal", "make", "making",
    "build", "building", "assemble", "assembling",
})
# Modifiers that say the device or attack was not real: "a possible bomb", "a fake bomb", "a hoax device".
NON_FACTUAL_MODIFIERS = frozenset({
    "possible", "potential", "fake", "hoax", "dummy", "imitation", "mock", "replica", "hypothetical",
    "would-be", "planned", "foiled", "thwarted", "averted", "unexploded", "simulated", "staged", "fictional",
    "fictitious",
})
# How far up the parse a non-factual head may govern the attack word: "plotted to carry out a bomb attack".
NON_FACTUAL_LINKS = frozenset({
    "dobj", "pobj", "prep", "xcomp", "compound", "nsubjpass", "amod", "acl", "nmod", "npadvmod",
})
MAX_NON_FACTUAL_HOPS = 3
CONTENT_PREPOSITIONS = frozenset({"of", "for", "about", "to", "against", "on", "into"})
MAX_VERB_HOPS = 5
STATE_FORCES = frozenset({
    "police", "policemen", "policeman", "officers", "officer", "troops", "soldiers", "army", "forces", "military",
    "commandos", "gendarmes", "navy", "warplanes", "jets", "marines", "paratroopers", "artillery", "squad",
    "sappers", "technicians",
})
MISHAP_FAMILIES = ("negative:accident", "negative:disaster")
NON_STATE_DOERS = frozenset({
    "militant", "militants", "jihadist", "jihadists", "insurgent", "insurgents", "terrorist", "terrorists",
    "rebel", "rebels", "extremist", "extremists", "islamist", "gunmen", "suicide", "bandit", "bandits",
})


def counted_cues(cues: list[Span]) -> list[Span]:
    """The cues that stand, in their original order; an attack word whose doer is police or troops becomes
    a "negative:military" cue ("troops clashed", "police shot dead a suspect")."""
    counted = []
    negatives = [c for c in cues if c.label_.startswith("negative:") and len(c) > 1]
    mishap_tokens = {i for c in cues if c.label_ in MISHAP_FAMILIES for i in range(c.start, c.end)}
    for cue in cues:
        family = cue.label_.partition(":")[0]
        if cue.label_ == "negative:disaster" and _used_as_verb(cue.root):
            continue  # "gunmen storm a town", "protesters flooded the square": the verb is not the weather
        if family == "negative":
            counted.append(cue)
        elif _inside_negative(cue, negatives) or family in EVENT_FAMILIES and (is_negated(cue.root)
                                                                         or is_non_factual(cue.root)):
            continue
        elif family in ("attack", "attack_weak", "type") and _subject_in(cue.root, mishap_tokens):
            continue  # "a gas cylinder blew up": the explosion is the accident's
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


def is_non_factual(token: Token) -> bool:
    """The attack word is planned, threatened, foiled, feared, faked or a simile, not something that happened."""
    if any(child.lower_ in NON_FACTUAL_MODIFIERS for child in token.children if child.dep_ in ("amod", "compound")):
        return True
    current = token
    for _ in range(MAX_NON_FACTUAL_HOPS):
        if current.dep_ not in NON_FACTUAL_LINKS or current.head.i == current.i:
            return False  # a verb joined by "and" or a clause of its own is an event of its own
        if current.dep_ == "prep" and current.lower_ not in CONTENT_PREPOSITIONS:
            return False  # "urged calm after the attack": the attack is when, not what was urged
        current = current.head
        if current.lower_ in NON_FACTUAL_HEADS:
            return True
    return False


def subject_of(verb: Token) -> Token | None:
    """The verb's subject (the agent's object in the passive); a verb joined by "and" shares its first
    conjunct's subject ("troops ran into the militants and shot them dead")."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in ("nsubj", "agent"):
                if child.dep_ == "agent":
                    return next((c for c in child.children if c.dep_ == "pobj"), child)
                return child
        if verb.dep_ != "conj":
            return None
        verb = verb.head
    return None


def _names_own_doer(noun: Token) -> bool:
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "poss") and child.lower_ not in STATE_FORCES:
            if child.lower_ in NON_STATE_DOERS or child.tag_ in ("NNP", "NNPS"):
                return True
        if child.dep_ == "prep" and child.lower_ == "by":
            doer = next((c for c in child.children if c.dep_ == "pobj"), None)
            return doer is not None and doer.lower_ not in STATE_FORCES
    return False


def _used_as_verb(token: Token) -> bool:
    """Tagged as a verb, or a "noun" with a subject and an object ("Armed men storm Mpeketoni" in a headline)."""
    deps = {child.dep_ for child in token.children}
    return token.tag_.startswith("VB") or {"nsubj", "dobj"} <= deps


def _governing_verb(token: Token) -> Token | None:
    """The verb itself, the verb an attack noun hangs from, or the verb of the phrase it sits in ("troops killed
    40 insurgents in airstrikes and ground assaults")."""
    if token.tag_.startswith("VB"):
        return token
    current = token.head
    for _ in range(MAX_VERB_HOPS):
        if current.tag_.startswith("VB") or current.dep_ not in ("prep", "pobj", "conj") or current.head.i == current.i:
            break
        current = current.head
    return current if current.tag_.startswith("VB") else None


def _subject_in(token: Token, tokens: set[int]) -> bool:
    """The verb's subject, or a phrase in apposition to it ("Quito, a gas cylinder blew up"), is among tokens."""
    verb = _governing_verb(token)
    subject = subject_of(verb) if verb is not None else None
    if subject is None:
        return False
    return any(t.i in tokens for t in (subject, *(c for c in subject.children if c.dep_ == "appos")))


def done_by_state_forces(token: Token) -> bool:
    """The attack verb's subject (or the verb governing an attack noun) is police, troops or the army, unless
    the attack noun names its own doer: "the army repelled an attack by militants", "a jihadist assault"."""
    if not token.tag_.startswith("VB") and _names_own_doer(token):
        return False
    verb = _governing_verb(token)
    subject = subject_of(verb) if verb is not None else None
    return subject is not None and subject.lower_ in STATE_FORCES
