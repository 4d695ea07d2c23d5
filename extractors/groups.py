"""Militant groups named in article text, and what a sentence says about them: claimed or suspected.

Pure string work with character offsets. Names come from data/groups.jsonl (canonical GTD-style names,
aliases and branches); the longest alias wins, so "Tehrik-i-Taliban Pakistan" is not "Taliban" and
"Islamic State West Africa Province" is Islamic State's West Africa branch. Long aliases match the usual
transliteration variants of Urdu and Arabic names ("Tehrik", "Tehreek", "Tehreik"; "-e-" or "-i-").
A claim may sit in a later sentence than the group's name ("The group said in a statement that its fighters
...", "Amaq said ..."): `implied_claimant` resolves it to the group named last before it.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

GROUPS_FILE = Path(__file__).parent / "data" / "groups.jsonl"
Role = Literal["claimed", "suspected"]
# Aliases this short ("IS", "TTP", "LeJ", "Hamas") match only as written; longer ones in any case.
CASE_SENSITIVE_MAX_LETTERS = 5
SEPARATORS = re.compile(r"[\s\-–'’]+")
# Transliteration variants: "-e-" and "-i-" join words ("Tehrik-e-Taliban", "Lashkar-i-Jhangvi"); "ee", "ei"
# and "i" spell one vowel ("Tehreek", "Tehreik", "Tehrik").
CONNECTOR = re.compile(r"(?<=\w)[\s\-–]+[eiEI][\s\-–]+(?=\w)")
LONG_I = re.compile(r"ee|ei|i", re.IGNORECASE)
CAPITAL_WORD = re.compile(r"[A-Z]{2,}\b")
WORD = re.compile(r"[^\W\d_]+")

# What may stand between a group's name and its verb: "'s armed wing", "(ISIS)", an appositive
# (", a Pakistani extremist group that ...,"), ", which", "'s regional command in Samar", auxiliaries and adverbs.
HEAD_NOUN = (r"(?:group|militants?|fighters?|insurgents?|rebels?|members?|gunmen|jihadists?|operatives|extremists?"
             r"|militia|faction|movement|organi[sz]ation|network|affiliate|wing|command|branch|arm|cell|unit|leadership)")
HEAD_PHRASE = (
    rf"(?:(?:(?!splinter|breakaway|rival|former)[\w-]+\s+){{0,2}}{HEAD_NOUN}"
    r"(?:\s+(?:in|of|from|for)\s+(?:[A-Z][\w'’-]*\s*){1,3})?\s*)?"
)
AFTER_NAME = (
    rf"^(?:['’]s?)?\s*{HEAD_PHRASE}(?:\([^)]{{0,40}}\)\s*)?(?:(?:,[^,;]{{1,200}}){{1,2}},\s*|,\s*(?:which|who|that)\s+)?"
    rf"{HEAD_PHRASE}"
    r"(?:(?:has|have|had|did|does|do|is|was|were|are|been|also|quickly|later|swiftly|reportedly|purportedly|allegedly"
    r"|not|never|yet|to|n't|may|might|could|be|being|widely|likely|probably|possibly)\s+)*"
)
DEED = (r"(?:carried out|attacked|stormed|killed|targeted|struck|hit|launched|detonated|blew|raided|ambushed|seized"
        r"|destroyed|bombed|shot|executed|beheaded|captured|abducted|kidnapped|took|were responsible|was responsible)")
# "said it carried out", "said its fighters stormed": the group speaking of its own deed.
SAID_IT_DID = (r"said\b[^.;]{0,80}?\b(?:(?:it|they)\b[^.;]{0,40}\b(?:carried out|was behind|were behind|responsible"
               r"|attacked|killed|targeted|went after)|(?:its|their)\s+(?:own\s+)?(?:fighters|militants|members"
               r"|operatives|bombers?|attackers?|soldiers|mujahideen)\s+(?:had\s+|have\s+)?" + DEED + ")")
CLAIM_AFTER = re.compile(
    AFTER_NAME + r"(?:claimed|claims|claim|took responsibility|takes responsibility|accepted responsibility"
    r"|admitted responsibility|owned up|" + SAID_IT_DID + r")\b",
    re.IGNORECASE,
)
DENIAL_AFTER = re.compile(
    AFTER_NAME + r"(?:denied|denies|deny|rejected|rejects|distanced|disowned|condemned|condemns)\b", re.IGNORECASE
)
SUSPECT_AFTER = re.compile(
    AFTER_NAME + r"(?:responsible|behind|blamed|suspected|believed|thought|accused|linked|likely|probably)\b",
    re.IGNORECASE,
)
# "X carried out the attack" counts as a suspicion only when officials are the ones saying it.
DEED_AFTER = re.compile(AFTER_NAME + r"(?:carried out|staged|orchestrated|masterminded|was behind|were behind)\b",
                        re.IGNORECASE)
AUTHORITIES = (r"(?:officials?|police|authorities|minister|spokes(?:man|woman|person)|army|military|investigators"
               r"|intelligence|governor|commander)")
OFFICIALS_SAY = re.compile(
    rf"\b{AUTHORITIES}\b[^.;]{{0,40}}\b(?:said|say|says|believe|believes|suspect|told)\b"
    rf"|\b(?:said|says|told)\b[^.;]{{0,40}}\b{AUTHORITIES}\b",
    re.IGNORECASE,
)
# Words that may describe a group between "claimed by" and its name: "claimed by militant group Daesh",
# "claimed by the Somalia-based armed group al-Shabaab", "a claim from a group calling itself ...".
DESCRIPTOR = (r"(?:(?!(?:as|to|that|who|which|officials?|police|authorities|government)\b)[a-z][\w'’-]*"
              r"|[A-Z][\w'’]*-(?:based|linked|affiliated|allied|aligned|backed)"
              r"|[A-Z][a-z]+(?:i|an|ese|ish))")  # a demonym: "the Somali extremist group"
CLAIM_BEFORE = re.compile(
    r"(?i:\b(?:claimed|claim(?:s|ed)? of responsibility|responsibility\s+(?:was|has been)\s+claimed"
    rf"|statement claiming responsibility|a claim)\s+(?:by|from)\s+(?:the\s+)?)(?:{DESCRIPTOR}\s+){{0,5}}$",
)
# The group as the source of the account: "According to Islamic State's Yemen branch, dozens were killed".
SOURCE_BEFORE = re.compile(r"\baccording to\s+(?:a\s+statement\s+(?:by|from)\s+)?(?:the\s+)?$", re.IGNORECASE)
OWN_TOLL = re.compile(r"^[^,;]{0,60},[^;]*\b(?:killed|wounded|dead|died)\b(?![^;]*\b(?:by|blamed|behind)\b)",
                      re.IGNORECASE)
STATEMENT_BEFORE = re.compile(r"\bstatement\s+(?:\w+\s+){0,2}(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
CLAIM_WORD = re.compile(r"\b(?:claim\w*|responsibility)\b", re.IGNORECASE)
# A cue before the name, separated only by words that keep the sentence about the attack: "blamed the attack
# on", "bore the hallmarks of", "believed the assault had been carried out by fighters of".
GAP_WORD = (r"(?:the|a|an|this|that|it|its|to|of|on|by|be|been|being|was|were|is|had|have|has|carried|out|work"
            r"|attack|attacks|assault|bombing|blast|killing|killings|raid|ambush|massacre|fighters?|militants?"
            r"|members?|gunmen|cell|group|local|either|both|loyal|outlawed|banned|militant|armed|insurgent|rebel"
            r"|extremist|terrorist|separatist|jihadist|islamist|radical)")


def _cue_before(cues: str, max_gap_words: int) -> re.Pattern:
    """A cue ending the text before a name, with at most `max_gap_words` GAP_WORDs after it."""
    return re.compile(rf"\b(?:{cues})\b(?:\s+{GAP_WORD}){{0,{max_gap_words}}}\s+$", re.IGNORECASE)


SUSPECT_BEFORE = _cue_before(
    r"blam\w*|suspect\w*|believ\w*|accus\w*|hallmarks?|attribut\w*|pointed the finger|pointed to|points to"
    r"|pointing to|suspicion|(?:handi)?work of|hand of", 10)
# Attackers said to belong to a group: a suspicion when officials say it ("police said the gunmen belonged to").
MEMBERSHIP_BEFORE = _cue_before(
    r"belong\w* to|members? of|supporters? of|loyal to|inspired by|affiliated with|carried out by|staged by"
    r"|perpetrated by", 6)
DENIAL_WORDS = re.compile(r"\b(?:denied|denies|deny|rejected|disowned|condemned|condemns)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(?:not|never|no|yet to|denied|ruled out|unclear|whether)\b|n't\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|while|although|though|whereas)\b", re.IGNORECASE)
BRANCH_OF = re.compile(r"(?:\s+group)?['’]s?\s+(?:so-called\s+|local\s+)?")  # "Islamic State's Sahel Province"
AMAQ = re.compile(r"\bA{1,2}maq\b")
# A claim whose subject stands for a group named earlier: "The group said in a statement that its fighters
# carried out the raid", "It claimed responsibility", "the militants later claimed the attack".
ANAPHOR = (r"(?:(?:the|this|that)\s+(?:[\w-]+\s+){0,2}(?:group|organi[sz]ation|outfit|movement|network|faction"
           r"|militants|insurgents|jihadists|extremists)|it|they)")
ANAPHORIC_CLAIM = re.compile(
    rf"(?:^[\s\"'“‘]*|[,;:]\s*|\b(?:and|but|while)\s+){ANAPHOR}\s+"
    r"(?:(?:has|have|had|also|later|quickly|swiftly|reportedly|purportedly|soon|then)\s+)*"
    r"(?:claimed(?!\s+(?:the\s+)?(?:lives|life|\d|at\s+least|more\s+than|dozens|hundreds|thousands|scores|victims))"
    r"|took responsibility|accepted responsibility|admitted responsibility|owned up|" + SAID_IT_DID + r")\b",
    re.IGNORECASE,
)
# What a claim through Islamic State's news agency says: "Amaq said its fighters ...", "a claim on Amaq".
AGENCY_CLAIM = re.compile(r"\b(?:claim\w*|responsibility|carried out|its fighters|fighters of|soldiers? of)\b",
                          re.IGNORECASE)
ISLAMIC_STATE = "Islamic State"


@dataclass(frozen=True)
class GroupMention:
    name: str
    branch: str | None
    start: int
    end: int
    text: str


def _alias_key(alias: str) -> str:
    """One key for every spelling of a name: no separators, case folded, transliteration variants folded."""
    folded = CONNECTOR.sub("-i-", alias.casefold())
    return LONG_I.sub("i", SEPARATORS.sub("", folded))


def _alias_pattern(alias: str, loose: bool) -> str:
    """'al-Shabaab' also matches 'al Shabaab'; "Jama'at" also 'Jamaat' and 'Jama’at'; a loose (long) alias
    transliterated with "-e-" or "-i-" between words also takes either, and "ee", "ei" or "i" for one another
    ("Tehreik-e-Taliban" for "Tehrik-i-Taliban")."""
    loose = loose and CONNECTOR.search(alias) is not None  # only transliterated names with "-e-"/"-i-" vary
    parts = []
    position = 0
    while position < len(alias):
        connector = CONNECTOR.match(alias, position) if loose else None
        long_i = LONG_I.match(alias, position) if loose else None
        char = alias[position]
        if connector:
            parts.append(r"[\s\-–]+[ei][\s\-–]+")
            position = connector.end()
            continue
        if long_i:
            parts.append("(?:ee|ei|i)")
            position = long_i.end()
            continue
        if char in "'’":
            parts.append("['’]?")
        elif char in " -–":
            parts.append(r"[\s\-–]+")
        else:
            parts.append(re.escape(char))
        position += 1
    return "".join(parts)


def _first_words(alias: str) -> set[str]:
    """The word an alias starts with, as a text's words are cut: "Jama'at" starts 'Jama' or 'Jamaat'."""
    return {WORD.match(spelling).group() for spelling in (alias, alias.replace("'", "").replace("’", ""))}


def _vowel_spellings(word: str) -> set[str]:
    """Every spelling of a word with "ee", "ei" and "i" taken for one another: "tehrik" -> "tehreek", "tehreik"."""
    pieces = LONG_I.split(word)
    return {"".join(p for pair in zip(pieces, (*choice, "")) for p in pair)
            for choice in itertools.product(("i", "ee", "ei"), repeat=len(pieces) - 1)}


def _alternation(aliases: list[str], loose: bool) -> str:
    ordered = sorted(aliases, key=len, reverse=True)  # the regex takes the first alternative: longest first
    return r"(?<![\w\-])(?:" + "|".join(_alias_pattern(a, loose) for a in ordered) + r")(?!\w)"


class _GroupTable:
    def __init__(self, path: Path):
        self.by_key: dict[str, tuple[str, str | None]] = {}
        exact, loose = [], []
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                named = [(a, None) for a in [record["name"], *record["aliases"]]]
                named += [(a, branch) for branch, aliases in record["branches"].items() for a in aliases]
            except (ValueError, KeyError, AttributeError) as error:
                raise ValueError(
                    f"{path}:{line_number}: expected a JSON object with name, aliases and branches: {error}"
                ) from error
            for alias, branch in named:
                known = self.by_key.setdefault(_alias_key(alias), (record["name"], branch))
                if known != (record["name"], branch):
                    raise ValueError(f"{path}:{line_number}: alias {alias!r} of {record['name']} already names "
                                     f"{known[0]} (branch {known[1]}); keep each alias in one place")
                short = len(SEPARATORS.sub("", alias)) <= CASE_SENSITIVE_MAX_LETTERS
                (exact if short else loose).append(alias)
        self.exact = re.compile(_alternation(exact, loose=False))
        self.loose = re.compile(_alternation(loose, loose=True), re.IGNORECASE)
        # A long alternation tried at every position is slow; try it only where an alias's first word starts.
        self.exact_first_words = {w for a in exact for w in _first_words(a)}
        self.loose_first_words = {spelling for a in loose for w in _first_words(a) for spelling in (
            _vowel_spellings(w.casefold()) if CONNECTOR.search(a) else {w.casefold()})}


@cache
def _table() -> _GroupTable:
    return _GroupTable(GROUPS_FILE)


def find_groups(text: str) -> list[GroupMention]:
    """Every group named in the text, in order; overlapping matches keep the longest."""
    table = _table()
    found = []
    for word in WORD.finditer(text):
        if word.group() in table.exact_first_words:
            match = table.exact.match(text, word.start())
            if match and not _in_capitals(text, match.start(), match.end()):
                found.append(match)
        if word.group().casefold() in table.loose_first_words:
            match = table.loose.match(text, word.start())
            if match and any(ch.isupper() for ch in match.group()):
                found.append(match)
    kept: list[re.Match] = []
    for match in sorted(found, key=lambda m: (m.start() - m.end(), m.start())):
        if all(match.end() <= k.start() or match.start() >= k.end() for k in kept):
            kept.append(match)
    mentions: list[GroupMention] = []
    for match in sorted(kept, key=lambda m: m.start()):
        name, branch = table.by_key[_alias_key(match.group())]
        previous = mentions[-1] if mentions else None
        if (previous and branch and previous.name == name and not previous.branch
                and BRANCH_OF.fullmatch(text, previous.end, match.start())):
            mentions[-1] = GroupMention(name, branch, previous.start, match.end(), text[previous.start:match.end()])
        else:
            mentions.append(GroupMention(name, branch, match.start(), match.end(), match.group()))
    return mentions


def _in_capitals(text: str, start: int, end: int) -> bool:
    """An all-capital alias inside capitalised words ('WHAT IS IT', 'ISIS CLAIMS ATTACK') is shouting, not a name."""
    if not text[start:end].replace("-", "").isupper():
        return False
    before = text[max(0, start - 20):start].split()
    after = text[end:end + 20].split()
    neighbours = [before[-1] if before else "", after[0] if after else ""]
    return any(CAPITAL_WORD.match(word.strip("\"'“”(),.:;")) for word in neighbours)


def classify_role(sentence: str, mention: GroupMention, sentence_start: int = 0) -> Role | None:
    """What the sentence says about the group: it claimed the attack, others suspect it, or nothing
    (background, a denial, or a negated claim or suspicion). `mention` offsets are in the article;
    `sentence_start` is where the sentence begins there."""
    start, end = mention.start - sentence_start, mention.end - sentence_start
    if not (0 <= start < end <= len(sentence)) or sentence[start:end] != mention.text:
        raise ValueError(f"mention {mention.text!r} at {mention.start} is not in the sentence starting at "
                         f"{sentence_start}; pass the sentence's own start offset")
    before, after = sentence[:start], sentence[end:]
    clause_before = CLAUSE_BREAK.split(before)[-1]
    if DENIAL_AFTER.match(after):
        return None
    claim = CLAIM_AFTER.match(after)
    if claim:
        return None if NEGATION.search(claim.group()) else "claimed"
    if CLAIM_BEFORE.search(before) or (STATEMENT_BEFORE.search(before) and CLAIM_WORD.search(sentence)):
        return None if NEGATION.search(clause_before) else "claimed"
    if SOURCE_BEFORE.search(before) and OWN_TOLL.search(after) and not NEGATION.search(after):
        return "claimed"  # the group's own account of the attack's toll is its claim
    if mention.name == ISLAMIC_STATE and AMAQ.search(sentence):
        return "claimed"  # Amaq is the Islamic State's news agency: what it publishes is the group's claim
    suspicion = SUSPECT_AFTER.match(after) or (DEED_AFTER.match(after) if OFFICIALS_SAY.search(sentence) else None)
    if suspicion:
        return None if NEGATION.search(suspicion.group()) or NEGATION.search(clause_before) else "suspected"
    cue = SUSPECT_BEFORE.search(before)
    membership = MEMBERSHIP_BEFORE.search(before)
    if not cue and membership and OFFICIALS_SAY.search(before, 0, membership.start()):
        cue = membership  # reported speech: "police said the gunmen belonged to ..."
    if cue:
        clause = CLAUSE_BREAK.split(before[:cue.start()])[-1] + cue.group()
        return None if NEGATION.search(clause) else "suspected"
    return None


def implied_claimant(sentence: str, earlier: list[GroupMention], sentence_start: int = 0) -> GroupMention | None:
    """The group a sentence that names none says claimed the attack: Islamic State when the claim comes
    through Amaq, else the group named last before the sentence when its subject stands for a group
    ("The group said in a statement that its fighters ...")."""
    if NEGATION.search(sentence) or DENIAL_WORDS.search(sentence):
        return None
    agency = AMAQ.search(sentence)
    if agency and AGENCY_CLAIM.search(sentence):
        return GroupMention(ISLAMIC_STATE, None, sentence_start + agency.start(), sentence_start + agency.end(),
                            agency.group())
    if earlier and ANAPHORIC_CLAIM.search(sentence):
        return earlier[-1]
    return None
