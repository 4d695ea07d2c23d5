"""Feed documents (RSS, Atom, JSON Feed) to FeedItems, refusing the hostile ones with a reason.

Well-formed RSS 2.0 and Atom 1.0 are read with lxml: feedparser costs about 11 ms for a 20-item feed,
which alone would cap a 2,000-feed cycle near 1,800 items/s on one core; lxml reads the same in well
under a millisecond. Everything else (RSS 0.9x/1.0, Atom 0.3, malformed XML, wrong encodings) goes to
feedparser, whose tolerance is the point. tests/streams/ingest/test_parse.py checks both agree. The bytes
are made UTF-8 and checked for entity declarations first (document.py); dates are read by timestamps.py.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import feedparser
import lxml.etree

from streams.ingest.document import declares_entities, safe_xml_parser, to_utf8
from streams.ingest.htmltext import html_to_text
from streams.ingest.problems import FeedProblem
from streams.ingest.timestamps import from_time_struct, parse_date

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
FEED_START = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|rdf)[\s>]", re.IGNORECASE)
MAX_JSON_DEPTH_MESSAGE = "JSON nested too deeply to be a feed (a nesting bomb); refused"


class FeedRejected(FeedProblem):
    """The document is not a usable feed."""


@dataclass(frozen=True)
class FeedItem:
    """One entry as the feed states it; `content` and `summary` are HTML (plain text arrives escaped)."""

    guid: str | None = None
    link: str | None = None
    title: str | None = None
    content: str | None = None
    summary: str | None = None
    published: dt.datetime | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None


class FeedItems(Sequence[FeedItem]):
    """A feed's items in document order. Every item's identity (GUID, link) is read at once; the rest of an
    item (texts, date, tags) only when the item is asked for, as most items of a changed feed are not new."""

    def __init__(self, heads: list[tuple[str | None, str | None]], build: Callable[[int], FeedItem]):
        self._heads = heads
        self._build = build
        self._built: dict[int, FeedItem] = {}

    @classmethod
    def of(cls, items: list[FeedItem]) -> FeedItems:
        return cls([(item.guid, item.link) for item in items], items.__getitem__)

    def head(self, index: int) -> tuple[str | None, str | None]:
        """(GUID, link) of one item."""
        return self._heads[index]

    def __len__(self) -> int:
        return len(self._heads)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index not in self._built:
            self._built[index] = self._build(index)
        return self._built[index]


@dataclass(frozen=True)
class ParsedFeed:
    format: str
    items: FeedItems
    title: str | None = None
    language: str | None = None


def parse_feed(body: bytes, *, max_items: int, content_type: str | None = None) -> ParsedFeed:
    """The feed's items, or FeedRejected saying what is wrong with the document."""
    feed = _parse_document(to_utf8(body).strip(), max_items, content_type)
    if not feed.items:
        raise FeedRejected(f"a {feed.format} document without items: nothing to read (if it stays empty, the feed is dead)")
    return feed


def _parse_document(body: bytes, max_items: int, content_type: str | None) -> ParsedFeed:
    if not body:
        raise FeedRejected("empty response body: no feed document")
    if body[:1] in (b"{", b"["):
        return _parse_json_feed(body, max_items)
    head = body[:4096]
    if HTML_START.search(head) and not FEED_START.search(head):
        raise FeedRejected(
            f"returned an HTML page ({content_type or 'no content type'}), not a feed: check the feed URL",
            quarantine=True,
        )
    if declares_entities(body):
        raise FeedRejected(
            "declares XML entities in a DOCTYPE (entity-expansion or external-entity attack); refused", quarantine=True
        )
    try:
        root = lxml.etree.fromstring(body, safe_xml_parser())
    except lxml.etree.XMLSyntaxError:
        root = None
    if root is not None and root.tag == "rss" and root.get("version") in ("2.0", "0.92", "0.91"):
        return _parse_rss(root, max_items)
    if root is not None and root.tag == f"{ATOM}feed":
        return _parse_atom(root, max_items)
    return _parse_with_feedparser(body, max_items, content_type)


def _check_count(count: int, max_items: int) -> None:
    if count > max_items:
        raise FeedRejected(
            f"has {count} items, more than the limit of {max_items} (feeds.max_items): raise it if the feed is genuine",
            quarantine=True,
        )


def _text(element: lxml.etree._Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _parse_rss(root: lxml.etree._Element, max_items: int) -> ParsedFeed:
    channel = root.find("channel")
    if channel is None:
        raise FeedRejected("RSS document without a <channel>: not a usable feed")
    entries = channel.findall("item") or root.findall("item")
    _check_count(len(entries), max_items)
    heads = []
    for entry in entries:
        guid = entry.find("guid")
        link = _text(entry.find("link"))
        if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
            link = _text(guid)
        heads.append((_text(guid), link))

    def build(index: int) -> FeedItem:
        entry = entries[index]
        return FeedItem(
            guid=heads[index][0],
            link=heads[index][1],
            title=html_to_text(_text(entry.find("title"))) or None,
            content=_text(entry.find(CONTENT_ENCODED)),
            summary=_text(entry.find("description")),
            published=parse_date(_text(entry.find("pubDate")) or _text(entry.find(f"{DC}date"))),
            tags=tuple(filter(None, (_text(tag) for tag in entry.iterfind("category")))),
        )

    return ParsedFeed("rss", FeedItems(heads, build), title=_text(channel.find("title")), language=_text(channel.find("language")))


def _atom_html(element: lxml.etree._Element | None) -> str | None:
    """An Atom text construct as HTML, whatever its type (text, html or xhtml)."""
    if element is None:
        return None
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = element.find(XHTML_DIV)
        container = div if div is not None else element
        markup = (container.text or "") + "".join(
            lxml.etree.tostring(child, encoding="unicode", method="html") for child in container
        )
        return markup.strip() or None
    text = "".join(element.itertext()).strip()
    if not text:
        return None
    return text if kind in ("html", "text/html") else html.escape(text, quote=False)


def _atom_link(entry: lxml.etree._Element) -> str | None:
    for link in entry.iterfind(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return None


def _parse_atom(root: lxml.etree._Element, max_items: int) -> ParsedFeed:
    entries = root.findall(f"{ATOM}entry")
    _check_count(len(entries), max_items)
    heads = [(_text(entry.find(f"{ATOM}id")), _atom_link(entry)) for entry in entries]

    def build(index: int) -> FeedItem:
        entry = entries[index]
        return FeedItem(
            guid=heads[index][0],
            link=heads[index][1],
            title=html_to_text(_atom_html(entry.find(f"{ATOM}title"))) or None,
            content=_atom_html(entry.find(f"{ATOM}content")),
            summary=_atom_html(entry.find(f"{ATOM}summary")),
            published=parse_date(_text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))),
            tags=tuple(filter(None, (tag.get("term") for tag in entry.iterfind(f"{ATOM}category")))),
            language=entry.get(XML_LANG),
        )

    title = html_to_text(_atom_html(root.find(f"{ATOM}title"))) or None
    return ParsedFeed("atom", FeedItems(heads, build), title=title, language=root.get(XML_LANG))


def _feedparser_html(detail: dict | None) -> str | None:
    if not detail or not detail.get("value"):
        return None
    value = detail["value"]
    return value if "html" in (detail.get("type") or "") else html.escape(value, quote=False)


def _parse_with_feedparser(body: bytes, max_items: int, content_type: str | None) -> ParsedFeed:
    # A file object, never bytes or str: feedparser opens a URL or a local path when given one.
    # The body is UTF-8 by now (see to_utf8), whatever charset the server claimed.
    media_type = (content_type or "application/xml").split(";", 1)[0].strip() or "application/xml"
    document = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": f"{media_type}; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not document.get("version") and not document.entries:
        problem = document.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise FeedRejected(f"not a readable feed: {problem}".splitlines()[0])
    _check_count(len(document.entries), max_items)
    items = []
    for entry in document.entries:
        content = _feedparser_html(entry["content"][0]) if entry.get("content") else None
        summary = _feedparser_html(entry.get("summary_detail"))
        struct = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                guid=entry.get("id") or None,
                link=entry.get("link") or None,
                title=html_to_text(_feedparser_html(entry.get("title_detail"))) or None,
                content=content,
                summary=None if summary == content else summary,
                published=from_time_struct(struct),
                tags=tuple(tag["term"] for tag in entry.get("tags") or () if tag.get("term")),
            )
        )
    feed = document.feed
    title = html_to_text(_feedparser_html(feed.get("title_detail"))) or None
    return ParsedFeed(f"feedparser:{document.get('version') or 'unknown'}", FeedItems.of(items), title=title, language=feed.get("language"))


def _parse_json_feed(body: bytes, max_items: int) -> ParsedFeed:
    try:
        document = json.loads(body.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as error:
        raise FeedRejected(f"not valid JSON: {error}") from error
    except RecursionError as error:
        raise FeedRejected(MAX_JSON_DEPTH_MESSAGE, quarantine=True) from error
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(JSON_FEED_VERSION):
        raise FeedRejected(f"JSON without a \"version\": \"{JSON_FEED_VERSION}1.1\": not a JSON Feed", quarantine=True)
    entries = document.get("items")
    if not isinstance(entries, list):
        raise FeedRejected("JSON Feed without an \"items\" list")
    _check_count(len(entries), max_items)
    heads = [(_json_guid(entry), _string(entry.get("url"))) if isinstance(entry, dict) else (None, None) for entry in entries]

    def build(index: int) -> FeedItem:
        entry = entries[index]
        if not isinstance(entry, dict):
            raise ValueError(f"a JSON {type(entry).__name__} where an item object belongs")
        tags = entry.get("tags") or []
        if not isinstance(tags, list):
            raise ValueError(f"\"tags\" is a JSON {type(tags).__name__}, not a list of strings")
        return FeedItem(
            guid=heads[index][0],
            link=heads[index][1],
            title=_string(entry.get("title")),
            content=_string(entry.get("content_html")) or _escaped(_string(entry.get("content_text"))),
            summary=_escaped(_string(entry.get("summary"))),
            published=parse_date(_string(entry.get("date_published")) or _string(entry.get("date_modified"))),
            tags=tuple(tag for tag in tags if isinstance(tag, str) and tag),
            language=_string(entry.get("language")),
        )

    return ParsedFeed("json", FeedItems(heads, build), title=_string(document.get("title")), language=_string(document.get("language")))


def _escaped(text: str | None) -> str | None:
    return html.escape(text, quote=False) if text else None


def _json_guid(entry: dict) -> str | None:
    guid = entry.get("id")
    return None if guid in (None, "") or isinstance(guid, (dict, list)) else str(guid)


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
