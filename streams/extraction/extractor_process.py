"""Running the extractor for the stream and for replay: loading it by name, isolating failures, in a child process."""

from __future__ import annotations

import asyncio
import importlib
import logging
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from streams.child_process import single_process_pool

log = logging.getLogger(__name__)


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


class ExtractorProcess:
    """The batch extractor in a child process of the worker.

    spaCy is CPU-bound and mostly holds the GIL, so in a thread it would take turns with the event loop on
    one core; in its own process it runs beside it. A child that dies (a crash, the OOM killer) is
    replaced and its batch retried one article at a time, so only an article that kills it again is lost,
    to a dead letter.
    """

    def __init__(self, extract_batch):
        self.extract_batch = extract_batch
        self._pool = self._start()

    @staticmethod
    def _start() -> ProcessPoolExecutor:
        return single_process_pool()

    async def extract(self, articles: list) -> tuple[list, list]:
        """(results, [(article, error)]) as extract_isolating_failures, computed in the child process."""
        if not articles:
            return [], []
        try:
            return await self._run(articles)
        except BrokenProcessPool:
            log.warning("the extractor process died on a batch of %d articles; retrying them one by one", len(articles))
            self._restart()
        results, failures = [], []
        for article in articles:
            try:
                one, failed = await self._run([article])
            except BrokenProcessPool as error:
                self._restart()
                one, failed = [None], [(article, RuntimeError(f"the extractor process died on this article ({error})"))]
            results += one
            failures += failed
        return results, failures

    async def _run(self, articles: list) -> tuple[list, list]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, extract_isolating_failures, self.extract_batch, articles)

    def _restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
