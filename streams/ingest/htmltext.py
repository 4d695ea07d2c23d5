"""HTML fragments from feeds to plain text with paragraph breaks, which is what the extractors read."""

from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html

BLOCK_TAGS = (
    "p", "div", "section", "article", "header", "footer", "blockquote", "pre", "li", "ul", "ol", "dl", "dt", "dd",
    "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr",
)
DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
PARAGRAPH_BREAK = "\ue000"  # a private-use character lxml accepts; removed from the input first
# Characters lxml refuses (C0 controls except tab and newlines) appear in hostile feeds.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ue000]")


def normalise_whitespace(text: str) -> str:
    """Whitespace collapsed within paragraphs; paragraphs (blank lines or break markers) joined by one blank line."""
    paragraphs = (" ".join(block.split()) for block in re.split(r"\n\s*\n|\ue000", text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def html_to_text(fragment: str | None) -> str:
    """Text of an HTML fragment: scripts and styles dropped, block elements and <br> become paragraph breaks."""
    if not fragment:
        return ""
    fragment = CONTROL_CHARACTERS.sub("", fragment)
    if "<" not in fragment:
        return normalise_whitespace(html.unescape(fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return normalise_whitespace(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    for element in root.iter(DROPPED_TAGS):
        element.drop_tree()
    for element in root.iter(BLOCK_TAGS, "br"):
        if element.tag != "br":
            element.text = PARAGRAPH_BREAK + (element.text or "")
        element.tail = PARAGRAPH_BREAK + (element.tail or "")
    return normalise_whitespace(root.text_content())
