"""Articles from plain-text and JSON Lines files (backfill and the seed corpus)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from extractors.records import problems
from extractors.schema import Article

log = logging.getLogger(__name__)


ARTICLE_SUFFIXES = (".txt", ".jsonl")


class BadRecord(ValueError):
    """One input record could not be read; the message names the file and line."""


def article_files(paths: list[Path]) -> list[Path]:
    """The given files, with folders expanded (recursively, sorted) to their *.txt and *.jsonl files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
        else:
            found.append(path)
    return found


def read_articles(path: Path, published: dt.datetime | None, now: dt.datetime) -> Iterator[Article | BadRecord]:
    """The articles of one file, JSON Lines or plain text; a file that cannot be read yields one BadRecord."""
    try:
        if path.suffix == ".jsonl":
            yield from read_jsonl_articles(path, now)
        else:
            yield read_text_article(path, published, now)
    except ValidationError as error:
        yield BadRecord(f"{path}: {problems(error)}")
    except (OSError, BadRecord) as error:
        yield error if isinstance(error, BadRecord) else BadRecord(f"{path}: {error}")


def read_text_article(path: Path, published: dt.datetime | None = None, now: dt.datetime | None = None) -> Article:
    """A plain-text article: the first non-empty line is the title, the rest the body."""
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="replace")
        log.warning("%s is not UTF-8; read as Windows-1252", path)
    lines = content.strip().splitlines()
    if not lines:
        raise BadRecord(f"{path}: empty file, no article to ingest")
    title, body = lines[0].strip(), "\n".join(lines[1:]).strip()
    if not body:
        raise BadRecord(f"{path}: only a title line, no article text")
    return Article(
        id=Article.id_for(None, body),
        title=title,
        text=body,
        published=published,
        fetched_at=now,
        source=f"file:{path.name}",
    )


def read_jsonl_articles(path: Path, now: dt.datetime | None = None) -> Iterator[Article | BadRecord]:
    """Articles from JSON Lines ({"id", "title", "text", "published", "url"}); a bad line yields a BadRecord, not an exception."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield article_from_line(line, path, now)
            except ValidationError as error:
                yield BadRecord(f"{path}:{number}: {problems(error)}")
            except ValueError as error:
                yield BadRecord(f"{path}:{number}: {error}")


def article_from_line(line: str, path: Path, now: dt.datetime | None) -> Article:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    text, url = record.get("text"), record.get("url")
    if not isinstance(text, str):
        raise ValueError(f"text: expected a string, got {type(text).__name__}")
    if url is not None and not isinstance(url, str):
        raise ValueError(f"url: expected a string or null, got {type(url).__name__}")
    return Article(
        id=str(record.get("id") or Article.id_for(url, text)),
        url=url,
        canonical_url=url,
        title=record.get("title"),
        text=text,
        published=record.get("published"),
        fetched_at=now,
        source=record.get("source") or f"file:{path.name}",
        language=record.get("language"),
        tags=record.get("tags") or [],
    )
