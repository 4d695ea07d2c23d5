import datetime as dt

from extractors.schema import Article
from streams.ingest.articles import PageText, build_article, feed_texts, identify, needs_full_text
from streams.ingest.parse import FeedItem

FEED_URL = "https://harbour-wire.example/world/rss.xml"
NOW = dt.datetime(2021, 5, 12, 10, 0, tzinfo=dt.UTC)


def test_identity_is_the_canonical_link():
    item = FeedItem(guid="x-1", link="https://Harbour-Wire.example/a/1?utm_source=rss#top")
    key = identify(item, FEED_URL)
    assert key.canonical_url == "https://harbour-wire.example/a/1"
    assert key.id == Article.id_for("https://harbour-wire.example/a/1", "")
    assert key.url == "https://Harbour-Wire.example/a/1?utm_source=rss#top"


def test_relative_links_resolve_against_the_feed():
    key = identify(FeedItem(link="../2021/story"), FEED_URL)
    assert key.canonical_url == "https://harbour-wire.example/2021/story"


def test_the_same_link_in_two_feeds_is_one_article():
    first = identify(FeedItem(guid="a", link="https://e.example/s?utm_medium=x"), "https://one.example/rss")
    second = identify(FeedItem(guid="b", link="https://e.example/s"), "https://two.example/atom")
    assert first.id == second.id


def test_without_usable_link_the_guid_identifies_within_the_feed():
    item = FeedItem(guid="urn:story:7", link="javascript:void(0)", summary="text")
    key = identify(item, FEED_URL)
    assert key.url is None and key.canonical_url is None
    assert key.id == identify(FeedItem(guid="urn:story:7", summary="other text"), FEED_URL).id
    assert key.id != identify(FeedItem(guid="urn:story:7"), "https://other.example/rss").id


def test_without_link_or_guid_the_text_identifies():
    key = identify(FeedItem(content="<p>Same   words</p>"), FEED_URL)
    assert key.id == Article.id_for(None, "Same words")


def test_full_text_only_for_short_items_with_a_page():
    key = identify(FeedItem(link="https://e.example/a"), FEED_URL)
    assert needs_full_text(key, "", "short summary", 100)
    assert not needs_full_text(key, "x" * 100, "short", 100)
    assert not needs_full_text(identify(FeedItem(guid="g"), FEED_URL), "", "short", 100)


def test_page_text_wins_and_the_summary_is_kept():
    item = FeedItem(link="https://e.example/a", title="Blast in city", summary="<p>Short.</p>")
    key = identify(item, FEED_URL)
    content, summary = feed_texts(item)
    page = PageText(text="The full article text.", title="Page title", language="en",
                    published=dt.datetime(2021, 5, 12, tzinfo=dt.UTC))
    article = build_article(item, key, content=content, summary=summary, page=page, source="Harbour Wire",
                            tags=("type:wire",), language=None, now=NOW)
    assert (article.text, article.summary, article.title, article.language) == (
        "The full article text.", "Short.", "Blast in city", "en")
    assert article.published == dt.datetime(2021, 5, 12, tzinfo=dt.UTC)
    assert (article.source, article.tags, article.fetched_at, article.id) == ("Harbour Wire", ["type:wire"], NOW, key.id)


def test_failed_page_falls_back_to_content_then_summary_then_title():
    item = FeedItem(link="https://e.example/a", title="Only a title")
    key = identify(item, FEED_URL)
    article = build_article(item, key, content="", summary="", page=None, source="s", tags=(), language="fr", now=NOW)
    assert article.text == "Only a title" and article.language == "fr"
    summary_only = build_article(item, key, content="", summary="A summary.", page=None, source="s", tags=(), language=None, now=NOW)
    assert summary_only.text == "A summary."


def test_an_item_with_nothing_to_read_is_no_article():
    item = FeedItem(link="https://e.example/a")
    assert build_article(item, identify(item, FEED_URL), content="", summary="", page=None, source="s", tags=(),
                         language=None, now=NOW) is None
