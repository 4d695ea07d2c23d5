"""Running the extractor for the stream and for replay: loading it by name, isolating failures, reusing recent results."""

from __future__ import annotations

import importlib
from collections import OrderedDict

from extractors.schema import ExtractionResult

RECENT_EXTRACTIONS = 5000


class RecentExtractions:
    """Extractions of recent canonical articles, so a near-duplicate reuses one instead of running spaCy again.

    Duplicates are keyed by their canonical id, so they reach the partition (and worker) that extracted the
    canonical article; after a restart the cache is empty and a duplicate is simply extracted again.
    """

    def __init__(self, size: int = RECENT_EXTRACTIONS):
        self.size = size
        self._results: OrderedDict[str, ExtractionResult] = OrderedDict()

    def get(self, article_id: str) -> ExtractionResult | None:
        return self._results.get(article_id)

    def put(self, article_id: str, result: ExtractionResult) -> None:
        self._results[article_id] = result
        self._results.move_to_end(article_id)
        while len(self._results) > self.size:
            self._results.popitem(last=False)


def extract_isolating_failures(extract_batch, articles):
    """Extract a batch; if the batch fails, extract one by one so only the article that breaks the extractor is lost to a dead letter."""
    try:
        return extract_batch(articles), []
    except Exception:  # noqa: BLE001 - any extractor failure is isolated per article below
        results, failures = [], []
        for article in articles:
            try:
                results.append(extract_batch([article])[0])
            except Exception as error:  # noqa: BLE001
                results.append(None)
                failures.append((article, error))
        return results, failures


def load_extractor(path: str):
    """The batch extractor named `module:function`, imported at start-up (worker or replay) so a typo fails at once."""
    module_name, _, function_name = path.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"extractor {path!r} cannot be loaded ({error}); expected module:function") from error
