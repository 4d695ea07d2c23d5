"""Which death or injury word a counted word belongs to: the harm word itself ("16 morts"), its modifier
("the 40 people martyred", "five others, who suffered injuries"), or the first harm word up the parse within
its clause ("were killed", "left five people dead", "the toll rose to 14", "ont perdu la vie"), or the harm
word right before or after a bare number ("12 critically injured", "blessé deux autres personnes"), in the
language's words (words/counts.toml).
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Token

from extractors.languages import words_of
from extractors.numbers import Quantity
from extractors.syntax import has_case_marker, objects_through, preposition_phrase, prepositional_objects

Harm = Literal["killed", "injured"]


def modifier_kind(noun: Token) -> tuple[Harm | None, int]:
    """The counted noun's own death or injury word: "scores of wounded people", "the 40 people martyred",
    "five others, who suffered injuries", "100 others with injuries"."""
    for child in noun.children:
        # Not a clause with its own victim ("les cinq personnes présentes, tué un prêtre").
        if (child.dep_ in ("amod", "acl", "relcl") and casualty_word_kind(child)
                and not any(c.dep_ == "dobj" for c in child.children)):
            return casualty_word_kind(child), child.i
        if child.dep_ in ("acl", "relcl"):
            objects = [c for c in child.children if c.dep_ == "dobj" and casualty_word_kind(c)]
            if objects:
                return casualty_word_kind(objects[0]), objects[0].i
    injuries = [o for o in prepositional_objects(noun, words_of(noun)["with_prepositions"])
                if casualty_word_kind(o) == "injured"]
    if injuries:
        return "injured", injuries[0].i
    return None, noun.i


def casualty_word_kind(token: Token) -> Harm | None:
    lower = token.lower_
    words = words_of(token)
    if lower in words["killed_words"] or _fatally(token):
        return "killed"
    if lower in words["injured_words"]:
        return "injured"
    return None


def _fatally(token: Token) -> bool:
    """"three people were fatally stabbed", "fatally wounded", "shot fatally": the harm killed them. Any
    dependent counts: the French tagger takes "mortellement" for an auxiliary."""
    return token.tag_.startswith("VB") and any(c.lower_ in words_of(token)["fatal_adverbs"] for c in token.children)


def casualty_predicate(anchor: Token, max_hops: int) -> tuple[Harm | None, int]:
    """Walk up from the counted word to the death or injury word of its clause, if any."""
    kind = casualty_word_kind(anchor)
    if kind:
        return kind, anchor.i
    if _preposition_before(anchor) in words_of(anchor)["speech_verbs"]:
        return None, anchor.i  # the source, not a victim: "selon le ministre, 26 personnes ont été tuées"
    kind, predicate = modifier_kind(anchor)
    if kind:
        return kind, predicate
    words = words_of(anchor)
    current = anchor
    for _ in range(max_hops):
        head = current.head
        if head.i == current.i or head.lower_ in words["speech_verbs"]:
            break
        kind = casualty_word_kind(head) or between_life_and_death(head)
        if kind:
            return kind, head.i
        if head.lower_ in words["toll_nouns"]:
            return _toll_kind(head), head.i
        # A toll verb the tagger took for an adjective ("le bilan s'est alourdi à 27") is still a verb here.
        if (head.tag_.startswith("VB") or head.lower_ in words["toll_verbs"]) and head.lower_ not in words["subset_words"]:
            if current.dep_ in ("nsubj", "nsubjpass", "dobj") and _sends_to_hospital(head):
                return "injured", head.i
            return _verb_complement_kind(head)
        current = head
    return None, anchor.i


def between_life_and_death(noun: Token) -> Harm | None:
    """"Un paroissien serait entre la vie et la mort": gravely wounded. Read on the words after "vie", where the
    parser may hang "mort" anywhere."""
    words = words_of(noun)
    following = noun.doc[noun.i + 1:noun.i + 4]
    if (noun.lower_ in words["life_nouns"] and has_case_marker(noun, words["among_prepositions"])
            and any(t.tag_ == "CC" for t in following) and any(t.lower_ in words["death_nouns"] for t in following)):
        return "injured"
    return None


def _preposition_before(noun: Token) -> str:
    """The preposition a noun stands after, as written ("according", "selon", "d'après"), or ""."""
    phrase = preposition_phrase(noun)
    if phrase is None or phrase[0].i > noun.i:
        return ""
    if phrase[0].dep_ == "prep":
        return phrase[0].lower_
    case = phrase[0]  # with its fixed parts: "d'" + "après"
    return noun.doc[case.left_edge.i:case.right_edge.i + 1].text.lower()


def _sends_to_hospital(verb: Token) -> bool:
    """"33 people were admitted at Mulago Hospital", "took 20 people to hospital", "ont dû être transférées vers
    les centres de santé" (the verb the first governs): the wounded."""
    words = words_of(verb)
    hospital = words["hospital_nouns"]
    # A place of care named by its modifier: "centre de santé", "centre hospitalier".
    return any(v.lower_ in words["hospital_verbs"] and any(
        o.lower_ in hospital or any(c.dep_ in ("amod", "nmod", "compound") and c.lower_ in hospital for c in o.children)
        for o in prepositional_objects(v, None))
        for v in (verb, *(c for c in verb.children if c.dep_ == "xcomp")))


def _verb_complement_kind(verb: Token) -> tuple[Harm | None, int]:
    """"left five people dead", "shot dead", "hacked to death", "lost their lives", "the toll rose to 14",
    "left 100 others with injuries"."""
    words = words_of(verb)
    for child in verb.children:
        # A complement with an object of its own is another clause: "retenu cinq personnes, tué un prêtre".
        if (child.dep_ in ("acomp", "oprd", "xcomp", "dobj", "advmod", "ccomp") and casualty_word_kind(child)
                and not any(c.dep_ == "dobj" for c in child.children)):
            return casualty_word_kind(child), verb.i
        if child.dep_ == "dobj" and child.lower_ in words["life_nouns"]:  # "ont perdu la vie", "coûté la vie à"
            return "killed", verb.i
        if any(o.lower_ in words["death_nouns"] for o in objects_through(child, words["to_death_prepositions"])):
            return "killed", verb.i
        if any(casualty_word_kind(o) == "injured" for o in objects_through(child, words["with_prepositions"])):
            return "injured", verb.i
        if (child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ in words["toll_nouns"]
                and verb.lower_ in words["toll_verbs"]):
            return _toll_kind(child), verb.i
    return None, verb.i


def _toll_kind(toll: Token) -> Harm:
    """A toll is the dead unless a word on it says injuries: "the injury toll", "the wounded toll"."""
    modifiers = words_of(toll)["injury_toll_modifiers"]
    injuries = any(child.lower_ in modifiers or casualty_word_kind(child) == "injured" for child in toll.children)
    return "injured" if injuries else "killed"


def quantified_harm(noun: Token) -> tuple[Harm | None, int]:
    """What the counted noun says of its people: "dozens of wounded", "une trentaine de blessés", or its own
    death or injury word ("scores of wounded people")."""
    kind = casualty_word_kind(noun)
    return (kind, noun.i) if kind else modifier_kind(noun)


def harm_right_after(doc: Doc, quantity: Quantity) -> tuple[Harm | None, int]:
    """A bare number followed by its own harm word, adverbs, auxiliaries and "other" allowed between: "left three
    dead and three seriously hurt", "12 critically injured", "17 sont mortes et vingt-quatre ont été blessées",
    "ont été tuées et douze autres blessées" (the harm word a plural noun there). The parse often hangs such a
    number on the first harm word."""
    others = words_of(doc)["other_words"]
    index = quantity.last + 1
    while index < len(doc) and (doc[index].tag_ == "RB" or doc[index].dep_ in ("aux", "auxpass", "cop")
                                or doc[index].lower_ in others):
        index += 1
    if index < len(doc) and doc[index].tag_ in ("VBN", "JJ", "NNS") and casualty_word_kind(doc[index]):
        return casualty_word_kind(doc[index]), index
    return None, doc[quantity.last].i


def harm_right_before(doc: Doc, quantity: Quantity) -> tuple[Harm | None, int]:
    """A harm verb right before the number, adverbs allowed between, is the number's verb: "et grièvement blessé
    deux autres personnes", which the parser may hang on the verb of the clause before."""
    index = quantity.start - 1
    while index >= 0 and doc[index].tag_ == "RB":
        index -= 1
    if index >= 0 and doc[index].tag_ in ("VBN", "VBG", "VBD") and casualty_word_kind(doc[index]):
        return casualty_word_kind(doc[index]), index
    return None, doc[quantity.last].i
