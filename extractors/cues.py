"""Which matched cue phrases count: an event word that is negated, a simile, a plan, a threat or part of a
longer negative phrase ("heart attack", "bomb cyclone") says nothing about an attack that happened; one done
by police or troops is state force, and an explosion whose subject is a gas cylinder is an accident."""

from __future__ import annotations

from spacy.tokens import Span, Token

from extractors.languages import words_of
from extractors.syntax import CASE_MARKED, preposition_phrase, prepositional_phrases

EVENT_FAMILIES = frozenset({"attack", "attack_weak", "type", "weapon", "suicide", "terror"})
# The word sets these rules read come from the language's words/detection.toml (negators, non-factual heads
# and modifiers, state forces, ...).
# How far up the parse a non-factual head may govern the attack word: "plotted to carry out a bomb attack".
NON_FACTUAL_LINKS = frozenset({
    "dobj", "pobj", "prep", "xcomp", "compound", "nsubjpass", "amod", "acl", "nmod", "npadvmod", "obl", "obl:mod",
    "obl:arg",
})
MAX_NON_FACTUAL_HOPS = 3
# Links from an attack word that is the clause's subject or object up to the clause's verb: "before they were
# able to launch an attack" climbs attack -> launch -> able -> were. Not through a preposition: in "the toll
# from the bombing may rise" the modal is the toll's.
CLAUSE_LINKS = frozenset({"dobj", "xcomp", "acomp", "nsubj", "nsubjpass", "compound", "amod"})
MAX_CLAUSE_HOPS = 5
MAX_VERB_HOPS = 5
MISHAP_FAMILIES = ("negative:accident", "negative:disaster")
# Links an attack noun climbs to reach its verb: English prepositions, Universal Dependencies' oblique nouns.
VERB_PATH_LINKS = frozenset({"prep", "pobj", "conj", "obl", "obl:mod", "obl:arg"})


def counted_cues(cues: list[Span]) -> list[Span]:
    """The cues that stand, in their original order; an attack word whose doer is police or troops becomes
    a "negative:military" cue ("troops clashed", "police shot dead a suspect"), one whose doer is a crowd a
    "negative:riot" cue ("protesters set fire to a police station")."""
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
        elif family in ("attack", "attack_weak") and _done_by(cue.root, "crowd_doers"):
            counted.append(Span(cue.doc, cue.start, cue.end, label="negative:riot"))
        elif not (family == "type" and (done_by_state_forces(cue.root) or _done_by(cue.root, "crowd_doers"))):
            counted.append(cue)
    return counted


def _inside_negative(cue: Span, negatives: list[Span]) -> bool:
    return any(other.start <= cue.start and cue.end <= other.end and len(other) > len(cue) for other in negatives)


def is_negated(token: Token) -> bool:
    """"no traces of explosives", "there was no element of terrorism", "was not a terror attack"."""
    negators = words_of(token)["negators"]
    holders = [token, token.head]
    phrase = preposition_phrase(token)
    if phrase is not None:
        holders.append(phrase[1])
    return any(child.lower_ in negators or child.dep_ == "neg" for holder in holders for child in holder.children
               if child.i < token.i)


def is_non_factual(token: Token) -> bool:
    """The attack word is planned, threatened, foiled, feared, faked or a simile, not something that happened."""
    words = words_of(token)
    if any(child.lower_ in words["non_factual_modifiers"] for child in token.children
           if child.dep_ in ("amod", "compound")):
        return True
    current = token
    for _ in range(MAX_NON_FACTUAL_HOPS):
        if current.dep_ not in NON_FACTUAL_LINKS or current.head.i == current.i:
            break  # a verb joined by "and" or a clause of its own is an event of its own
        preposition = current if current.dep_ == "prep" else None
        if current.dep_ in CASE_MARKED:
            phrase = preposition_phrase(current)
            preposition = phrase[0] if phrase else None
        if preposition is not None and preposition.lower_ not in words["content_prepositions"]:
            break  # "urged calm after the attack": the attack is when, not what was urged
        current = current.head
        if current.lower_ in words["non_factual_heads"]:
            return not _failed_prevention(current, words)
    return _in_unrealised_clause(token)


def _failed_prevention(head: Token, words) -> bool:
    """"could not prevent the attack", "n'ont pas pu empêcher l'attaque": a prevention that failed means the
    attack happened. The negation sits on the prevention verb or on the verb it completes."""
    if head.lower_ not in words["prevention_words"]:
        return False
    holders = [head, head.head] if head.dep_ == "xcomp" else [head]
    return any(child.lower_ in words["negators"] or child.dep_ == "neg" for holder in holders
               for child in holder.children if child.i < head.i)


def _in_unrealised_clause(token: Token) -> bool:
    """The clause the attack word sits in stops it ("before they could detonate the bomb") or speaks of attacks
    in general ("terrorist attacks frequently happen", "bombings can happen anywhere")."""
    path = [token]
    while path[-1].dep_ in CLAUSE_LINKS and path[-1].head.i != path[-1].i and len(path) <= MAX_CLAUSE_HOPS:
        path.append(path[-1].head)
    words = words_of(token)
    children = [child for word in path for child in word.children]
    clause_words = {t.lower_ for t in path} | {child.lower_ for child in children if child.dep_ == "aux"}
    if any(child.dep_ == "mark" and child.lower_ in words["prevented_markers"] for child in path[-1].children):
        return bool(clause_words & words["ability_words"])
    perfect = any(child.dep_ == "aux" and child.lower_ in words["perfect_auxiliaries"] for child in children)
    return any(child.dep_ == "advmod" and child.lower_ in words["frequency_adverbs"]
               or child.dep_ == "aux" and child.lower_ in words["generic_modals"] and not perfect
               for child in children)


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
    words = words_of(noun)
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "poss") and child.lower_ not in words["state_forces"]:
            if child.lower_ in words["non_state_doers"] or child.tag_ in ("NNP", "NNPS"):
                return True
    for preposition, doer in prepositional_phrases(noun):
        if preposition.lower_ in words["agent_prepositions"]:
            return doer.lower_ not in words["state_forces"]
        if preposition.lower_ in words["doer_prepositions"] and doer.lower_ in words["non_state_doers"]:
            return True  # "l'attaque des jihadistes": "de" names the doer when it names attackers
    return False


def _used_as_verb(token: Token) -> bool:
    """Tagged as a verb, or a "noun" with a subject and an object ("Armed men storm Mpeketoni" in a headline)."""
    deps = {child.dep_ for child in token.children}
    return token.tag_.startswith("VB") or {"nsubj", "dobj"} <= deps


def governing_verb(token: Token) -> Token | None:
    """The verb itself, the verb an attack noun hangs from, or the verb of the phrase it sits in ("troops killed
    40 insurgents in airstrikes and ground assaults")."""
    if token.tag_.startswith("VB"):
        return token
    current = token.head
    for _ in range(MAX_VERB_HOPS):
        if current.tag_.startswith("VB") or current.dep_ not in VERB_PATH_LINKS or current.head.i == current.i:
            break
        current = current.head
    return current if current.tag_.startswith("VB") else None


def _subject_in(token: Token, tokens: set[int]) -> bool:
    """The verb's subject, or a phrase in apposition to it ("Quito, a gas cylinder blew up"), is among tokens."""
    verb = governing_verb(token)
    subject = subject_of(verb) if verb is not None else None
    if subject is None:
        return False
    return any(t.i in tokens for t in (subject, *(c for c in subject.children if c.dep_ == "appos")))


def done_by_state_forces(token: Token) -> bool:
    """The attack verb's subject (or the verb governing an attack noun) is police, troops or the army, unless
    the attack noun names its own doer ("the army repelled an attack by militants", "a jihadist assault") or
    the verb says the forces bore it ("came under attack", "ont essuyé une attaque")."""
    if not token.tag_.startswith("VB") and _names_own_doer(token):
        return False
    words = words_of(token)
    verb = governing_verb(token)
    if verb is None or verb is not token and verb.lower_ in words["undergoing_verbs"]:
        return False  # "les militaires ont essuyé une attaque", "troops came under attack": the attack is theirs to bear
    return _done_by(token, "state_forces")


def _done_by(token: Token, doers: str) -> bool:
    """The subject of the verb governing the word is one of the language's `doers` words."""
    verb = governing_verb(token)
    subject = subject_of(verb) if verb is not None else None
    return subject is not None and subject.lower_ in words_of(token)[doers]
