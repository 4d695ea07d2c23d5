"""JSON Lines article records read into Articles, line by line: the one reader of `newswatch ingest`, `extract
--jsonl`, `eval` and `replay`, so every command accepts and refuses the same records (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from extractors.schema import Article

RECORD_KEYS = frozenset({"id", "title", "text", "published", "url", "source", "language", "tags"})
# What the labelled corpora (../shared/corpus/realnews, tests/data) add beside each record, for scoring: dropped.
CORPUS_KEYS = frozenset({"kind", "group", "truncated"})


class RecordError(ValueError):
    """One input record that cannot become an Article; the message names the file and line."""

    def __init__(self, path: Path, message: str, line_number: int | None = None):
        super().__init__(f"{path}:{line_number}: {message}" if line_number is not None else f"{path}: {message}")
        self.line_number = line_number


def article_from_record(record: object, *, source: str | None = None, fetched_at: dt.datetime | None = None) -> Article:
    """An Article from one record. `text` is required; `id` defaults to one derived from the URL or the text;
    `published` is an ISO date or datetime; `source` defaults to the one given. Any other key is refused (a
    misspelt `publshed` would otherwise be lost quietly), except the labelled corpora's CORPUS_KEYS, dropped."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    if "text" not in record:
        raise ValueError("missing text; each record needs a text")
    unknown = record.keys() - RECORD_KEYS - CORPUS_KEYS
    if unknown:
        raise ValueError(f"unknown keys {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(RECORD_KEYS))}")
    text, url = record["text"], record.get("url")
    if not isinstance(text, str):
        raise ValueError(f"text: expected a string, got {type(text).__name__}")
    if url is not None and not isinstance(url, str):
        raise ValueError(f"url: expected a string or null, got {type(url).__name__}")
    try:
        return Article(id=record.get("id") or Article.id_for(url, text), url=url, canonical_url=url,
                       title=record.get("title"), text=text, published=record.get("published"), fetched_at=fetched_at,
                       source=record.get("source") or source, language=record.get("language"),
                       tags=record.get("tags") or [])
    except ValidationError as error:
        raise ValueError(problems(error)) from error


def problems(error: ValidationError) -> str:
    """A validation error in one line, field by field ("text: Value error, text is empty or only whitespace")."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in error.errors())


def read_articles(path: Path, *, fetched_at: dt.datetime | None = None) -> Iterator[Article | RecordError]:
    """Each line's Article (its source `file:NAME` unless the record names one), or a RecordError for a line
    that is not UTF-8, not JSON or not a valid record: one bad line never costs the others."""
    with path.open("rb") as handle:
        for line_number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if line_number == 1 else "utf-8")
                record = json.loads(line)
            except UnicodeDecodeError as error:
                yield RecordError(path, f"not UTF-8 (byte {error.start + 1})", line_number)
                continue
            except json.JSONDecodeError as error:
                yield RecordError(path, f"not valid JSON ({error.msg} at column {error.colno})", line_number)
                continue
            try:
                yield article_from_record(record, source=f"file:{path.name}", fetched_at=fetched_at)
            except ValueError as error:
                yield RecordError(path, str(error), line_number)


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
