"""The spaCy Language the extractor runs for each language it reads: the language's model with only what the
rules read, plus our components.

Kept: tok2vec, the tagger or morphologizer (tags gate verbs and proper nouns) and the parser (sentences, and
the dependencies that attach numbers to "killed" or "wounded"). Excluded per language in its language.toml:
for English ner, which costs as much again as everything else and mislabels the names that matter here
(Quetta ORG, Lashkar-e-Jhangvi PERSON), so places come from the gazetteer and groups from the alias table;
the lemmatizer and attribute_ruler, which no rule reads.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

import extractors.components  # noqa: F401  (registers the newswatch_* factories)
from extractors.languages import resources

ENGLISH = "en"
OUR_COMPONENTS = ("newswatch_cues", "newswatch_casualties")


def build_nlp(language: str = ENGLISH) -> Language:
    """A fresh pipeline for one language; use load_nlp() for the shared one."""
    settings = resources(language)
    try:
        nlp = spacy.load(settings.model, exclude=list(settings.excluded_components))
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {settings.model!r} for language {language!r} is not installed; install the package "
            f"{settings.model} into this environment (make install does, from requirements-model.txt)"
        ) from error
    if settings.dependency_labels or settings.tag_rules:
        nlp.add_pipe("newswatch_labels")
    for name in OUR_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@cache
def load_nlp(language: str = ENGLISH) -> Language:
    """The process-wide pipeline of a language, built on first use: a worker that never sees French never
    loads the French model."""
    return build_nlp(language)
