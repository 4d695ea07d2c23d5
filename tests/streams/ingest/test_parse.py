import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from streams.ingest import parse
from streams.ingest.htmltext import html_to_text
from streams.ingest.parse import FeedRejected, parse_feed
from tests.feedserver import rss

FEEDS = Path(__file__).resolve().parents[2] / "data" / "feeds"


def read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def comparable(items):
    return [
        (item.guid, item.link, item.title, html_to_text(item.content), html_to_text(item.summary), item.published, item.tags)
        for item in items
    ]


def test_rss2():
    feed = parse_feed(read("rss2.xml"), max_items=100)
    assert (feed.format, feed.title, feed.language) == ("rss", "Harbour Wire: World", "en")
    first, second, third = feed.items
    assert first.guid == "hw-2021-0512-001"
    assert first.link.startswith("https://harbour-wire.example/2021/05/12/kandahar-blast?utm_source=rss")
    assert html_to_text(first.content).startswith("KANDAHAR — A car bomb exploded")
    assert html_to_text(first.summary) == "A car bomb exploded near a crowded market."
    assert first.published == dt.datetime(2021, 5, 12, 9, 30, tzinfo=dt.UTC)
    assert first.tags == ("Asia",)
    assert html_to_text(second.summary) == "Dock workers continued their walkout."
    assert second.published == dt.datetime(2021, 5, 11, 18, 0, tzinfo=dt.UTC)
    assert third.link == "https://harbour-wire.example/2021/05/10/guid-only"


def test_atom():
    feed = parse_feed(read("atom.xml"), max_items=100)
    assert (feed.format, feed.title, feed.language) == ("atom", "Courrier du Sahel & Afrique", "fr")
    first, second = feed.items
    assert first.link == "https://courrier-sahel.example/2022/03/menaka"
    assert html_to_text(first.content) == "Des hommes armés ont attaqué un poste militaire mardi.\n\nLe bilan n'est pas connu."
    assert first.published == dt.datetime(2022, 3, 2, 9, 15, tzinfo=dt.UTC)
    assert first.tags == ("sahel",)
    assert second.title == "Élections locales reportées"
    assert second.published == dt.datetime(2022, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert html_to_text(second.content) == "Le scrutin est reporté."


@pytest.mark.parametrize("name", ["rss2.xml", "atom.xml"])
def test_the_fast_path_agrees_with_feedparser(name):
    fast = parse_feed(read(name), max_items=100)
    slow = parse._parse_with_feedparser(read(name), 100, None)
    assert comparable(fast.items) == comparable(slow.items)
    assert fast.title == slow.title


def test_rss1_goes_to_feedparser():
    feed = parse_feed(read("rss1.rdf"), max_items=100)
    assert feed.format == "feedparser:rss10"
    [item] = feed.items
    assert item.link == "https://andes-daily.example/2019/07/bridge"
    assert item.published == dt.datetime(2019, 7, 5, 19, 0, tzinfo=dt.UTC)


def test_json_feed():
    feed = parse_feed(read("jsonfeed.json"), max_items=100)
    assert (feed.format, feed.title, feed.language) == ("json", "Lakeside Monitor", "en")
    first, second = feed.items
    assert first.guid == "lm-3301" and first.tags == ("nigeria", "security")
    assert first.published == dt.datetime(2023, 1, 15, 6, 45, tzinfo=dt.UTC)
    assert html_to_text(first.summary) == "Convoy ambushed in Borno."
    assert second.guid == "3302"
    assert html_to_text(second.content) == "Fares rise <again> in the city & suburbs."
    assert second.published == dt.datetime(2023, 1, 14, 10, 0, tzinfo=dt.UTC)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<rss version="2.0"><channel><title>&lol2;</title><item><title>&lol2;</title></item></channel></rss>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>"""


@pytest.mark.parametrize("body", [BOMB, XXE, BOMB.decode().encode("utf-16"), BOMB.decode().encode("utf-16-le"),
                                  BOMB.decode().encode("utf-16-be"), BOMB.decode().encode("utf-32-le")])
def test_entity_declarations_are_refused(body):
    with pytest.raises(FeedRejected, match="entit") as refused:
        parse_feed(body, max_items=100)
    assert refused.value.quarantine


def test_html_page_is_not_a_feed():
    page = b"<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Welcome</p></body></html>"
    with pytest.raises(FeedRejected, match="HTML page") as refused:
        parse_feed(page, max_items=100, content_type="text/html")
    assert refused.value.quarantine


def test_rss_mentioning_html_in_its_items_is_still_a_feed():
    body = read("rss2.xml").replace(b"<description>A car bomb", b"<description>&lt;html&gt; A car bomb")
    assert len(parse_feed(body, max_items=100).items) == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty response body"),
        (b"   \n ", "empty response body"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>quiet</title></channel></rss>', "without items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}', "without items"),
        (b"{not json", "not valid JSON"),
        (b'{"title": "no version"}', "not a JSON Feed"),
        (b"<catalogue><book/></catalogue>", "not a readable feed"),
        (b"just some text", "not a readable feed"),
    ],
)
def test_unusable_documents_say_why(body, message):
    with pytest.raises(FeedRejected, match=message):
        parse_feed(body, max_items=100)


def test_a_truncated_feed_keeps_what_can_be_read():
    body = read("rss2.xml")
    feed = parse_feed(body[: body.index(b"<item>", body.index(b"</item>"))], max_items=100)
    assert [item.title for item in feed.items] == ["Car bomb kills 7 near market in Kandahar"]


def _rss_with(count: int) -> bytes:
    items = "".join(f"<item><title>t{n}</title><link>https://e.example/{n}</link></item>" for n in range(count))
    return f'<rss version="2.0"><channel><title>big</title>{items}</channel></rss>'.encode()


def test_too_many_items_is_refused_with_the_setting_named():
    with pytest.raises(FeedRejected, match="10000 items, more than the limit of 1000 \\(feeds.max_items\\)"):
        parse_feed(_rss_with(10_000), max_items=1000)
    assert len(parse_feed(_rss_with(1000), max_items=1000).items) == 1000


def test_too_many_json_items_is_refused():
    document = {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": str(n)} for n in range(50)]}
    with pytest.raises(FeedRejected, match="50 items"):
        parse_feed(json.dumps(document).encode(), max_items=10)


def test_invalid_utf8_is_read_not_refused():
    body = read("rss2.xml").replace("Car bomb".encode(), b"Car \xff\xfe bomb")
    feed = parse_feed(body, max_items=100)
    assert feed.items[0].title.startswith("Car ") and feed.items[0].title.endswith("bomb kills 7 near market in Kandahar")


def test_a_feed_that_lies_about_its_encoding():
    body = read("rss2.xml").decode().replace("Port strike", "Café strike").encode("cp1252")
    feed = parse_feed(body, max_items=100)
    assert feed.items[1].title == "Café strike enters third day"


def test_utf16_feed_with_bom():
    body = read("atom.xml").decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    feed = parse_feed(body, max_items=100)
    assert feed.format == "atom" and feed.items[1].title == "Élections locales reportées"


def test_gzip_bytes_are_not_a_feed():
    with pytest.raises(FeedRejected):
        parse_feed(gzip.compress(read("rss2.xml")), max_items=100)


def test_a_string_that_looks_like_a_path_is_never_opened():
    with pytest.raises(FeedRejected, match="not a readable feed"):
        parse_feed(str(FEEDS / "rss2.xml").encode(), max_items=100)


def test_entity_declarations_quoted_in_cdata_or_comments_are_only_text():
    quoted = (b'<?xml version="1.0"?><!-- no <!DOCTYPE x [<!ENTITY y "z">]> here -->'
              b'<rss version="2.0"><channel><title>Security Desk</title><item><guid>x1</guid><title>XML attacks</title>'
              b'<description><![CDATA[Parsers that expand <!DOCTYPE bomb [<!ENTITY a "aaaa">]> can be brought down.]]>'
              b'</description></item></channel></rss>')
    feed = parse_feed(quoted, max_items=10)
    assert "<!ENTITY a" in feed.items[0].summary


RSS_LATIN = ("<?xml version='1.0' encoding='{declared}'?><rss version='2.0'><channel><title>Le Courrier de Niamey</title>"
             "<item><guid>c1</guid><title>Attaque à Tillabéri</title><description>Des hommes armés ont attaqué un "
             "poste à l'aube.</description></item></channel></rss>")


@pytest.mark.parametrize(("declared", "written_in"), [("iso-8859-1", "utf-8"), ("windows-1252", "utf-8"),
                                                      ("utf-8", "cp1252"), ("iso-8859-1", "iso-8859-1")])
def test_a_wrong_encoding_declaration_does_not_garble_the_text(declared, written_in):
    feed = parse_feed(RSS_LATIN.format(declared=declared).encode(written_in), max_items=10)
    assert (feed.title, feed.items[0].title) == ("Le Courrier de Niamey", "Attaque à Tillabéri")


def test_a_date_nothing_can_read_leaves_the_item_undated():
    body = rss("t", [("https://wire.example/a", "Year zero", "Text a."), ("https://wire.example/b", "Fine", "Text b.")])
    body = body.replace(b"<item>", b"<item><pubDate>Mon, 01 Jan 0000 00:00:00 GMT</pubDate>", 1)
    first, second = parse_feed(body, max_items=10).items
    assert (first.title, first.published) == ("Year zero", None)
    assert second.title == "Fine"


def test_json_nested_too_deeply_is_refused():
    body = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(FeedRejected, match="nested too deeply") as refused:
        parse_feed(body, max_items=10)
    assert refused.value.quarantine
