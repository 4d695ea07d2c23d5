"""Is this article a report of a specific violent attack? A cheap text prefilter, a language check, and the decision.

The prefilter runs on raw text before spaCy, so most articles (sports, markets, politics) never reach the
parser. The decision runs on the cues of the main story and rejects the usual look-alikes: disasters and
accidents, battles between armies and security operations against militants, ordinary crime, trials and
anniversaries, foiled plots, hoaxes and threats, counter-terrorism policy and drills, fiction, and sport or
market metaphors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from extractors.languages import resources

SENTENCE_END = re.compile(r"[.!?\n]")
LANGUAGE_SAMPLE_CHARS = 4000
MIN_STOPWORD_RATIO = 0.2
WORD = re.compile(r"[^\W\d_]+")
# Signals that the violence comes from a non-state attacker, not an army, an accident or a robber.
NON_STATE_LABELS = frozenset({"terror", "suicide"})
IRREGULAR_ATTACKERS = frozenset({
    "gunmen", "gunman", "assailants", "assailant", "attackers", "attacker", "bomber", "bombers", "hijackers",
    "kidnappers", "abductors", "hostage-takers", "assassins", "arsonists", "armed men", "masked men",
})
# Leads about something that did not happen (yet): the rule names the look-alike it rejects.
UNREALISED_LEADS = {
    "negative:plot": "a foiled plot or arrests, with no attack carried out",
    "negative:hoax": "a hoax, a scare or a threat, with nothing set off",
    "negative:policy": "counter-terrorism policy, law or drills, with no attack",
}
MIN_FICTION_CUES = 2
SELF_KILLED = frozenset({"bomber", "bombers"})
NEUTRALISED_WORDS = frozenset({"neutralised", "neutralized", "neutralise", "neutralize", "eliminated", "liquidated"})
MILITANT_NOUNS = frozenset({
    "militant", "militants", "terrorist", "terrorists", "insurgent", "insurgents", "jihadist", "jihadists",
    "extremist", "extremists", "fighters", "rebels", "gunmen", "attackers", "assailants", "bandits", "ultras",
})


def passes_prefilter(title: str | None, text: str, language: str = "en") -> bool:
    """Cheap recall-oriented screen: an attack word, or an ambiguous one in a sentence about people harmed (the
    language's `prefilter_*` patterns)."""
    patterns = resources(language).patterns
    whole = f"{title}\n{text}" if title else text
    if patterns["prefilter_attack"].search(whole):
        return True
    for match in patterns["prefilter_ambiguous"].finditer(whole):
        sentence = _sentence_around(whole, match.start(), match.end())
        if patterns["prefilter_harm"].search(sentence) and not patterns["prefilter_sport_or_business"].search(sentence):
            return True
    return False


def _sentence_around(text: str, start: int, end: int) -> str:
    before = max((m.end() for m in SENTENCE_END.finditer(text, max(0, start - 300), start)), default=max(0, start - 300))
    after = SENTENCE_END.search(text, end, end + 300)
    return text[before:after.start() if after else end + 300]


def looks_english(text: str) -> bool:
    """English prose is about 40% stopwords; other languages (and non-Latin scripts) score near zero."""
    words = WORD.findall(text[:LANGUAGE_SAMPLE_CHARS].lower())
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
    main_labels: Counter
    non_state: bool
    victims: int
    political_target: bool
    violent: bool


def is_non_state(labels: Iterable[str], attacker_words: Iterable[str], groups: int) -> bool:
    """Signals that the violence comes from militants or gunmen, not an army, an accident or a robber."""
    return bool(groups or set(labels) & NON_STATE_LABELS or set(attacker_words) & IRREGULAR_ATTACKERS)


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
    if facts.lead_dead_militants and "attack" not in lead and "killed" not in facts.lead_casualties:
        return False, "a security operation: the dead in the lead are the militants"
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


def neutralised_militants(tokens: Iterable[Token]) -> bool:
    """Militants "neutralised" or "eliminated" (security forces' word for killing them): "Troops neutralised 23
    terrorists", "Two terrorists neutralised in Shopian encounter"."""
    for token in tokens:
        if token.lower_ not in MILITANT_NOUNS:
            continue
        if token.head.lower_ in NEUTRALISED_WORDS and token.dep_ in ("dobj", "nsubjpass"):
            return True
        if any(child.lower_ in NEUTRALISED_WORDS and child.dep_ in ("acl", "amod") for child in token.children):
            return True
    return False


def is_self_killed(attacker: Token) -> bool:
    """Suicide bombers die by their own attack; militants otherwise die at the hands of troops or police."""
    return attacker.lower_ in SELF_KILLED or any(child.lower_ == "suicide" for child in attacker.children)
