"""Publication dates as feeds and article pages write them, to aware UTC datetimes or no date at all.

Feeds write RFC 822 or RFC 3339 and, now and then, anything else; pages give what trafilatura found. A date that
cannot be read or cannot be true leaves the item undated rather than refused. Shared by the feed parser (parse.py)
and the full-text reader (fulltext.py).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from feedparser.datetimes import _parse_date as feedparser_date

from extractors.schema import EARLIEST_DATE, LATEST_DATE

RFC822_DATE = re.compile(r"^(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(\d{2,4})\s")
# Older dates are typos or placeholders ("0000"); Python's RFC 822 reader would even turn year 0 into 2000.
EARLIEST_YEAR = EARLIEST_DATE.year


def parse_date(value: str | None) -> dt.datetime | None:
    """RFC 822 and RFC 3339 quickly, then feedparser's many fallbacks; a date without zone is taken as UTC.
    A date none of them reads, or one the article contract refuses (before 1900, from 2100 on), is no date:
    the item still counts, dated by its arrival."""
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed: dt.datetime | None = None
    try:
        rfc822 = RFC822_DATE.match(value)
        if rfc822 and len(rfc822.group(1)) == 4 and int(rfc822.group(1)) < EARLIEST_YEAR:
            return None
        if rfc822:
            parsed = email.utils.parsedate_to_datetime(value)
        else:
            parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return from_time_struct(feedparser_date(value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed if EARLIEST_DATE <= parsed < LATEST_DATE else None


def from_time_struct(struct) -> dt.datetime | None:
    """A date from feedparser's time tuple (UTC), or None when there is none or it cannot be true."""
    try:
        parsed = dt.datetime(*struct[:6], tzinfo=dt.UTC) if struct else None
    except (ValueError, OverflowError):
        return None
    return parsed if parsed is not None and EARLIEST_DATE <= parsed < LATEST_DATE else None
