"""HTML fragments from feeds to plain text with paragraph breaks, which is what the extractors read."""

from __future__ import annotations

import html
import re

import lxml.etree

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "blockquote", "pre", "li", "ul", "ol", "dl", "dt", "dd",
    "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr", "br",
})
DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
PARAGRAPH_BREAK = "\ue000"  # a private-use character, removed from the input first
# Characters lxml refuses (C0 controls except tab and newlines) appear in hostile feeds.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ue000]")
BLANK_LINES = re.compile(r"\n[^\S\n]*\n")


def _join_paragraphs(paragraphs: list[str]) -> str:
    """Whitespace collapsed within each paragraph; non-empty paragraphs joined by one blank line."""
    return "\n\n".join(paragraph for paragraph in (" ".join(part.split()) for part in paragraphs) if paragraph)


def normalise_whitespace(text: str) -> str:
    """Plain text: blank lines separate paragraphs."""
    return _join_paragraphs(BLANK_LINES.split(text))


def html_to_text(fragment: str | None) -> str:
    """Text of an HTML fragment: scripts and styles dropped, block elements and <br> become paragraph breaks
    (blank lines in HTML source are not paragraphs: HTML collapses whitespace)."""
    if not fragment:
        return ""
    fragment = CONTROL_CHARACTERS.sub("", fragment)
    if "<" not in fragment:
        return normalise_whitespace(html.unescape(fragment))
    try:
        root = lxml.etree.fromstring(fragment, lxml.etree.HTMLParser(remove_comments=True, no_network=True))
    except (lxml.etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return normalise_whitespace(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    parts = []
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            if element.tag in DROPPED_TAGS:
                walker.skip_subtree()
                continue
            if element.tag in BLOCK_TAGS:
                parts.append(PARAGRAPH_BREAK)
            if element.text:
                parts.append(element.text)
        else:
            if element.tag in BLOCK_TAGS:
                parts.append(PARAGRAPH_BREAK)
            if element.tail and element is not root:
                parts.append(element.tail)
    return _join_paragraphs("".join(parts).split(PARAGRAPH_BREAK))
