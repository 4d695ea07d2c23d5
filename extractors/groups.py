"""Militant groups named in article text, and what a sentence says about them: claimed or suspected.

Pure string work with character offsets. Names come from data/groups.jsonl (canonical GTD-style names,
aliases and branches); the longest alias wins, so "Tehrik-i-Taliban Pakistan" is not "Taliban" and
"Islamic State West Africa Province" is Islamic State's West Africa branch. Long aliases match the usual
transliteration variants of Urdu and Arabic names ("Tehrik", "Tehreek", "Tehreik"; "-e-" or "-i-").
A claim may sit in a later sentence than the group's name ("The group said in a statement that its fighters
...", "Amaq said ..."): `implied_claimant` resolves it to the group named last before it. The words of claims
and suspicions come from each language's words/claims.toml; the shapes of the rules are written once here.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from extractors.languages import resources

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

BRANCH_OF = re.compile(r"(?:\s+group)?['’]s?\s+(?:so-called\s+|local\s+)?")  # "Islamic State's Sahel Province"
AMAQ = re.compile(r"\bA{1,2}maq\b")
ISLAMIC_STATE = "Islamic State"



@dataclass(frozen=True)
class ClaimRules:
    """The expressions that read a claim or a suspicion around a group's name, built from one language's
    words/claims.toml fragments (see there for what each says)."""

    claim_after: re.Pattern
    denial_after: re.Pattern
    suspect_after: re.Pattern
    deed_after: re.Pattern
    officials_say: re.Pattern
    claim_before: re.Pattern
    source_before: re.Pattern
    own_toll: re.Pattern
    statement_before: re.Pattern
    claim_word: re.Pattern
    suspect_before: re.Pattern
    membership_before: re.Pattern
    attackers_before: re.Pattern
    denial_words: re.Pattern
    negation: re.Pattern
    clause_break: re.Pattern
    anaphoric_claim: re.Pattern
    agency_claim: re.Pattern


def _cue_before(cues: str, gap_word: str, elided: str, max_gap_words: int) -> re.Pattern:
    """A cue ending the text before a name, with at most `max_gap_words` gap words after it (and perhaps an
    article glued to the name)."""
    return re.compile(rf"\b(?:{cues})\b(?:\s+{elided}?{gap_word}){{0,{max_gap_words}}}\s+{elided}?$", re.IGNORECASE)


@cache
def claim_rules(language: str) -> ClaimRules:
    f = {name: f"(?:{alternatives})" for name, alternatives in resources(language).fragments.items()}
    head_phrase = (rf"(?:(?:(?!{f['head_exclusions']})[\w-]+\s+){{0,2}}{f['head_nouns']}"
                   rf"(?:\s+{f['head_prepositions']}\s+(?:[A-Z][\w'’-]*\s*){{1,3}})?\s*)?")
    after_name = (rf"^(?:['’]s?)?\s*{head_phrase}(?:\([^)]{{0,40}}\)\s*)?"
                  rf"(?:(?:,[^,;]{{1,200}}){{1,2}},\s*|,\s*{f['relative_pronouns']}\s+)?{head_phrase}"
                  rf"(?:{f['auxiliaries']}\s+)*")
    authorities = f["authorities"]
    descriptor = rf"(?:(?!{f['descriptor_stops']}\b)[a-z][\w'’-]*|{f['descriptor_proper']})"
    return ClaimRules(
        claim_after=re.compile(after_name + rf"{f['claim_verbs']}\b", re.IGNORECASE),
        denial_after=re.compile(after_name + rf"{f['denial_verbs']}\b", re.IGNORECASE),
        suspect_after=re.compile(after_name + rf"{f['suspect_after']}\b", re.IGNORECASE),
        deed_after=re.compile(after_name + rf"{f['deed_by_officials']}\b", re.IGNORECASE),
        officials_say=re.compile(rf"\b{authorities}\b[^.;]{{0,40}}\b{f['officials_verbs']}\b"
                                 rf"|\b{f['reporting_verbs']}\b[^.;]{{0,40}}\b{authorities}\b", re.IGNORECASE),
        claim_before=re.compile(rf"(?i:\b{f['claim_before']}\s+(?:{f['claim_before_asides']}\s+)*"
                                rf"{f['claim_before_links']}{f['articles']}?)"
                                rf"(?:{descriptor}\s+){{0,5}}$"),
        source_before=re.compile(rf"\b{f['source_before']}$", re.IGNORECASE),
        own_toll=re.compile(rf"^[^,;]{{0,60}},[^;]*\b{f['toll_words']}\b(?![^;]*\b{f['blame_words']}\b)",
                            re.IGNORECASE),
        statement_before=re.compile(rf"\b{f['statement_before']}$", re.IGNORECASE),
        claim_word=re.compile(rf"\b{f['claim_words']}\b", re.IGNORECASE),
        suspect_before=_cue_before(f["suspect_before"], f["gap_words"], f["elided_articles"], 10),
        membership_before=_cue_before(f["membership_before"], f["gap_words"], f["elided_articles"], 6),
        attackers_before=_cue_before(f["attackers_of"], f["gap_words"], f["elided_articles"], 3),
        denial_words=re.compile(rf"\b{f['denial_words']}\b", re.IGNORECASE),
        negation=re.compile(rf"\b{f['negation']}\b|{f['negation_endings']}\b", re.IGNORECASE),
        clause_break=re.compile(rf"[,;:]|\b{f['clause_breaks']}\b", re.IGNORECASE),
        anaphoric_claim=re.compile(
            rf"(?:^[\s\"'“‘]*|[,;:]\s*|\b{f['anaphor_joins']}\s+){f['anaphors']}\s+(?:{f['anaphor_adverbs']}\s+)*"
            rf"{f['anaphor_claims']}\b", re.IGNORECASE),
        agency_claim=re.compile(rf"\b{f['agency_claim']}\b", re.IGNORECASE),
    )


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


def classify_role(sentence: str, mention: GroupMention, sentence_start: int = 0, language: str = "en") -> Role | None:
    """What the sentence says about the group: it claimed the attack, others suspect it, or nothing
    (background, a denial, or a negated claim or suspicion). `mention` offsets are in the article;
    `sentence_start` is where the sentence begins there."""
    start, end = mention.start - sentence_start, mention.end - sentence_start
    if not (0 <= start < end <= len(sentence)) or sentence[start:end] != mention.text:
        raise ValueError(f"mention {mention.text!r} at {mention.start} is not in the sentence starting at "
                         f"{sentence_start}; pass the sentence's own start offset")
    rules = claim_rules(language)
    before, after = sentence[:start], sentence[end:]
    clause_before = rules.clause_break.split(before)[-1]
    if rules.denial_after.match(after):
        return None
    claim = rules.claim_after.match(after)
    if claim:
        return None if rules.negation.search(claim.group()) else "claimed"
    if rules.claim_before.search(before) or (rules.statement_before.search(before) and rules.claim_word.search(sentence)):
        return None if rules.negation.search(clause_before) else "claimed"
    if rules.source_before.search(before) and rules.own_toll.search(after) and not rules.negation.search(after):
        return "claimed"  # the group's own account of the attack's toll is its claim
    if mention.name == ISLAMIC_STATE and AMAQ.search(sentence):
        return "claimed"  # Amaq is the Islamic State's news agency: what it publishes is the group's claim
    suspicion = rules.suspect_after.match(after) or (rules.deed_after.match(after) if rules.officials_say.search(sentence) else None)
    if suspicion:
        return None if rules.negation.search(suspicion.group()) or rules.negation.search(clause_before) else "suspected"
    cue = rules.suspect_before.search(before) or rules.attackers_before.search(before)
    membership = rules.membership_before.search(before)
    if not cue and membership and rules.officials_say.search(before, 0, membership.start()):
        cue = membership  # reported speech: "police said the gunmen belonged to ..."
    if cue:
        clause = rules.clause_break.split(before[:cue.start()])[-1] + cue.group()
        return None if rules.negation.search(clause) else "suspected"
    return None


def implied_claimant(sentence: str, earlier: list[GroupMention], sentence_start: int = 0,
                     language: str = "en") -> GroupMention | None:
    """The group a sentence that names none says claimed the attack: Islamic State when the claim comes
    through Amaq, else the group named last before the sentence when its subject stands for a group
    ("The group said in a statement that its fighters ...")."""
    rules = claim_rules(language)
    if rules.negation.search(sentence) or rules.denial_words.search(sentence):
        return None
    agency = AMAQ.search(sentence)
    if agency and rules.agency_claim.search(sentence):
        return GroupMention(ISLAMIC_STATE, None, sentence_start + agency.start(), sentence_start + agency.end(),
                            agency.group())
    if earlier and rules.anaphoric_claim.search(sentence):
        return earlier[-1]
    return None
