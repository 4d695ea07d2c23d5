"""The extractor's spaCy components, registered as factories: label mapping, cue matching and casualty counting.

`newswatch_labels` rewrites a model's dependency labels and tags into the ones the rules are written in (the
language's language.toml says how; English needs nothing). The others each write one namespaced Doc attribute:
`doc._.newswatch_cues` (labelled Spans from the language's cues.jsonl) and `doc._.newswatch_casualties`
(CasualtyMention list).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from extractors.casualties import CasualtyMention, find_casualties
from extractors.languages import TagRule, resources
from extractors.schema import AttackType, TargetType, Weapon

# Families whose label is the family alone, and families whose label names a schema value after a colon.
PLAIN_CUE_FAMILIES = frozenset({
    "attack", "attack_weak", "suicide", "attacker", "terror", "past", "past_near", "past_generic", "recap",
    "past_anaphor",
})
VALUED_CUE_FAMILIES = {
    "type": frozenset(get_args(AttackType)),
    "weapon": frozenset(get_args(Weapon)),
    "target": frozenset(get_args(TargetType)),
    "negative": frozenset({"military", "court", "memorial", "crime", "disaster", "accident", "sports", "markets",
                          "fiction", "hoax", "plot", "policy"}),
}

for _attribute in ("newswatch_cues", "newswatch_casualties"):
    if not Doc.has_extension(_attribute):
        Doc.set_extension(_attribute, default=None)


class LabelMapper:
    """Renames dependency labels ("nsubj:pass" to "nsubjpass") and sets Penn tags from universal parts of speech
    and morphology, for models parsed and tagged in another scheme than the one the rules read."""

    def __init__(self, dependency_labels: dict[str, str], tag_rules: tuple[TagRule, ...]):
        self.dependency_labels = dependency_labels
        self.tag_rules = tag_rules
        # A model uses a few hundred (part of speech, morphology) pairs: each is matched against the rules once.
        self._tags: dict[tuple[int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            renamed = self.dependency_labels.get(token.dep_)
            if renamed:
                token.dep_ = renamed
            if self.tag_rules:
                key = (token.pos, token.morph.key)
                tag = self._tags.get(key)
                if tag is None:
                    tag = self._tags[key] = self.tag_of(token)
                token.tag_ = tag
        return doc

    def tag_of(self, token: Token) -> str:
        features = str(token.morph).split("|")
        for rule in self.tag_rules:
            if token.pos_ == rule.pos and rule.features.issubset(features):
                return rule.tag
        return token.pos_


class CueMatcher:
    """Labels every cue phrase of the patterns file; overlapping cues with different labels are all kept."""

    def __init__(self, phrase_matcher: PhraseMatcher, token_matcher: Matcher):
        self.matchers = [m for m in (phrase_matcher, token_matcher) if len(m)]

    def __call__(self, doc: Doc) -> Doc:
        matches = [match for matcher in self.matchers for match in matcher(doc)]
        doc._.newswatch_cues = sorted(
            (Span(doc, start, end, label=match_id) for match_id, start, end in set(matches)),
            key=lambda span: (span.start, span.end, span.label_),
        )
        return doc


class CasualtyTagger:
    """Finds killed, injured and attacker counts through the dependency parse."""

    def __init__(self, max_hops: int):
        self.max_hops = max_hops

    def __call__(self, doc: Doc) -> Doc:
        doc._.newswatch_casualties = find_casualties(doc, max_hops=self.max_hops)
        return doc


def validate_cue_label(label: object, where: str) -> str:
    if not isinstance(label, str):
        raise ValueError(f"{where}: label must be a string, got {label!r}")
    family, _, value = label.partition(":")
    if family in PLAIN_CUE_FAMILIES and not value:
        return label
    if family in VALUED_CUE_FAMILIES and value in VALUED_CUE_FAMILIES[family]:
        return label
    raise ValueError(
        f"{where}: unknown cue label {label!r}; use one of {sorted(PLAIN_CUE_FAMILIES)} or "
        f"family:value with family in {sorted(VALUED_CUE_FAMILIES)} and a value the schema allows"
    )


def load_cue_patterns(path: Path) -> list[dict]:
    """Read and check a patterns file: one {"label", "pattern"} object a line, pattern a phrase or token list."""
    if not path.is_file():
        raise ValueError(f"cue patterns file {path} does not exist; pass patterns_file relative to the language's folder")
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not JSON ({error}); each line must be one object") from error
        if not isinstance(entry, dict) or set(entry) != {"label", "pattern"}:
            raise ValueError(f"{where}: expected exactly the keys label and pattern")
        validate_cue_label(entry["label"], where)
        pattern = entry["pattern"]
        if not (isinstance(pattern, str) and pattern.strip()) and not (isinstance(pattern, list) and pattern):
            raise ValueError(f"{where}: pattern must be a non-empty phrase or a list of token patterns")
        patterns.append(entry)
    if not patterns:
        raise ValueError(f"cue patterns file {path} has no patterns")
    return patterns


@Language.factory("newswatch_labels", requires=["token.dep", "token.pos", "token.morph"])
def make_label_mapper(nlp: Language, name: str) -> LabelMapper:
    settings = resources(nlp.lang)
    return LabelMapper(dict(settings.dependency_labels), settings.tag_rules)


@Language.factory("newswatch_cues", default_config={"patterns_file": "cues.jsonl"})
def make_cue_matcher(nlp: Language, name: str, patterns_file: str) -> CueMatcher:
    path = Path(patterns_file)
    patterns = load_cue_patterns(path if path.is_absolute() else resources(nlp.lang).folder / path)
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    token_matcher = Matcher(nlp.vocab)
    phrases: dict[str, list[Doc]] = {}
    for entry in patterns:
        if isinstance(entry["pattern"], str):
            phrases.setdefault(entry["label"], []).append(nlp.make_doc(entry["pattern"]))
        else:
            token_matcher.add(entry["label"], [entry["pattern"]])
    for label, docs in phrases.items():
        phrase_matcher.add(label, docs)
    return CueMatcher(phrase_matcher, token_matcher)


@Language.factory("newswatch_casualties", default_config={"max_hops": 4}, requires=["token.dep", "token.head"])
def make_casualty_tagger(nlp: Language, name: str, max_hops: int) -> CasualtyTagger:
    if not isinstance(max_hops, int) or not 1 <= max_hops <= 8:
        raise ValueError(f"{name}: max_hops must be an integer from 1 to 8, got {max_hops!r}")
    if "parser" not in nlp.pipe_names:
        raise ValueError(f"{name} reads the dependency parse: add it after a 'parser' component")
    return CasualtyTagger(max_hops)


__all__ = ["CasualtyMention", "CasualtyTagger", "CueMatcher", "LabelMapper", "load_cue_patterns",
           "make_casualty_tagger", "make_cue_matcher", "make_label_mapper"]
