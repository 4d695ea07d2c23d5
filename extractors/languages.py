"""The languages the extractor reads, each a folder of data: extractors/data/languages/<ISO 639-1 code>/.

A folder holds `language.toml` (the spaCy model, the components the rules never read, and how the model's
labels map onto the ones the rules are written in), `words/*.toml` (the named word sets and patterns the rules
read, one file per concern: prefilter, counts, dates, ...; `[tables]` map names or phrases to what they mean,
`[fragments]` are pieces of regular expressions the rules compose)
and `cues.jsonl` (the cue phrases). The rules are written once; a language is its data. Reading a new
language means adding its folder and its spaCy model: see docs/extraction.md, "Adding a language".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

LANGUAGES_DIR = Path(__file__).resolve().parent / "data" / "languages"


class WordSets(Mapping[str, frozenset[str]]):
    """The named word sets of one language; a name the rules read but the language lacks is a clear error."""

    def __init__(self, sets: Mapping[str, frozenset[str]], source: Path):
        """`source` is the folder of the language's word files, named in errors."""
        self._sets = dict(sets)
        self.source = source

    def __getitem__(self, name: str) -> frozenset[str]:
        try:
            return self._sets[name]
        except KeyError:
            raise KeyError(f"{self.source} has no word set {name!r}; every language defines the sets English does") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._sets)

    def __len__(self) -> int:
        return len(self._sets)


@dataclass(frozen=True)
class TagRule:
    """Maps a universal part of speech (with morphological features) onto the Penn tag the rules test."""

    pos: str
    features: frozenset[str]
    tag: str


@dataclass(frozen=True)
class LanguageResources:
    code: str
    folder: Path
    model: str
    excluded_components: tuple[str, ...]
    # The model's dependency labels that the rules know under another name ("nsubj:pass" is "nsubjpass").
    dependency_labels: Mapping[str, str]
    # For models without a Penn tagger: the first rule that fits a token gives its tag.
    tag_rules: tuple[TagRule, ...]
    words: WordSets
    patterns: Mapping[str, re.Pattern[str]]
    # Regular-expression alternatives the rules compose into larger expressions (the claim rules'); a fragment
    # may name another as {{name}}.
    fragments: Mapping[str, str]
    # Named tables of names or phrases and what each means (month names and their numbers, number words and
    # their values).
    tables: Mapping[str, Mapping[str, object]]

    @property
    def cue_patterns_file(self) -> Path:
        return self.folder / "cues.jsonl"


@cache
def readable_languages() -> frozenset[str]:
    return frozenset(folder.name for folder in LANGUAGES_DIR.iterdir() if (folder / "language.toml").is_file())


@cache
def resources(code: str) -> LanguageResources:
    folder = LANGUAGES_DIR / code
    if code not in readable_languages():
        raise ValueError(f"no extractor data for language {code!r}: readable are {sorted(readable_languages())}")
    settings = _read_toml(folder / "language.toml")
    words_folder = folder / "words"
    words: dict[str, frozenset[str]] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    fragments: dict[str, str] = {}
    tables: dict[str, Mapping[str, object]] = {}
    for path in sorted(words_folder.glob("*.toml")):
        content = _read_toml(path)
        for name, members in content.get("words", {}).items():
            _add_once(words, name, frozenset(members), path)
        for name, alternatives in content.get("patterns", {}).items():
            _add_once(patterns, name, re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE), path)
        for name, alternatives in content.get("fragments", {}).items():
            _add_once(fragments, name, "|".join(alternatives), path)
        for name, table in content.get("tables", {}).items():
            _add_once(tables, name, dict(table), path)
    model = settings.get("model", {})
    labels = settings.get("labels", {})
    return LanguageResources(
        code=code,
        folder=folder,
        model=model["name"],
        excluded_components=tuple(model.get("exclude", ())),
        dependency_labels=dict(labels.get("dependencies", {})),
        tag_rules=tuple(TagRule(rule["pos"], frozenset(rule.get("features", ())), rule["tag"])
                        for rule in labels.get("tags", ())),
        words=WordSets(words, words_folder),
        patterns=patterns,
        fragments=_expanded(fragments, words_folder),
        tables=tables,
    )


def words_of(item: Doc | Token) -> WordSets:
    """The word sets of the language a parsed text is in."""
    doc = item if isinstance(item, Doc) else item.doc
    return resources(doc.lang_).words


FRAGMENT_REFERENCE = re.compile(r"\{\{(\w+)\}\}")


def _expanded(fragments: dict[str, str], folder: Path) -> dict[str, str]:
    """Each fragment with the fragments it names as {{name}} put in, to any depth; a cycle is an error."""
    def expand(name: str, seen: tuple[str, ...]) -> str:
        if name not in fragments:
            raise ValueError(f"{folder}: fragment {{{{{name}}}}} is named by {seen[-1]!r} but not defined")
        if name in seen:
            raise ValueError(f"{folder}: fragments name each other in a cycle: {' -> '.join((*seen, name))}")
        return FRAGMENT_REFERENCE.sub(lambda match: expand(match.group(1), (*seen, name)), fragments[name])
    return {name: expand(name, ()) for name in fragments}


def _add_once(table: dict, name: str, value: object, path: Path) -> None:
    if name in table:
        raise ValueError(f"{path}: {name!r} is already defined in another file of {path.parent}")
    table[name] = value


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from error
