"""A fetched document's bytes before any parser reads them: one encoding, and no entity declarations.

Transcoding to UTF-8 first means every parser (lxml, feedparser, json) and every byte-level check reads the same
text; refusing entity declarations before parsing is what keeps XML bombs and external-entity reads out. The feed
parser (parse.py) and the OPML reader (feedlist.py) share it.
"""

from __future__ import annotations

import codecs
import re

import lxml.etree

BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
XML_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?)\sencoding=[\"']([^\"']*)[\"']")
# A document without a byte-order mark in UTF-16 or UTF-32 starts with "<" or "{" and zero bytes (XML 1.0, appendix F).
UNMARKED_WIDE = (
    (re.compile(rb"^\x00\x00\x00[^\x00]"), "utf-32-be"),
    (re.compile(rb"^[^\x00]\x00\x00\x00"), "utf-32-le"),
    (re.compile(rb"^\x00[^\x00]\x00[^\x00]"), "utf-16-be"),
    (re.compile(rb"^[^\x00]\x00[^\x00]\x00"), "utf-16-le"),
)
# Where markup cannot declare anything: an article about XML attacks may quote "<!DOCTYPE ... <!ENTITY" in them.
INERT_SECTIONS = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)


def safe_xml_parser() -> lxml.etree.XMLParser:
    """No entity expansion, no DTD or network access; a new one per call, as lxml parsers are not thread-safe."""
    return lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def declares_entities(body: bytes) -> bool:
    """Entity declarations are how XML bombs and external-entity reads work; feeds have no use for them.
    Text inside CDATA sections and comments declares nothing."""
    if b"<!ENTITY" not in body or b"<!DOCTYPE" not in body:
        return False
    markup = INERT_SECTIONS.sub(b"", body)
    return b"<!ENTITY" in markup and b"<!DOCTYPE" in markup


def to_utf8(body: bytes) -> bytes:
    """The document in UTF-8 without an encoding declaration, so byte-level checks see the markup and every parser
    reads the same text. A byte-order mark or the zero bytes of unmarked UTF-16/32 decide first. Otherwise bytes
    that are valid UTF-8 are UTF-8 whatever the document declares (Latin-1 or Windows-1252 text with accents almost
    never forms valid UTF-8, so a declaration that disagrees is the mistake); else the declared encoding, else
    Windows-1252."""
    encoding = _wide_encoding(body)
    if encoding is None:
        body = body.removeprefix(b"\xef\xbb\xbf")
        try:
            body.decode("utf-8")
            return XML_ENCODING.sub(rb"\1", body, count=1)
        except UnicodeDecodeError:
            encoding = _declared_encoding(body) or "cp1252"
    text = body.decode(encoding, errors="replace").lstrip("\ufeff")
    return XML_ENCODING.sub(rb"\1", text.encode("utf-8"), count=1)


def _wide_encoding(body: bytes) -> str | None:
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return encoding
    return next((encoding for pattern, encoding in UNMARKED_WIDE if pattern.match(body)), None)


def _declared_encoding(body: bytes) -> str | None:
    """The XML declaration's encoding when Python knows it and it is not UTF-8 (which the bytes just failed)."""
    declared = XML_ENCODING.match(body)
    if not declared:
        return None
    name = declared.group(2).decode("ascii", errors="replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec == "utf-8" else codec
