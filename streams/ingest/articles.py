"""Feed items to Articles: one identity per story (canonical link, else GUID, else text) and the best text known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin

from extractors.schema import Article, stable_id
from streams.ingest.htmltext import html_to_text
from streams.ingest.parse import FeedItem
from streams.ingest.urls import UnusableUrl, canonical_url


@dataclass(frozen=True)
class ItemKey:
    id: str
    url: str | None = None
    canonical_url: str | None = None


@dataclass(frozen=True)
class PageText:
    """What full-text extraction found on the article's page."""

    text: str
    title: str | None = None
    published: dt.datetime | None = None
    language: str | None = None


def identify(item: FeedItem, feed_url: str) -> ItemKey:
    """The article id: the canonical link if the item has a usable one, else the GUID within its feed, else the text."""
    key = identify_by_reference(item.guid, item.link, feed_url)
    if key is not None:
        return key
    content, summary = feed_texts(item)
    return ItemKey(Article.id_for(None, content or summary or item.title or ""))


def identify_by_reference(guid: str | None, link: str | None, feed_url: str) -> ItemKey | None:
    """The id from the link or GUID alone; None when the item has neither (then only its text identifies it)."""
    if link:
        link = urljoin(feed_url, link.strip())
        try:
            canonical = canonical_url(link)
        except UnusableUrl:
            canonical = None
        if canonical:
            return ItemKey(Article.id_for(canonical, ""), link, canonical)
    if guid:
        return ItemKey(stable_id("guid", canonical_url(feed_url), guid))
    return None


def feed_texts(item: FeedItem) -> tuple[str, str]:
    """The item's content and summary as plain text."""
    return html_to_text(item.content), html_to_text(item.summary)


def needs_full_text(key: ItemKey, content: str, summary: str, min_chars: int) -> bool:
    """Fetch the page only when the feed carries less than a full article and there is a page to fetch."""
    return key.url is not None and len(content or summary) < min_chars


def build_article(
    item: FeedItem,
    key: ItemKey,
    *,
    content: str,
    summary: str,
    page: PageText | None,
    source: str,
    tags: tuple[str, ...],
    language: str | None,
    now: dt.datetime,
) -> Article | None:
    """The page's text when extraction succeeded, else the feed's content, summary or title; None if all are empty."""
    text = (page.text if page else "") or content or summary or item.title or ""
    if not text.strip():
        return None
    return Article(
        id=key.id,
        url=key.url,
        canonical_url=key.canonical_url,
        source=source,
        title=item.title or (page.title if page else None),
        text=text,
        summary=summary if summary and summary != text else None,  # a copy of the text would only double its size
        published=item.published or (page.published if page else None),
        fetched_at=now,
        language=item.language or language or (page.language if page else None),
        tags=list(tags),
    )
