"""The article text from its web page when a feed carries only a summary, with trafilatura."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

import trafilatura
from trafilatura.settings import use_config

from streams.ingest.articles import PageText
from streams.ingest.fetch import PAGE_ACCEPT, Fetcher, FetchError
from streams.ingest.timestamps import parse_date

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 200


def _trafilatura_config():
    config = use_config()
    config.set("DEFAULT", "MAX_TREE_SIZE", "50000")  # elements; bigger pages are not articles and cost seconds
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timeout uses signals, which only work in the main thread
    return config


TRAFILATURA_CONFIG = _trafilatura_config()


def extract_page(html: bytes, url: str) -> PageText | None:
    """Main text and metadata of an article page, or None when trafilatura finds no article in it."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, config=TRAFILATURA_CONFIG
    )
    if document is None or not document.text or len(document.text) < MIN_TEXT_CHARS:
        return None
    return PageText(
        text=document.text,
        title=document.title or None,
        published=parse_date(document.date),
        language=document.language or None,
    )


class FullTextFetcher:
    """Fetches pages through the guarded fetcher (same SSRF rules) and extracts off the event loop."""

    def __init__(self, fetcher: Fetcher, executor: Executor, *, max_bytes: int, timeout: float, concurrency: int):
        self.fetcher = fetcher
        self.executor = executor
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._slots = asyncio.Semaphore(concurrency)

    async def page_text(self, url: str) -> PageText | None:
        """None on any failure, logged: the caller keeps the feed's summary."""
        async with self._slots:
            try:
                async with asyncio.timeout(self.timeout):
                    response = await self.fetcher.get(url, accept=PAGE_ACCEPT, max_bytes=self.max_bytes, total_timeout=self.timeout)
                    if response.status != 200:
                        log.info("full text of %s: HTTP %s; keeping the feed's summary", url, response.status)
                        return None
                    if "html" not in response.content_type:
                        log.info("full text of %s: %s is not a web page; keeping the feed's summary", url, response.content_type)
                        return None
                    loop = asyncio.get_running_loop()
                    return await loop.run_in_executor(self.executor, extract_page, response.body, response.url)
            except FetchError as error:
                log.info("full text of %s failed: %s; keeping the feed's summary", url, error)
            except TimeoutError:
                log.info("full text of %s took over %g s (feeds.full_text_timeout_seconds); keeping the feed's summary", url, self.timeout)
            except Exception as error:  # trafilatura on hostile HTML: never lose the item over it
                log.warning("full text of %s: extraction failed (%s: %s); keeping the feed's summary", url, type(error).__name__, error)
            return None
