"""newswatch extractors: article text in, structured attack incidents out. Pure Python: no Kafka, no Elasticsearch.

spaCy is imported on first use, so importing extractors.schema stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from extractors.schema import Article, ExtractionResult

__all__ = ["load_nlp", "extract", "extract_batch"]


def load_nlp(language: str = "en") -> Language:
    """The shared spaCy pipeline of a language (model plus newswatch components), loaded once per process."""
    from extractors.nlp import load_nlp as load

    return load(language)


def extract(article: Article, nlp: Language | None = None) -> ExtractionResult:
    """Whether one article reports an attack, and its main and background incidents."""
    return extract_batch([article], nlp)[0]


def extract_batch(articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16) -> list[ExtractionResult]:
    """extract() for many articles, parsing the ones that pass the prefilter in nlp.pipe batches; order is kept.
    `nlp` serves the articles in its language; every other readable language loads its shared pipeline."""
    from extractors.pipeline import extract_articles

    return extract_articles(list(articles), nlp, batch_size=batch_size)
