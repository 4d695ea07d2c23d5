"""A batch extractor for the dead-letter test: the real one, except that it raises on a marked article."""

from __future__ import annotations

import extractors

MARKER = "EXTRACTOR-FAILS"


def extract_batch(articles):
    for article in articles:
        if article.text.startswith(MARKER):
            raise RuntimeError(f"extractor failure injected by the test for article {article.id}")
    return extractors.extract_batch(articles)
