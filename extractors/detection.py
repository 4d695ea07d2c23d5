"""Is this article a report of a specific violent attack? A cheap text prefilter, a language check, and the decision.

The prefilter runs on raw text before spaCy, so most articles (sports, markets, politics) never reach the
parser. The decision runs on the cues of the main story and rejects the usual look-alikes: disasters and
accidents, battles between armies and security operations against militants, riots, ordinary crime, trials and
anniversaries, foiled plots, hoaxes and threats, counter-terrorism policy and drills, fiction, and sport or
market metaphors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from extractors.cues import governing_verb, subject_of
from extractors.languages import WordSets, resources, words_of
from extractors.syntax import preposition_phrase

PREFILTER_PATTERNS = ("prefilter_attack", "prefilter_ambiguous", "prefilter_harm", "prefilter_sport_or_business")
SENTENCE_END = re.compile(r"[.!?\n]")
LANGUAGE_SAMPLE_CHARS = 4000
MIN_STOPWORD_RATIO = 0.2
WORD = re.compile(r"[^\W\d_]+")
# Signals that the violence comes from a non-state attacker, not an army, an accident or a robber.
NON_STATE_LABELS = frozenset({"terror", "suicide"})
# Leads about something that did not happen (yet): the rule names the look-alike it rejects.
UNREALISED_LEADS = {
    "negative:plot": "a foiled plot or arrests, with no attack carried out",
    "negative:hoax": "a hoax, a scare or a threat, with nothing set off",
    "negative:policy": "counter-terrorism policy, law or drills, with no attack",
}
MIN_FICTION_CUES = 2
# How the thing acted on hangs from its verb: an object, a passive subject, or (Universal Dependencies) a noun
# the verb governs through a preposition or a partitive the parser takes for one ("neutralisé des dizaines").
OBJECT_LINKS = frozenset({"dobj", "nsubjpass", "obl", "obl:mod", "obl:arg", "pobj"})


def passes_prefilter(title: str | None, text: str, language: str = "en") -> bool:
    """Cheap recall-oriented screen: an attack word, or an ambiguous one in a sentence about people harmed (the
    language's `prefilter_*` patterns)."""
    attack, ambiguous, harm, sport_or_business = _prefilter_patterns(language)
    whole = (f"{title}\n{text}" if title else text).lower()
    if attack.search(whole):
        return True
    for match in ambiguous.finditer(whole):
        sentence = _sentence_around(whole, match.start(), match.end())
        if harm.search(sentence) and not sport_or_business.search(sentence):
            return True
    return False


@cache
def _prefilter_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """The language's prefilter patterns, compiled to match lowercased text: without IGNORECASE, Python's re
    skips ahead on literal prefixes and screens an article about four times faster."""
    data = resources(language)
    compiled = []
    for name in PREFILTER_PATTERNS:
        source = data.patterns[name].pattern
        if source != source.lower():
            raise ValueError(f"{data.folder / 'words'}: {name} is matched on lowercased text; write it in "
                             f"lowercase (and without the escapes \\W, \\S, \\D or \\B)")
        compiled.append(re.compile(source))
    return tuple(compiled)


def _sentence_around(text: str, start: int, end: int) -> str:
    before = max((m.end() for m in SENTENCE_END.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    after = SENTENCE_END.search(text, end, end + 300)
    return text[before:after.start() if after else end + 300]


def sample_words(text: str) -> list[str]:
    """The lowercased words of the text's first LANGUAGE_SAMPLE_CHARS characters, as the language tests count them."""
    return WORD.findall(text[:LANGUAGE_SAMPLE_CHARS].lower())


def looks_english(text: str) -> bool:
    """English prose is about 40% stopwords; other languages (and non-Latin scripts) score near zero."""
    return is_english_sample(sample_words(text))


def is_english_sample(words: list[str]) -> bool:
    """looks_english on words already sampled (sample_words)."""
    if not words:
        return False
    return sum(word in STOP_WORDS for word in words) / len(words) >= MIN_STOPWORD_RATIO


@dataclass
class DetectionFacts:
    """What the main story says, reduced to what the decision needs. The lead is the first sentence of the
    main story that reports an event or a toll: it says what kind of story this is."""

    attack_sentences: int
    lead_labels: frozenset[str]
    lead_non_state: bool
    lead_casualties: frozenset[str]
    lead_dead_militants: bool
    lead_dead_are_forces: bool  # every killed count of the lead counts soldiers or police
    lead_against_militants: bool
    operation_before_attack: bool  # militants neutralised or acted on by troops before any attack sentence
    main_labels: Counter
    non_state: bool
    victims: int
    political_target: bool
    violent: bool


def is_non_state(labels: Iterable[str], attacker_words: Iterable[str], groups: int, language: str) -> bool:
    """Signals that the violence comes from militants or gunmen, not an army, an accident or a robber."""
    irregular = resources(language).words["irregular_attackers"]
    return bool(groups or set(labels) & NON_STATE_LABELS or set(attacker_words) & irregular)


def decide(facts: DetectionFacts) -> tuple[bool, str]:
    """(is an attack report, why); each rule names the look-alike it rejects."""
    lead, labels = facts.lead_labels, facts.main_labels
    if facts.attack_sentences == 0:
        return False, "no sentence of the main story describes an attack"
    if lead & {"negative:court", "negative:memorial"}:
        return False, "the story is a trial or a commemoration of an earlier attack"
    if lead & {"negative:disaster", "negative:accident"} and "attack" not in lead:
        return False, "the lead reports a disaster or an accident"
    if "negative:military" in lead and "attack" not in lead and not facts.lead_non_state:
        return False, "fighting between armed forces (shelling, airstrikes, border clashes)"
    forces_lost = facts.lead_dead_are_forces and "negative:military" in lead
    if facts.lead_dead_militants and "attack" not in lead and ("killed" not in facts.lead_casualties or forces_lost):
        return False, "a security operation: the dead in the lead are militants, or troops lost in it"
    if facts.lead_against_militants and "attack" not in lead and not facts.lead_casualties & {"killed", "injured"}:
        return False, "a security operation: the lead tells what troops or police did to militants"
    if facts.operation_before_attack and "negative:military" in lead and "attack" not in lead \
            and not facts.lead_casualties & {"killed", "injured"}:
        return False, "a security operation: militants are neutralised before any attack is told"
    if labels["negative:fiction"] >= MIN_FICTION_CUES and "negative:fiction" in lead:
        return False, "a novel, film or series about violence"
    unrealised = sorted(label for label in lead & UNREALISED_LEADS.keys())
    if unrealised and "attack" not in lead and not facts.lead_casualties & {"killed", "injured"}:
        return False, UNREALISED_LEADS[unrealised[0]]
    if labels["negative:sports"] + labels["negative:markets"] >= 2 and not facts.victims and not facts.non_state:
        return False, "sport or market story using violent words"
    if labels["negative:crime"] and facts.victims <= 2 and not facts.non_state and not facts.political_target:
        return False, "ordinary crime (robbery, dispute, domestic killing)"
    if not facts.violent:
        return False, "attack words without victims, attackers or weapons"
    return True, "attack described in the main story"


def _militant_mentions(tokens: Iterable[Token]) -> Iterator[tuple[WordSets, Token, Token]]:
    """(the language's words, a militant noun, the noun its count hangs on: "des dizaines de terroristes" ->
    "dizaines") for every militant noun among the tokens."""
    words = None
    for token in tokens:
        words = words or words_of(token)
        if token.lower_ in words["militant_nouns"]:
            yield words, token, _counted_noun(token, words["quantity_nouns"])


def neutralised_militants(tokens: Iterable[Token]) -> bool:
    """Militants "neutralised" or "eliminated" (security forces' word for killing them): "Troops neutralised 23
    terrorists", "Two terrorists neutralised in Shopian encounter"."""
    for words, token, counted in _militant_mentions(tokens):
        if counted.head.lower_ in words["neutralised_words"] and counted.dep_ in OBJECT_LINKS:
            return True
        if any(child.lower_ in words["neutralised_words"] and child.dep_ in ("acl", "amod")
               for noun in (token, counted) for child in noun.children):
            return True
    return False


def militants_on_receiving_end(tokens: Iterable[Token]) -> bool:
    """Militants are what police or troops acted on, not the doers: "les militaires infligent une déroute à des
    dizaines de terroristes", "troops routed dozens of militants"."""
    for words, _token, counted in _militant_mentions(tokens):
        if counted.dep_ not in OBJECT_LINKS or counted.tag_.startswith("VB"):
            continue
        verb = governing_verb(counted)
        while verb is not None and subject_of(verb) is None and verb.dep_ == "xcomp":
            verb = verb.head  # "l'armée a annoncé avoir tué 96 combattants": the army is the doer
        subject = subject_of(verb) if verb is not None else None
        if subject is not None and subject.lower_ in words["state_forces"]:
            return True
    return False


def _counted_noun(noun: Token, quantity_nouns: frozenset[str]) -> Token:
    """The quantity a noun is counted by, when it has one: "des dizaines de terroristes" (the parse hangs the
    militants from "dizaines"), "dozens of militants"."""
    phrase = preposition_phrase(noun)
    if phrase is not None and phrase[1].lower_ in quantity_nouns:
        return phrase[1]
    return noun


def is_self_killed(attacker: Token) -> bool:
    """Suicide bombers die by their own attack; militants otherwise die at the hands of troops or police."""
    words = words_of(attacker)
    return attacker.lower_ in words["self_killed"] or any(child.lower_ in words["suicide_words"]
                                                          for child in attacker.children)
