"""JSON Lines article records ({"id", "title", "text", "published", "url"}) read into Articles, line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from extractors.schema import Article

RECORD_KEYS = frozenset({"id", "title", "text", "published", "url"})


class RecordError(ValueError):
    """One input line that cannot become an Article; carries its line number."""

    def __init__(self, line_number: int, message: str):
        super().__init__(f"line {line_number}: {message}")
        self.line_number = line_number


def article_from_record(record: object, ignored_keys: frozenset[str] = frozenset()) -> Article:
    """An Article from one record; `published` is an ISO date or datetime, `title` and `published` may be null.

    ignored_keys: keys a known format adds beside the record's own (a labelled corpus's `kind`, `group`), dropped.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    missing = {"id", "text"} - record.keys()
    if missing:
        raise ValueError(f"missing {', '.join(sorted(missing))}; each record needs id and text")
    unknown = record.keys() - RECORD_KEYS - ignored_keys
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(RECORD_KEYS))}")
    try:
        return Article(id=record["id"], title=record.get("title"), text=record["text"],
                       published=record.get("published"), url=record.get("url"))
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ValueError(problems) from error


def read_articles(path: Path, ignored_keys: frozenset[str] = frozenset()) -> Iterator[Article | RecordError]:
    """Each line's Article, or a RecordError for a line that is not valid JSON or not a valid record."""
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield article_from_record(json.loads(line), ignored_keys)
            except json.JSONDecodeError as error:
                yield RecordError(line_number, f"not valid JSON ({error.msg} at column {error.colno})")
            except ValueError as error:
                yield RecordError(line_number, str(error))


def read_jsonl(path: Path) -> list[dict]:
    """A whole JSON Lines file whose every line must parse (labels, trusted fixtures)."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{line_number}: not valid JSON ({error.msg})") from error
    return records
