"""What kind of attack, on whom, with what: GTD attack types, suicide flag, weapons and target from cue spans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from extractors.languages import words_of
from extractors.schema import AttackType, Target, TargetType, Weapon
from extractors.syntax import preposition_phrase

NOUN_PHRASE_MODIFIERS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "case"})
PROMINENT_TARGETS = frozenset({"government", "journalists", "diplomatic"})


@dataclass
class AttackProfile:
    attack_types: list[AttackType] = field(default_factory=list)
    suicide: bool = False
    weapons: list[Weapon] = field(default_factory=list)
    target: Target = field(default_factory=Target)
    evidence: list[tuple[str, Span]] = field(default_factory=list)


def profile_attack(sentences: list[Span], cues: list[Span], attack_cue_tokens: frozenset[int],
                   victim_tokens: frozenset[int], killed: int | None) -> AttackProfile:
    """Attack types, suicide, weapons and target of one incident from the cues in its sentences."""
    in_scope = [c for c in cues if any(s.start <= c.start < s.end for s in sentences)]
    explosive_sentences = {i for i, s in enumerate(sentences) for c in in_scope
                           if c.label_ == "weapon:explosives" and s.start <= c.start < s.end}
    longer = [c for c in in_scope if len(c) > 1 and c.label_.startswith(("type:", "weapon:"))]
    profile = AttackProfile()
    types: dict[str, Span] = {}
    weapons: dict[str, Span] = {}
    for cue in in_scope:
        family, _, value = cue.label_.partition(":")
        if _is_vehicle_bomb(cue, sentences, explosive_sentences) or _inside_longer(cue, longer, family):
            continue
        if family == "type":
            types.setdefault(value, cue)
        elif family == "weapon":
            weapons.setdefault(value, cue)
        elif family == "suicide" and not profile.suicide:
            profile.suicide = True
            profile.evidence.append(("suicide", cue))
    target_cues = [c for c in in_scope if c.label_.startswith("target:")]
    target = choose_target(target_cues, attack_cue_tokens, victim_tokens)
    if target is not None:
        target_type, phrase = target
        profile.target = Target(type=target_type, text=phrase.text, language=phrase.doc.lang_)
        profile.evidence.append(("target", phrase))
    armed = any(c.label_ == "attacker" for c in in_scope) or "firearms" in weapons or "melee" in weapons
    profile.attack_types = gtd_types(set(types), profile.target.type, killed, armed)
    profile.weapons = sorted(weapons)  # type: ignore[assignment]
    profile.evidence += [("attack_types", cue) for value, cue in types.items() if value in profile.attack_types]
    profile.evidence += [("weapons", cue) for cue in weapons.values()]
    return profile


def gtd_types(found: set[str], target_type: str, killed: int | None, armed: bool) -> list[AttackType]:
    """GTD's hierarchy: an assassination or a kidnapping done with guns is not also an armed assault; killing
    one to three officials or journalists is an assassination; an attack by gunmen with no other type than
    arson is an armed assault."""
    types = set(found)
    if types & {"armed_assault", "bombing"} and target_type in PROMINENT_TARGETS and killed is not None \
            and 1 <= killed <= 3:
        types.add("assassination")
    if types & {"assassination", "kidnapping"}:
        types.discard("armed_assault")
    if armed and types <= {"facility_attack"}:
        types.add("armed_assault")  # "gunmen killed nine and burned thirty shelters": an armed assault too
    return sorted(types)  # type: ignore[return-value]


def _inside_longer(cue: Span, longer: list[Span], family: str) -> bool:
    """"rocket-propelled grenades" is an armed assault weapon, so its "grenades" does not also say bombing."""
    return family in ("type", "weapon") and any(
        other.label_.startswith(family + ":") and other.label_ != cue.label_ and other.start <= cue.start
        and cue.end <= other.end and len(other) > len(cue) for other in longer)


def _is_vehicle_bomb(cue: Span, sentences: list[Span], explosive_sentences: set[int]) -> bool:
    """A vehicle "rammed" into something by a bomber is a vehicle-borne bomb, not a ramming attack."""
    if cue.label_ not in ("type:unarmed_assault", "weapon:vehicle"):
        return False
    return any(s.start <= cue.start < s.end for i, s in enumerate(sentences) if i in explosive_sentences)


def choose_target(target_cues: list[Span], attack_cue_tokens: frozenset[int],
                  victim_tokens: frozenset[int]) -> tuple[TargetType, Span] | None:
    """The type of the first attacked or victim noun, named by the most specific phrase that has that type."""
    if not target_cues:
        return None
    phrases = {(c.start, c.end): noun_phrase(c) for c in target_cues}
    linked = [c for c in target_cues if _is_attacked(c, phrases[c.start, c.end], attack_cue_tokens, victim_tokens)]
    chosen = _most_specific(linked[0] if linked else _first_majority(target_cues), target_cues)
    target_type = chosen.label_.split(":", 1)[1]
    same_type = [c for c in (linked or target_cues) if c.label_ == chosen.label_]
    named = [phrases[c.start, c.end] for c in same_type if _is_proper(phrases[c.start, c.end])]
    return target_type, (named[0] if named else phrases[chosen.start, chosen.end])  # type: ignore[return-value]


def _first_majority(cues: list[Span]) -> Span:
    counts = Counter(c.label_ for c in cues)
    best = max(counts.values())
    return next(c for c in cues if counts[c.label_] == best)


def _most_specific(cue: Span, cues: list[Span]) -> Span:
    """Of the cues inside the same noun phrase ("police training college"), the longest one names the type."""
    phrase = noun_phrase(cue)
    inside = [c for c in cues if phrase.start <= c.start and c.end <= phrase.end]
    return max(inside, key=lambda c: (len(c), -c.start)) if inside else cue


def _is_attacked(cue: Span, phrase: Span, attack_cue_tokens: frozenset[int], victim_tokens: frozenset[int]) -> bool:
    head = phrase.root
    if head.i in victim_tokens or cue.root.i in victim_tokens:
        return True
    if head.dep_ in ("dobj", "nsubjpass") and head.head.i in attack_cue_tokens:
        return True
    attached = preposition_phrase(head)  # "attack on X", "attaque contre X"
    if attached is not None and attached[0].lower_ in words_of(head)["target_prepositions"]:
        return attached[1].i in attack_cue_tokens
    return False


def noun_phrase(cue: Span) -> Span:
    """The noun phrase a cue word belongs to, without its determiner: "a police training camp" -> "police training camp"."""
    head: Token = cue.root
    while head.dep_ in ("compound", "amod", "nmod") and head.head.i > head.i:
        head = head.head
    start = head.i
    while start > head.left_edge.i and head.doc[start - 1].dep_ in NOUN_PHRASE_MODIFIERS \
            and head.doc[start - 1].head.i >= start - 1 and head.doc[start - 1].head.i <= head.i:
        start -= 1
    while start < head.i and head.doc[start].dep_ in ("det", "poss", "case"):
        start += 1
    return head.doc[start:head.i + 1]


def _is_proper(phrase: Span) -> bool:
    return len(phrase) > 1 and all(t.tag_ in ("NNP", "NNPS") for t in phrase)
